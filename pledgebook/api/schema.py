"""The OpenAPI document says what the API accepts, read from the filters that decide it.

A drf-spectacular postprocessing hook: each query parameter of a list (or an export) that a
FilterSet validates gets, in the document served at /api/v1/schema/, the values that FilterSet
accepts now (the published programmes'
slugs, the themes' ids, the country codes...), so the document never names a value the API
refuses; its example is one of them; an empty value is refused (``minLength: 1``: leave the
parameter out instead); and a page out of range is documented as the 404 it is.
"""

from __future__ import annotations

from typing import Any

from django.urls import Resolver404, resolve
from django_filters import FilterSet, ModelChoiceFilter

INVALID_PAGE = {
    "description": "The page does not exist (beyond the last one, or not a number from 1).",
    "content": {
        "application/json": {
            "schema": {"type": "object", "properties": {"detail": {"type": "string"}}},
            "examples": {"InvalidPage": {"value": {"detail": "Invalid page."}}},
        }
    },
}


def _filterset(path: str) -> type[FilterSet] | None:
    try:
        match = resolve(path.replace("{identifier}", "commitments-csv"))
    except Resolver404:
        return None
    view = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    return getattr(view, "filterset_class", None)


def accepted_values(filterset: type[FilterSet], name: str, *, live: bool) -> list[str] | None:
    """The values the filter ``name`` accepts now, or None if it takes any text.  Values read
    from the database (programmes, themes, countries) only when ``live``: the document served
    to a request, not the one written by ``manage.py spectacular`` or a system check, which
    must not depend on (or need) the database."""
    filter_ = filterset.base_filters[name]
    if isinstance(filter_, ModelChoiceFilter) and not live:
        return None
    field = filter_.field
    choices = getattr(field, "choices", None)
    if choices is None:
        return None
    values: list[str] = []
    for value, label in choices:
        if isinstance(label, list | tuple):  # a group of choices under a heading
            values += [str(v) for v, _label in label]
        elif str(value) != "":
            values.append(str(value))
    return values


def _typed(values: list[str], schema: dict[str, Any]) -> list[Any]:
    if schema.get("type") == "integer":
        return [int(v) for v in values]
    return values


#: A free-text filter's value: some character that is not a space, and no NUL character.
FREE_TEXT = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"


def live_filter_values(
    result: dict[str, Any], generator: Any, request: Any, public: bool, **kwargs: Any
) -> dict[str, Any]:
    for path, operations in result.get("paths", {}).items():
        operation = operations.get("get")
        if operation is None:
            continue
        filterset = _filterset(path)
        for parameter in operation.get("parameters", []):
            if parameter.get("in") != "query":
                continue
            schema = parameter.setdefault("schema", {})
            if parameter["name"] == "page":
                schema["minimum"] = 1
                operation["responses"].setdefault("404", INVALID_PAGE)
                continue
            if filterset is None or parameter["name"] not in filterset.base_filters:
                continue
            values = accepted_values(filterset, parameter["name"], live=request is not None)
            if not values:
                # Free text: what the filter's form field takes (django.forms.CharField
                # strips the text, and refuses it empty or with a NUL character).
                schema["minLength"] = 1
                schema["pattern"] = FREE_TEXT
                continue
            schema["enum"] = _typed(values, schema)
            for example in parameter.get("examples", {}).values():
                if example.get("value") not in schema["enum"] and schema["enum"]:
                    example["value"] = schema["enum"][0]
    return result
