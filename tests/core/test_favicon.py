"""The site's icon: /favicon.ico answers (WhiteNoise, WHITENOISE_ROOT) and every page links
the SVG icon and the .ico."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_served_and_linked_from_every_page(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Content-Type"]) == (200, "image/x-icon")
    icon = Path(settings.BASE_DIR) / "pledgebook" / "root" / "favicon.ico"
    assert b"".join(response.streaming_content) == icon.read_bytes()
    assert icon.read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file

    for path in ("/", "/accounts/login/", "/no-such-page/"):
        html = client.get(path).content.decode()
        assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in html, path
        assert '<link rel="icon" href="/static/img/pledgebook.svg" type="image/svg+xml">' in html, (
            path
        )
