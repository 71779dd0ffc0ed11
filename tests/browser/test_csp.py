"""The Content-Security-Policy holds on every public and desk page, in Chromium.

The policy allows no inline script or style: a page that still had a `<script>` block, a
`style=""` attribute, a `<style>` element or a `javascript:` link would raise a
`securitypolicyviolation` event (and a console error) here.
"""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.conftest import make_claim, make_document
from tests.reader_data import reader_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Runs in every page before its own scripts: collects what the policy refused.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} refused ${event.blockedURI || "inline"} `
                              + `(${event.sourceFile}:${event.lineNumber}) ${event.sample}`);
});
"""


def _visit_all(page: Page, pages: dict[str, str]) -> list[str]:
    problems: list[str] = []
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    for name, url in pages.items():
        console.clear()
        response = page.goto(url)
        assert response is not None and response.status == 200, (name, url, response and response.status)
        policy = response.headers.get("content-security-policy", "")
        if "script-src 'self'" not in policy or "style-src 'self'" not in policy or "unsafe-inline" in policy:
            problems.append(f"{name} ({url}): policy is {policy!r}")
        page.wait_for_load_state("load")
        problems += [f"{name} ({url}): {violation}" for violation in page.evaluate("window.__cspViolations")]
        problems += [f"{name} ({url}): console: {text}" for text in console]
    return problems


def test_no_public_page_breaks_the_content_security_policy(page: Page, alice: Any, bob: Any, carol: Any) -> None:
    page.context.add_init_script(COLLECT_VIOLATIONS)
    pages = {**reader_pages(alice, bob, carol), "login": "/accounts/login/", "api-docs": "/api/docs/"}
    problems = _visit_all(page, pages)
    # The API docs draw themselves from scripts: once drawn, still no violation.
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Claim provenance desk API")
    problems += [f"api-docs, drawn: {violation}" for violation in page.evaluate("window.__cspViolations")]
    assert not problems, "\n".join(problems)


def test_no_desk_page_breaks_the_content_security_policy(page: Page, alice: Any, bob: Any, carol: Any) -> None:
    page.context.add_init_script(COLLECT_VIOLATIONS)
    reader_pages(alice, bob, carol)
    draft = make_claim(alice, make_document(alice), text="A draft on the desk, not yet submitted.")
    document, snapshot = draft.document, draft.annotation.snapshot
    pages = {
        "desk": "/desk/", "review-queue": "/desk/review/", "claim-new": "/desk/claims/new/",
        "desk-claim": f"/desk/claims/{draft.slug}/", "claim-edit": f"/desk/claims/{draft.slug}/edit/",
        "link-propose": f"/desk/claims/{draft.slug}/link/",
        "source-new": "/desk/sources/new/", "source-edit": f"/desk/sources/{document.publisher.slug}/edit/",
        "document-new": "/desk/documents/new/", "document-edit": f"/desk/documents/{document.pk}/edit/",
        "document-versions": f"/desk/documents/{document.pk}/versions/",
        "annotate": f"/desk/snapshots/{snapshot.pk}/annotate/",
        "claim-history": f"/desk/history/claim/{draft.pk}/",
        "source-history": f"/desk/history/source/{document.publisher.pk}/",
        "snapshot-unpublished": f"/snapshots/{snapshot.pk}/",
        "desk-documents": "/desk/documents/", "desk-document": f"/desk/documents/{document.pk}/",
    }
    sign_in(page, bob.username)
    problems = _visit_all(page, pages)
    assert not problems, "\n".join(problems)
