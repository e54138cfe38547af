"""Browser journey of one's own account (Playwright driving Debian's Chromium), on a desktop and
at phone width: find "My account", download one's data, delete the account with the password."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from pledgebook.organisations.models import Organisation
from tests import factories
from tests.browser import PASSWORD, sign_in

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [1280, 390])
def test_download_my_data_then_delete_my_account(live_server, browser, width):
    organisation = factories.OrganisationFactory(name="Coastal Women Network")
    user = factories.representative(organisation, admin=True)
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url

    sign_in(page, base, user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My account").click()
    page.wait_for_url(f"{base}/accounts/me/")
    page.get_by_text("You are the last admin of this organisation:").wait_for()
    # Nothing runs off a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["profile"]["email"] == user.email
    assert [o["name"] for o in data["organisations"]] == ["Coastal Women Network"]

    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_role("alert").get_by_text(
        "Your password: This is not the password of your account."
    ).wait_for()
    assert get_user_model().objects.filter(pk=user.pk).exists()

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(f"{base}/")
    page.get_by_text(
        "Your account is deleted. We have sent a confirmation to your address."
    ).wait_for()
    main_nav = page.get_by_role("navigation", name="Main")
    assert main_nav.get_by_role("link", name="Sign in").is_visible()
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert [m.subject for m in mail.outbox] == ["Your Pledgebook account is deleted"]
    assert errors == []
    context.close()
