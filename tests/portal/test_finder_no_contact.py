"""No contact detail appears in any public page, export or API response.

The world is the demo (``manage.py load_demo``: every app's data, the portal's included once
merged, with people whose addresses are known) plus a few rows this test adds with addresses of
its own (an organisation invited to a coalition by e-mail, a digest subscriber, a contact
request).  The addresses looked for are every value of every ``EmailField`` and every field
named like a phone number, in every model: a new model with a contact field is covered without
touching this test.

What is read, found without naming it here, so that pages and endpoints added later are
covered:

* every public page: a crawl from every ``public`` URL without parameters, following every link
  on the site outside the signed-in areas; at the end every ``public`` URL name must have been
  reached (or be in :data:`NOT_CRAWLED`, with the reason), so a new page that nothing links to
  fails here until it is linked or a way to reach it is added;
* every path of the OpenAPI document (``/api/v1/schema/``), its parameters filled from the list
  endpoint above it (``/x/`` for ``/x/{id}/…``) or from :data:`API_FILLERS`;
* every public exporter of ``core.exports``, rendered unfiltered.

PDF (text extracted with pypdf), Word and Excel files (the XML inside) are read as text too.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from pledgebook.coalitions.models import Coalition, Membership
from pledgebook.core import exports
from pledgebook.forum.models import Event, Subscriber
from pledgebook.organisations.models import Organisation
from pledgebook.portal.models import ContactRequest
from pledgebook.reporting.models import ReportingCycle

pytestmark = pytest.mark.django_db

#: Outside the public site: signed-in areas, files, the admin.
PRIVATE_PREFIXES = (
    "/workspace/",
    "/console/",
    "/accounts/",
    "/admin/",
    "/report/",
    "/static/",
    "/media/",
    "/i18n/",
)
#: Public URL names a crawl cannot reach, and why.
NOT_CRAWLED = {
    "forum_subscription_confirm": "a personal token sent by mail (confirms on opening)",
    "forum_unsubscribe": "a personal token sent by mail (unsubscribes on opening)",
}
#: Every path is read; at most this many query strings of one path (a directory has one per
#: filter and page).
PER_PATH = 3
#: Safety net of the crawl.
MAX_PAGES = 5000
#: Parameters of API paths that have no list endpoint above them.
API_FILLERS: dict[str, Callable[[], Iterable[dict[str, Any]]]] = {
    "/api/v1/forum/{programme}/{event}/cochairs-summary/": lambda: [
        {"programme": e.programme.slug, "event": e.slug}
        for e in Event.objects.select_related("programme")
    ],
}

#: Values of the parameters some exporters require (by parameter name).
EXPORT_PARAMS: dict[str, Callable[[], Iterable[Any]]] = {
    "cycle": lambda: ReportingCycle.objects.filter(programme__is_published=True).values_list(
        "pk", flat=True
    ),
}

EXTRA = {
    "invited": "invited.partner@contact-test.example",
    "subscriber": "digest.reader@contact-test.example",
}


def _contact_values() -> set[str]:
    """Every e-mail address and phone number stored anywhere."""
    found: set[str] = set()
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.EmailField) or "phone" in f.name.lower():
                values = model._default_manager.values_list(f.name, flat=True)  # type: ignore[attr-defined]
                found |= {str(v).strip() for v in values if v and str(v).strip()}
    return {v for v in found if len(v) >= 6}


def _text(body: bytes, content_type: str) -> str:
    if "pdf" in content_type:
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if body[:2] == b"PK":  # docx, xlsx, odt: XML inside a zip
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(
                z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")
            )
    return body.decode("utf-8", "replace")


def _leaks(text: str, addresses: set[str]) -> set[str]:
    lowered = text.lower()
    return {a for a in addresses if a.lower() in lowered}


def _public_names() -> dict[str, URLPattern]:
    resolver = get_resolver()
    found: dict[str, URLPattern] = {}
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "public":
            for p in entry.url_patterns:
                if isinstance(p, URLPattern) and p.name:
                    found[p.name] = p
    return found


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"#][^"]*)"', html)


@pytest.fixture
def demo_world(db: Any) -> set[str]:
    call_command("load_demo", stdout=io.StringIO())
    coalition = Coalition.objects.public().first()
    assert coalition is not None
    Membership.objects.create(
        coalition=coalition,
        invited_email=EXTRA["invited"],
        invited_name="Invited By Mail",
        status=Membership.Status.INVITED,
    )
    Subscriber.objects.create(programme=coalition.programme, email=EXTRA["subscriber"])
    a, b = Organisation.objects.order_by("pk")[:2]
    ContactRequest.objects.create(sender=a, recipient=b, message="Shall we?", reply="Yes")
    addresses = _contact_values()
    assert {EXTRA["invited"], EXTRA["subscriber"], "leader@demo.pledgebook.org"} <= addresses
    return addresses


def test_no_contact_detail_in_any_public_page_api_response_or_export(demo_world):
    addresses = demo_world
    client = Client()
    leaks: dict[str, set[str]] = {}
    read: list[str] = []

    def check(where: str, body: bytes, content_type: str) -> str:
        text = _text(body, content_type)
        found = _leaks(text, addresses)
        if found:
            leaks[where] = found
        read.append(where)
        return text

    # Pages: crawl the public site.
    names = _public_names()
    queue = ["/", *[reverse(f"public:{n}") for n, p in names.items() if not p.pattern.converters]]
    seen: set[str] = set()
    per_path: Counter[str] = Counter()
    reached: set[str] = set()
    while queue:
        url = urldefrag(queue.pop(0))[0]
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != "testserver":
            continue
        path = parts.path
        url = path + (f"?{parts.query}" if parts.query else "")
        if url in seen or not path.startswith("/") or path.startswith(PRIVATE_PREFIXES):
            continue
        name = _url_name(path)
        if name is None or name.startswith("api:"):
            continue
        if per_path[path] >= PER_PATH or len(seen) >= MAX_PAGES:
            continue
        seen.add(url)
        per_path[path] += 1
        response = client.get(url)
        if response.status_code != 200:
            continue
        reached.add(name)
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        text = check(url, body, response.get("Content-Type", ""))
        if "html" in response.get("Content-Type", ""):
            queue.extend(link.replace("&amp;", "&") for link in _links(text))
    unreached = {f"public:{n}" for n in names} - reached - {f"public:{n}" for n in NOT_CRAWLED}
    assert not unreached, (
        f"public pages never reached by the crawl: {sorted(unreached)}; link them from a "
        "public page, give the demo data that shows them, or say why in NOT_CRAWLED"
    )

    # The API: every path of the OpenAPI document.
    schema = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)
    paths = sorted(p for p, ops in schema["paths"].items() if "get" in ops)
    answered: dict[str, int] = {}
    lists: dict[str, Any] = {}
    for template in paths:
        if "{" in template:
            continue
        response = client.get(template, HTTP_ACCEPT="application/json")
        answered[template] = response.status_code
        lists[template] = response.json() if response.status_code == 200 else None
        check(template, response.content, response.get("Content-Type", ""))
    for template in paths:
        if "{" not in template:
            continue
        for kwargs in _fill(template, lists):
            url = template.format(**kwargs)
            response = client.get(url, HTTP_ACCEPT="application/json")
            if response.status_code == 200:
                answered[template] = 200
                body = (
                    b"".join(response.streaming_content)  # type: ignore[attr-defined]
                    if response.streaming
                    else response.content
                )
                check(url, body, response.get("Content-Type", ""))
            else:
                answered.setdefault(template, response.status_code)
    not_read = sorted(t for t in paths if answered.get(t) != 200)
    assert not not_read, (
        f"API paths never answered 200: {not_read}; give them demo data or a filler (API_FILLERS)"
    )

    # Every public exporter, unfiltered.
    public = [cls for cls in exports.available(None) if cls.public]
    assert public, "no public exporter registered"
    for cls in public:
        rendered = 0
        for params in _export_params(cls):
            exporter = cls()
            try:
                rows = exporter.served(params)
            except ValidationError:
                continue
            chunks = exporter.render(rows)
            body = b"".join(c.encode() if isinstance(c, str) else c for c in chunks)
            check(f"export {cls.identifier}?{params.urlencode()}", body, cls.content_type)
            rendered += 1
        assert rendered, f"export {cls.identifier}: give its parameters in EXPORT_PARAMS"

    assert not leaks, f"contact details exposed: {leaks}"
    # The crawl really read the site (a broken crawl must not pass for a clean one).
    assert len(read) > 60
    assert any(w.startswith("/organisations/") for w in read)
    assert any(w.startswith("/api/v1/organisations/") for w in read)


def _export_params(cls: type[exports.BaseExporter]) -> list[QueryDict]:
    """The unfiltered export, else one per value of each parameter it says it needs."""
    try:
        cls().served(QueryDict())
    except ValidationError as refused:
        needed = list(getattr(refused, "message_dict", {}))
        found = []
        for name in needed:
            assert name in EXPORT_PARAMS, f"export {cls.identifier} needs ?{name}=: EXPORT_PARAMS"
            for value in EXPORT_PARAMS[name]():
                q = QueryDict(mutable=True)
                q[name] = str(value)
                found.append(q)
        return found
    return [QueryDict()]


def _items(payload: Any) -> list[dict[str, Any]]:
    if isinstance(payload, dict):
        for key in ("results", "items", "data", "exports"):
            if isinstance(payload.get(key), list):
                return [i for i in payload[key] if isinstance(i, dict)]
        return []
    if isinstance(payload, list):
        return [i for i in payload if isinstance(i, dict)]
    return []


def _fill(template: str, lists: dict[str, Any]) -> list[dict[str, Any]]:
    """Parameter values for an API path: from the list endpoint above it, else a filler."""
    if template in API_FILLERS:
        return list(API_FILLERS[template]())
    params = re.findall(r"{(\w+)}", template)
    base = template[: template.index("{")]
    items = _items(lists.get(base))
    if len(params) != 1 or not items:
        return []
    param = params[0]
    found = []
    for item in items:
        value = item.get(param)
        if value is None and param == "identifier":
            value = item.get("id")
        if value is not None:
            found.append({param: value})
    return found
