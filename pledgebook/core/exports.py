"""One registry of exports.  An exporter registers once and shows up everywhere: as a download
link on the page that lists its rows and as an endpoint of the API (``/api/v1/exports/<id>/``),
both taking the same filter query string.

**Private unless declared public.**  An exporter is served only to those holding its
``permission`` on the programme (the secretariat by default); ``public = True`` serves it to
anyone, for open data whose ``queryset`` already keeps to what the public pages show.  The one
access decision is :meth:`BaseExporter.is_available_to`; the API, the directory and the console
list and serve exports through :func:`available` and :func:`get_available`, never by class.

Exporters stream their output, so memory stays flat however many rows are exported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from django.db.models import QuerySet

_REGISTRY: dict[str, type[BaseExporter]] = {}


class BaseExporter:
    identifier: ClassVar[str]
    verbose_name: ClassVar[Any]
    subject: ClassVar[str]  # what it lists, e.g. "commitments"
    content_type: ClassVar[str] = "text/csv; charset=utf-8"
    extension: ClassVar[str] = "csv"
    #: Served to anyone.  Leave False unless every row the exporter can produce is public.
    public: ClassVar[bool] = False
    #: For a private exporter: the permission (django-rules) needed on the programme.
    permission: ClassVar[str] = "programmes.change_programme"
    #: For a private exporter: the path from an exported row to its programme.
    programme_lookup: ClassVar[str] = "programme"

    @classmethod
    def is_available_to(cls, user: Any, programme: Any = None) -> bool:
        """The one access decision: public, or ``user`` holds ``permission`` on ``programme``
        (a private exporter is refused when no programme is given)."""
        if cls.public:
            return True
        return (
            user is not None
            and programme is not None
            and bool(user.has_perm(cls.permission, programme))
        )

    def queryset(self, params: Any) -> QuerySet:
        """The rows to export for the given filter parameters (a QueryDict)."""
        raise NotImplementedError

    def served(self, params: Any, programme: Any = None) -> QuerySet:
        """What is served: ``queryset(params)``, and for a private exporter only the rows of
        the programme it was granted on (``programme_lookup``), so that no private export
        depends on its own ``queryset`` to keep to its programme."""
        found = self.queryset(params)
        if self.public:
            return found
        return found.filter(**{self.programme_lookup: programme})

    def render(self, rows: Iterable[Any]) -> Iterator[bytes | str]:
        raise NotImplementedError


def register(cls: type[BaseExporter]) -> type[BaseExporter]:
    if cls.identifier in _REGISTRY:
        raise ValueError(f"Exporter {cls.identifier!r} is registered twice")
    _REGISTRY[cls.identifier] = cls
    return cls


def unregister(cls: type[BaseExporter]) -> None:
    """Remove ``cls`` (for tests that register an exporter of their own)."""
    _REGISTRY.pop(cls.identifier, None)


def get(identifier: str) -> type[BaseExporter] | None:
    return _REGISTRY.get(identifier)


def get_available(identifier: str, user: Any, programme: Any = None) -> type[BaseExporter] | None:
    """The exporter ``identifier`` when ``user`` may have it, else ``None`` (as if unknown)."""
    cls = get(identifier)
    return cls if cls is not None and cls.is_available_to(user, programme) else None


def available(
    user: Any, programme: Any = None, *, subject: str | None = None
) -> list[type[BaseExporter]]:
    """The exporters ``user`` may have (of ``subject`` when given), by identifier."""
    return sorted(
        (
            cls
            for cls in _REGISTRY.values()
            if (subject is None or cls.subject == subject) and cls.is_available_to(user, programme)
        ),
        key=lambda cls: cls.identifier,
    )
