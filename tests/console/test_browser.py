"""Browser journey of the console (Playwright driving Debian's Chromium): a programme manager,
named in the admin, finds the console and creates a programme."""

import pytest
from django.contrib.auth.models import Group

from pledgebook.programmes.models import Programme, ProgrammeRole
from tests import factories
from tests.browser import PASSWORD

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_programme_manager_creates_a_programme(live_server, browser):
    manager = factories.UserFactory()
    manager.groups.add(Group.objects.get(name="Programme managers"))
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(manager.email)
    page.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/workspace/")

    page.get_by_role("navigation").get_by_role("link", name="Console").click()
    page.get_by_role("link", name="Create a programme").click()
    page.get_by_label("Name").first.fill("Ocean Conference 2028")
    page.get_by_label("Short name in addresses (slug)").fill("ocean-2028")
    page.get_by_label("Kind").select_option(label="Conference with coalitions")
    page.get_by_label("Financial", exact=True).check()
    page.get_by_label("Policy").check()
    page.get_by_role("button", name="Create the programme").click()

    page.get_by_text(
        "Programme “Ocean Conference 2028” created. You are its secretariat."
    ).wait_for()
    programme = Programme.objects.get(slug="ocean-2028")
    assert page.url == f"{live_server.url}/console/ocean-2028/"
    assert sorted(programme.commitment_types.values_list("code", flat=True)) == [
        "financial",
        "policy",
    ]
    assert list(programme.roles.values_list("user", "role")) == [
        (manager.pk, ProgrammeRole.Role.SECRETARIAT)
    ]
