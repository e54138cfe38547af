"""Browser journey of the follow-up digest and the impact report (Playwright driving Debian's
Chromium): a visitor subscribes and confirms by the link mailed to them, the secretariat sends
the digest, the unsubscribe link of the digest unsubscribes with one button; the secretariat
opens the impact report and downloads its PDF.  Pages are checked at a phone's width."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core import mail

from pledgebook.forum.models import Digest, Subscriber
from tests import factories
from tests.browser import sign_in
from tests.forum.test_digest import CONTENT, announce, publish
from tests.forum.test_impact import build_event

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def no_sideways_scroll(page: Any) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, (page.url, width)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_subscribe_send_unsubscribe_and_the_impact_report(live_server: Any, browser: Any) -> None:
    event = build_event()
    announce(event)
    publish(event, CONTENT)
    programme = event.programme
    secretariat = factories.staff(programme)
    errors: list[str] = []

    # A visitor subscribes and confirms by the link of the mail.
    visitor = browser.new_context().new_page()
    visitor.on("pageerror", lambda e: errors.append(str(e)))
    visitor.goto(f"{live_server.url}/programmes/{programme.slug}/digests/subscribe/")
    no_sideways_scroll(visitor)
    visitor.get_by_label("E-mail address").fill("visitor@example.org")
    visitor.get_by_role("button", name="Send me the confirmation link").click()
    visitor.get_by_role("heading", name="Check your mailbox").wait_for()
    (confirmation,) = mail.outbox
    assert confirmation.to == ["visitor@example.org"]
    link = re.search(r"http://\S+/digests/confirm/\S+/", confirmation.body).group(0)
    visitor.goto(link)
    assert not Subscriber.objects.get().is_active  # opening the link is not enough
    visitor.get_by_role("button", name="Confirm the subscription").click()
    visitor.get_by_role("heading", name="Subscribed").wait_for()
    assert Subscriber.objects.get().is_active

    # The secretariat previews and sends the digest.
    staff = browser.new_page()
    staff.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(staff, live_server.url, secretariat.email, lands="/console/")
    staff.goto(f"{live_server.url}/console/{programme.slug}/forum/digests/")
    assert staff.locator("#subscribers-active").inner_text() == "1"
    row = staff.get_by_role("row").filter(has_text="Partnership Forum 2025")
    row.get_by_role("link", name="Preview and send").click()
    assert (
        staff.locator("#digest-subject").inner_text()
        == "Partnership Forum 2025: outcomes and recommendations"
    )
    assert "- Publish progress every year." in staff.locator("#digest-body").inner_text()
    no_sideways_scroll(staff)
    staff.get_by_role("button", name="Send the digest").click()
    staff.get_by_text("Digest sent to 1 subscriber.").wait_for()
    assert Digest.objects.get().recipients == 1

    # The digest's unsubscribe link: one button, and the visitor is unsubscribed.
    digest_mail = mail.outbox[-1]
    assert digest_mail.to == ["visitor@example.org"]
    assert digest_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(r"Unsubscribe in one click: (\S+)", digest_mail.body).group(1)
    assert digest_mail.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    visitor.goto(unsubscribe)
    assert Subscriber.objects.get().is_active
    assert visitor.get_by_role("button").count() == 1
    visitor.get_by_role("button", name="Unsubscribe").click()
    visitor.get_by_role("heading", name="Unsubscribed").wait_for()
    assert not Subscriber.objects.get().is_active

    # The secretariat opens the impact report and downloads the PDF.
    staff.goto(f"{live_server.url}/console/{programme.slug}/forum/digests/")
    row = staff.get_by_role("row").filter(has_text="Partnership Forum 2025")
    row.get_by_role("link", name="Impact report").click()
    staff.get_by_role("heading", name="Impact report: Partnership Forum 2025").wait_for()
    no_sideways_scroll(staff)
    with staff.expect_download() as download_info:
        staff.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"{programme.slug}-{event.slug}-impact-report.pdf"
    with open(download.path(), "rb") as pdf:
        data = pdf.read()
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Impact report: Partnership Forum 2025" in text
    assert "Stakeholder statements submitted 3" in text

    # The public page of the report, once the event has ended.
    visitor.goto(f"{live_server.url}/programmes/{programme.slug}/events/{event.slug}/impact/")
    visitor.get_by_role("heading", name="Impact report: Partnership Forum 2025").wait_for()
    no_sideways_scroll(visitor)
    assert errors == []
