"""Content-Security-Policy (django-csp): every response carries the strict policy, and no
page or template holds what it would refuse (inline script or style, event handlers)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from pledgebook.commitments.models import Commitment
from tests import factories
from tests.csp import POLICY, inline_code, policy
from tests.public.util import commitment_in

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "pledgebook"
# Never served to a browser: mail bodies, and the annual report's HTML that WeasyPrint turns
# into the PDF.
NOT_SERVED = {
    "reporting/templates/reporting/annual_pdf.html",
    "forum/templates/forum/cochairs_pdf.html",
}


def test_every_response_carries_the_strict_policy(client: Client) -> None:
    for path in ("/", reverse("accounts:login"), "/no-such-page/"):
        response = client.get(path)
        assert policy(response["Content-Security-Policy"]) == POLICY, path
        assert "Content-Security-Policy-Report-Only" not in response


def test_no_template_holds_inline_script_style_or_handlers() -> None:
    found = {}
    for template in sorted(TEMPLATES.glob("**/templates/**/*.html")):
        name = template.relative_to(TEMPLATES).as_posix()
        if name in NOT_SERVED or "/mail/" in name:
            continue
        text = template.read_text()
        # Template tags inside attributes confuse nothing here: look for the markup itself.
        problems = inline_code(re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "x", text, flags=re.S))
        if problems:
            found[name] = problems
    assert found == {}


def test_pages_a_visitor_reaches_hold_no_inline_code(client: Client, theme) -> None:
    """Every page linked from the home page, and from those, as a visitor and as a member."""
    commitment_in(theme, status=Commitment.Status.FEATURED)
    member = factories.member_of(theme)
    for who in (None, member):
        browser = Client()
        if who:
            browser.force_login(who)
        seen: set[str] = set()
        queue = ["/"]
        while queue and len(seen) < 60:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = browser.get(path)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            html = response.content.decode()
            assert inline_code(html) == [], path
            for href in re.findall(r'href="([^"#]+)"', html):
                target = urlparse(urljoin(path, href.replace("&amp;", "&")))
                if not target.netloc and not target.path.startswith(("/static/", "/admin/")):
                    queue.append(target.path + (f"?{target.query}" if target.query else ""))
        assert len(seen) > 10
