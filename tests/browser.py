"""What every browser test shares: Debian's Chromium driven by Playwright (the ``browser``
fixture, registered in tests/conftest.py) and signing in as a person the factories made."""

from collections.abc import Iterator
from typing import Any

import pytest

#: ``tests.factories.UserFactory``'s password.
PASSWORD = "correct horse battery staple"
CHROMIUM = "/usr/bin/chromium"  # Debian's; a browser is never downloaded
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A headless Chromium for the test. Playwright's sync API runs an event loop in this
    thread; the ORM calls the test itself makes (building data) are still synchronous."""
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def sign_in(page: Any, base: str, email: str, lands: str = "/workspace/") -> None:
    """Sign in on the sign-in page; people of an organisation land in the workspace, programme
    staff without one on the console (``lands="/console/"``)."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}{lands}")
