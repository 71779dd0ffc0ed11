"""Every admin Save goes through the services: a new version, the reason in the history, and
the workflow's consequences, exactly as on the desk and in the API."""

from typing import Any

import pytest
from django.test import Client

from claims.models import ClaimLink
from sources.models import Annotation
from tests.conftest import make_claim, make_link, make_snapshot


def change_form(client: Client, url: str) -> dict[str, Any]:
    """The fields the change form posts, as a browser would send them back."""
    form = client.get(url).context["adminform"].form
    values = {name: form[name].value() for name in form.fields}
    return {name: "" if value is None else value for name, value in values.items()}


@pytest.fixture
def link(alice: Any) -> ClaimLink:
    return make_link(alice, make_claim(alice, text="From"), make_claim(alice, text="To"))


def test_the_link_admin_saves_through_the_service(client: Client, alice: Any, link: ClaimLink) -> None:
    client.force_login(alice)
    url = f"/admin/claims/claimlink/{link.pk}/change/"
    data = {**change_form(client, url), "rationale": "Sharper rationale.", "reason": "Clearer wording"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    link.refresh_from_db()
    assert (link.rationale, link.version, link.status) == ("Sharper rationale.", 2, "proposed")
    latest = link.history.order_by("-history_id").first()
    assert latest.version == 2 and latest.history_change_reason == "Edited in the admin: Clearer wording"


def test_a_link_admin_save_without_a_reason_or_a_change_writes_nothing(client: Client, alice: Any,
                                                                       link: ClaimLink) -> None:
    client.force_login(alice)
    url = f"/admin/claims/claimlink/{link.pk}/change/"
    revisions = link.history.count()
    client.post(url, {**change_form(client, url), "rationale": "Changed without saying why"})
    client.post(url, {**change_form(client, url), "reason": "Nothing changed"}, follow=True)
    link.refresh_from_db()
    assert (link.rationale, link.version, link.history.count()) == ("The figures add up.", 1, revisions)


def test_a_stale_link_admin_save_is_refused(client: Client, alice: Any, link: ClaimLink) -> None:
    from claims import services

    client.force_login(alice)
    url = f"/admin/claims/claimlink/{link.pk}/change/"
    stale = change_form(client, url)
    services.link_update(link=link, actor=alice, version=1, changes={"rationale": "Meanwhile."}, reason="r")
    response = client.post(url, {**stale, "rationale": "Over it", "reason": "Mine"}, follow=True)
    assert "Nothing was saved" in response.content.decode()
    link.refresh_from_db()
    assert (link.rationale, link.version) == ("Meanwhile.", 2)


def test_the_annotation_admin_saves_through_the_service(client: Client, alice: Any) -> None:
    from sources import services

    snapshot = make_snapshot(alice, make_claim(alice).document, "Some words to note here.")
    annotation = services.annotation_create(snapshot=snapshot, actor=alice, start=0, end=4)
    client.force_login(alice)
    url = f"/admin/sources/annotation/{annotation.pk}/change/"
    response = client.post(url, {**change_form(client, url), "body": "A note.", "reason": "Say what it is"})
    assert response.status_code == 302
    annotation = Annotation.objects.get(pk=annotation.pk)
    assert (annotation.body, annotation.version) == ("A note.", 2)
    assert annotation.history.order_by("-history_id").first().history_change_reason.endswith("Say what it is")
