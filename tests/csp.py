"""What the Content-Security-Policy refuses, found in a page's HTML: a ``<script>`` without
``src``, a ``<style>`` element, a ``style=`` attribute, an ``on…=`` event handler, htmx's
``hx-on`` (evaluated code) and ``javascript:`` addresses."""

from __future__ import annotations

from html.parser import HTMLParser

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(header: str) -> dict[str, str]:
    """The directives of a Content-Security-Policy header."""
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append(f"<script> without src at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style" or name.startswith(("on", "hx-on")):
                self.found.append(f"<{tag} {name}=…> at line {self.getpos()[0]}")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…> at line {self.getpos()[0]}")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    """Everything in ``html`` that the policy would refuse (empty when there is nothing)."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found
