"""One registry of exports.  An exporter registers once and shows up everywhere: as a download
link on the page that lists its rows and as an endpoint of the API (``/api/v1/exports/<id>/``),
both taking the same filter query string.

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

    def queryset(self, params: Any) -> QuerySet:
        """The rows to export for the given filter parameters (a QueryDict)."""
        raise NotImplementedError

    def render(self, rows: Iterable[Any]) -> Iterator[bytes | str]:
        raise NotImplementedError


def register(cls: type[BaseExporter]) -> type[BaseExporter]:
    if cls.identifier in _REGISTRY:
        raise ValueError(f"Exporter {cls.identifier!r} is registered twice")
    _REGISTRY[cls.identifier] = cls
    return cls


def get(identifier: str) -> type[BaseExporter] | None:
    return _REGISTRY.get(identifier)


def for_subject(subject: str) -> list[type[BaseExporter]]:
    return [cls for cls in _REGISTRY.values() if cls.subject == subject]


def all_exporters() -> list[type[BaseExporter]]:
    return list(_REGISTRY.values())
