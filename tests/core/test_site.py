"""Links that leave the site point at the address it is served from (``core.site``), and mails
are plain text (nothing HTML-escaped)."""

import re

import pytest
from django.core import mail

from pledgebook.core.checks import check_site_url
from pledgebook.core.notify import notify
from pledgebook.core.site import DEFAULT_SITE_URL, absolute_url
from tests import factories
from tests.public.util import commitment_in

pytestmark = pytest.mark.django_db

OTHER_PORT = "127.0.0.1:8201"


def test_the_api_links_to_the_port_the_request_came_to(client, theme, settings):
    assert settings.SITE_URL == DEFAULT_SITE_URL
    commitment = commitment_in(theme, title="Solar clinics")

    body = client.get("/api/v1/commitments/", HTTP_HOST=OTHER_PORT).json()

    assert [row["url"] for row in body["results"]] == [
        f"http://{OTHER_PORT}/commitments/{commitment.pk}/"
    ]


def test_the_streamed_csv_links_to_the_host_the_request_came_to(client, theme):
    commitment = commitment_in(theme, title="Solar clinics")

    response = client.get("/api/v1/exports/commitments-csv/", HTTP_HOST=OTHER_PORT)

    body = b"".join(response.streaming_content).decode()
    assert f"http://{OTHER_PORT}/commitments/{commitment.pk}/" in body
    assert DEFAULT_SITE_URL not in body


def test_a_mail_sent_while_serving_a_request_links_to_that_address(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "ana@example.org",
            "full_name": "Ana Silva",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
        HTTP_HOST=OTHER_PORT,
    )

    assert response.status_code == 302
    (message,) = mail.outbox
    links = re.findall(r"https?://[^\s/]+", message.body)
    assert links == [f"http://{OTHER_PORT}"]


def test_outside_a_request_links_use_site_url(settings):
    settings.SITE_URL = "https://pledgebook.example.org/"

    assert absolute_url("/commitments/1/") == "https://pledgebook.example.org/commitments/1/"


def test_mails_are_plain_text_not_html_escaped(theme):
    lead = factories.OrganisationFactory(name="Women's Rights & Justice <Network>")
    partner = factories.OrganisationFactory(name="O'Brien Foundation")
    factories.representative(partner)
    commitment = commitment_in(theme, title="“Safe” streets & parks", organisation=lead)

    notify(
        to=["partner@example.org"],
        template="co_maker_invited",
        context={"commitment": commitment, "organisation": partner},
    )

    (message,) = mail.outbox
    assert message.subject == (
        "Women's Rights & Justice <Network> names you as co-maker of a commitment"
    )
    assert "Women's Rights & Justice <Network> names O'Brien Foundation" in message.body
    assert "&#x27;" not in message.body + message.subject
    assert "&amp;" not in message.body + message.subject


def test_the_deploy_check_asks_for_site_url(settings):
    settings.SITE_URL = DEFAULT_SITE_URL
    assert [m.id for m in check_site_url()] == ["core.W001"]
    settings.SITE_URL = "https://pledgebook.example.org"
    assert check_site_url() == []
