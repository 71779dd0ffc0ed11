"""`manage.py check --deploy` finds nothing to warn about with production settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    """The environment README's "In production" asks for, behind a TLS-terminating proxy."""
    # Only what a deployment sets: not the test run's own variables (the browser tests' async
    # switch, say, which the deploy check rightly objects to).
    environment = {key: os.environ[key] for key in ("PATH", "HOME", "TRANSPARENCY_SIGNING_KEY", "DATABASE_URL")
                   if key in os.environ}
    environment.update({
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "factcheck.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://factcheck.example.org",
        "TRUST_X_FORWARDED_PROTO": "1",
        "SECURE_SSL_REDIRECT": "1",
        "DATABASE_URL": environment.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    })
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
