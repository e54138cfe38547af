"""What the coalition and reporting parts of the demo read from the main loader
(``management/commands/load_demo.py::Loader``), named here so that they do not import it."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from pledgebook.organisations.models import Organisation
from pledgebook.programmes.models import Programme, Theme


class Loaded(Protocol):
    now: dt.datetime
    password: str  # the demo password, hashed once
    users: dict[str, Any]
    orgs: dict[str, Organisation]
    people: dict[str, Any]  # organisation key -> its representative
    programmes: dict[str, Programme]
    themes: dict[tuple[str, str], Theme]
