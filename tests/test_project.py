"""The project as it is deployed and started: production settings pass Django's deployment
checks, a missing secret stops it, and the README's logins are the demo's.

The settings are read at import, so each case runs ``manage.py`` in its own process with an
environment built from nothing (the test process's own environment holds test settings).
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from pledgebook.demo import data as demo

ROOT = Path(__file__).resolve().parent.parent


def production_env(**changes: str | None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "pledgebook.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgres://pledgebook@db.internal:5432/pledgebook",
        "ALLOWED_HOSTS": "pledgebook.example.org",
        "SITE_URL": "https://pledgebook.example.org",
        "EMAIL_URL": "smtp://mailer:not-a-secret@smtp.example.org:587/?tls=True",
        "DEFAULT_FROM_EMAIL": "Pledgebook <no-reply@pledgebook.example.org>",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "CACHE_URL": "rediscache://cache.internal:6379/1",
    }
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = check_deploy(production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    # Silenced: django_ratelimit.W001, which names django-redis only (settings.py says why).
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_without_secret_key_it_refuses_to_start_and_says_why():
    result = check_deploy(production_env(SECRET_KEY=None))
    assert result.returncode == 1
    assert "ImproperlyConfigured: Set SECRET_KEY (or DEBUG=1 for local development)." in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("changes", "check_id"),
    [
        ({"DEBUG": "1"}, "security.W018"),
        ({"SECRET_KEY": "short"}, "security.W009"),
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"CACHE_URL": None}, "accounts.W001"),  # rate limits counted per process
    ],
)
def test_check_deploy_fails_on_an_unsafe_setting(changes, check_id):
    result = check_deploy(production_env(**changes))
    assert result.returncode == 1
    assert check_id in result.stderr


def test_readme_lists_the_demo_logins():
    readme = (ROOT / "README.md").read_text()
    for _role, login, _what in demo.LOGINS:
        assert f"`{login}`" in readme
    assert f"`{demo.PASSWORD}`" in readme
