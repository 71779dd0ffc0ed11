"""Every public page type passes the Nu HTML checker (the W3C validator) with no errors."""

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.reader_data import reader_pages

VNU = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _checker_missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (CI must run the HTML checks)", pytrace=False)
    pytest.skip(reason)


def test_every_public_page_type_passes_the_nu_html_checker(client: Any, alice: Any, bob: Any, carol: Any,
                                                            tmp_path: Path) -> None:
    if not VNU.is_file() or shutil.which("java") is None:
        _checker_missing("the Nu HTML checker needs `make setup` (npm) and Java")
    pages = reader_pages(alice, bob, carol)
    files = []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--errors-only", *files],  # noqa: S603, S607
                            capture_output=True, text=True, timeout=120, check=False)
    report = json.loads(result.stderr or result.stdout)  # vnu writes its JSON report to stderr
    assert "messages" in report, result
    messages = report["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in messages
              if m.get("type") == "error"]
    assert not errors, "\n".join(errors)
