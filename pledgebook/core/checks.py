"""System checks of core: the request body limit (core/middleware.py) holds every upload the
site accepts and Django's own limits sit within it; SITE_URL is set for production; the proxy's
configuration (deploy/nginx.conf, NGINX_CONF) serves nothing from MEDIA_ROOT or MEDIA_URL."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

from pledgebook.core.site import DEFAULT_SITE_URL

#: The largest upload of each kind the apps accept, registered by them (their AppConfig.ready)
#: with :func:`accepts_uploads`, so that core imports none of them.
UPLOADS: dict[str, int] = {}


def accepts_uploads(what: str, size: int) -> None:
    """Declare that the site accepts ``what`` up to ``size`` bytes: the request body limit must
    hold it (``core.E001``)."""
    UPLOADS[what] = size


@checks.register(checks.Tags.security)
def check_body_limits(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    limit = settings.REQUEST_BODY_MAX_BYTES
    needed = {
        **UPLOADS,
        "DATA_UPLOAD_MAX_MEMORY_SIZE": settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0,
        "FILE_UPLOAD_MAX_MEMORY_SIZE": settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
    }
    return [
        checks.Error(
            f"REQUEST_BODY_MAX_BYTES ({limit}) is smaller than {what} ({size}): such requests "
            "would be refused before they are read.",
            hint="Raise REQUEST_BODY_MAX_MB, and client_max_body_size in the proxy with it.",
            id="core.E001",
        )
        for what, size in needed.items()
        if size > limit
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Mails sent by the worker (reminders, reports) link to ``SITE_URL``."""
    if settings.SITE_URL.rstrip("/") == DEFAULT_SITE_URL:
        return [
            checks.Warning(
                f"SITE_URL is left at its default ({DEFAULT_SITE_URL}): links in mails sent "
                "by the task worker would point there.",
                hint="Set SITE_URL to the public address, e.g. https://pledgebook.example.org.",
                id="core.W001",
            )
        ]
    return []


# The proxy never serves media ------------------------------------------------------------------


@dataclass(frozen=True)
class Directive:
    words: tuple[str, ...]
    line: int
    location: tuple[str, ...] | None  # the arguments of the enclosing location block, if any


def nginx_directives(text: str) -> list[Directive]:
    """Every directive of an nginx configuration (block openers included), with its line and
    the ``location`` it stands in.  Comments, quotes and nested blocks are understood;
    ``include`` is not followed (name included files in NGINX_CONF)."""
    found: list[Directive] = []
    stack: list[tuple[str, ...] | None] = []
    words: list[str] = []
    line = start = 1
    word = ""
    quote = ""
    i = 0

    def end_word() -> None:
        nonlocal word
        if word:
            words.append(word)
            word = ""

    while i < len(text):
        char = text[i]
        if char == "\n":
            line += 1
        if quote:
            if char == "\\" and i + 1 < len(text):
                word += text[i + 1]
                i += 2
                continue
            if char == quote:
                quote = ""
                words.append(word)
                word = ""
            else:
                word += char
        elif char in "\"'":
            if not words and not word:
                start = line
            quote = char
        elif char == "#":
            end_word()
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        elif char.isspace():
            end_word()
        elif char in ";{}":
            end_word()
            location = next((s for s in reversed(stack) if s is not None), None)
            if words:
                found.append(Directive(tuple(words), start, location))
            if char == "{":
                stack.append(tuple(words[1:]) if words and words[0] == "location" else None)
            elif char == "}" and stack:
                stack.pop()
            words = []
        else:
            if not words and not word:
                start = line
            word += char
        i += 1
    return found


def _serves(path: Path, media: Path) -> bool:
    """A directory served by nginx that is MEDIA_ROOT, inside it, or holds it."""
    path, media = Path(os.path.normpath(path)), Path(os.path.normpath(media))
    return path == media or media in path.parents or path in media.parents


def _location_matches(arguments: tuple[str, ...], media_url: str) -> bool:
    if not arguments:
        return False
    modifier, pattern = (arguments[0], arguments[-1]) if len(arguments) > 1 else ("", arguments[0])
    probe = media_url + "evidence/2026/file.pdf"
    if modifier in ("~", "~*"):
        flags = re.IGNORECASE if modifier == "~*" else 0
        try:
            return re.search(pattern, probe, flags) is not None
        except re.error:
            return False
    if modifier == "=":
        return pattern.rstrip("/") == media_url.rstrip("/")
    return pattern != "/" and probe.startswith(pattern)  # a prefix, as nginx matches it


def media_served_by(text: str, media_root: Path, media_url: str) -> list[tuple[int, str]]:
    """(line, what) for each place where ``text`` (an nginx configuration) would serve media:
    an ``alias`` or ``root`` naming MEDIA_ROOT (or a directory inside or above it), or a
    ``location`` for MEDIA_URL that serves files rather than passing to the application."""
    problems: list[tuple[int, str]] = []
    for directive in nginx_directives(text):
        name, *arguments = directive.words
        if name in ("alias", "root") and arguments and _serves(Path(arguments[0]), media_root):
            problems.append((directive.line, f"{name} {arguments[0]} serves MEDIA_ROOT"))
        elif name == "location" and _location_matches(tuple(arguments), media_url):
            problems.append((directive.line, f"location {' '.join(arguments)} is MEDIA_URL"))
    return problems


@checks.register(checks.Tags.security, deploy=True)
def check_proxy_serves_no_media(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Uploaded evidence and generated reports go out only through the views that check who
    asks: a proxy serving MEDIA_ROOT or MEDIA_URL would hand them to anyone."""
    # MEDIA_URL is left unset (the site serves no file by its address): Django makes it "/".
    media_url = settings.MEDIA_URL if settings.MEDIA_URL not in ("", "/") else "/media/"
    errors: list[checks.CheckMessage] = []
    for conf in settings.NGINX_CONF:
        path = Path(conf)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            errors.append(
                checks.Error(
                    f"Cannot read the proxy configuration {path}: {error.strerror}.",
                    hint="Fix NGINX_CONF (comma-separated paths of nginx configurations).",
                    id="core.E003",
                )
            )
            continue
        errors.extend(
            checks.Error(
                f"{path}, line {line}: {what}: the proxy would serve uploaded files to anyone.",
                hint="Remove it: media go out only through the site's views.",
                id="core.E002",
            )
            for line, what in media_served_by(text, Path(settings.MEDIA_ROOT), media_url)
        )
    return errors
