"""The API's documentation page, rendered on the server from the OpenAPI schema that
drf-spectacular generates (the same document ``/api/v1/schema/`` serves), so the page and the
schema cannot disagree.  No Swagger UI or Redoc: nothing is fetched from a CDN.

Example links use real slugs and ids of published data where there are any, so they work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

from pledgebook.api.views import public_organisations, published_programmes
from pledgebook.coalitions.filters import public_coalitions
from pledgebook.commitments.filters import public_commitments
from pledgebook.portal.hub.filters import public_case_studies
from pledgebook.programmes.models import Theme

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    location: str
    required: bool
    type: str
    enum: list[str]
    description: str
    example: str


@dataclass
class Example:
    url: str
    note: str = ""


@dataclass
class Response:
    code: str
    description: str
    type: str
    ref: str


@dataclass
class Operation:
    id: str
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Parameter]
    responses: list[Response]
    examples: list[Example] = field(default_factory=list)


@dataclass
class Property:
    name: str
    type: str
    ref: str
    required: bool
    description: str


@dataclass
class SchemaObject:
    name: str
    description: str
    enum: list[str]
    properties: list[Property]


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _describe(schema: dict[str, Any]) -> tuple[str, str]:
    """A short type name for ``schema`` and the component it refers to, if any."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return name, name
    for combinator in ("allOf", "oneOf", "anyOf"):
        if combinator in schema:
            parts = [_describe(s) for s in schema[combinator]]
            text = " or ".join(p[0] for p in parts)
            return text, next((p[1] for p in parts if p[1]), "")
    kind = schema.get("type", "object")
    if kind == "array":
        inner, ref = _describe(schema.get("items", {}))
        text, ref = f"array of {inner}", ref
    else:
        text, ref = (f"{kind} ({schema['format']})" if "format" in schema else kind), ""
    if schema.get("nullable"):
        text += ", nullable"
    return text, ref


def _enum(schema: dict[str, Any]) -> list[str]:
    values = schema.get("enum", [])
    if all(isinstance(v, int) for v in values):
        values = sorted(values)
    return [str(v) for v in values]


def _first_example(parameter: dict[str, Any]) -> str:
    examples = parameter.get("examples") or {}
    for example in examples.values():
        return str(example.get("value", ""))
    return str(parameter.get("example", ""))


def _live_samples() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """Real values for example links: by (path, path parameter) and by query parameter."""
    programme = published_programmes().order_by("slug").values_list("slug", flat=True).first()
    theme = (
        Theme.objects.filter(programme__is_published=True)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    organisation = public_organisations().order_by("slug").values_list("slug", flat=True).first()
    commitment = public_commitments().order_by("-id").values_list("id", flat=True).first()
    coalition = public_coalitions().order_by("slug").values_list("slug", flat=True).first()
    case_study = public_case_studies().order_by("-id").values_list("id", flat=True).first()
    by_path = {
        ("/api/v1/programmes/{slug}/", "slug"): programme,
        ("/api/v1/themes/{id}/", "id"): theme,
        ("/api/v1/organisations/{slug}/", "slug"): organisation,
        ("/api/v1/commitments/{id}/", "id"): commitment,
        ("/api/v1/commitments/{id}/progress/", "id"): commitment,
        ("/api/v1/coalitions/{slug}/", "slug"): coalition,
        ("/api/v1/case-studies/{id}/", "id"): case_study,
    }
    by_query = {"programme": programme, "theme": theme}
    return (
        {key: str(value) for key, value in by_path.items() if value is not None},
        {key: str(value) for key, value in by_query.items() if value is not None},
    )


def _operation(
    path: str,
    method: str,
    op: dict[str, Any],
    live_path: dict[tuple[str, str], str],
    live_query: dict[str, str],
) -> Operation:
    parameters = []
    for p in op.get("parameters", []):
        schema = p.get("schema", {})
        example = _first_example(p)
        if p["in"] == "path":
            example = live_path.get((path, p["name"]), example)
        elif p["name"] in live_query:
            example = live_query[p["name"]]
        parameters.append(
            Parameter(
                name=p["name"],
                location=p["in"],
                required=bool(p.get("required")),
                type=_describe(schema)[0],
                enum=_enum(schema),
                description=p.get("description", ""),
                example=example,
            )
        )
    # Path parameters first, then query parameters, each alphabetical (as in the schema).
    parameters.sort(key=lambda p: (p.location != "path", p.name))
    responses = []
    for code, response in op.get("responses", {}).items():
        content: dict[str, Any] = response.get("content") or {}
        media, body = next(iter(content.items()), ("", None))
        type_name, ref = _describe(body.get("schema", {})) if body else ("", "")
        responses.append(
            Response(
                code=str(code),
                description=response.get("description", ""),
                type=f"{type_name} ({media})"
                if media and media != "application/json"
                else type_name,
                ref=ref,
            )
        )
    base = path
    for p in parameters:
        if p.location == "path":
            base = base.replace("{" + p.name + "}", p.example or "{" + p.name + "}")
    if "{" in base:  # no public object to show: an example would be a broken link
        return Operation(
            id=op.get("operationId", ""),
            method=method.upper(),
            path=path,
            summary=op.get("summary", ""),
            description=op.get("description", ""),
            parameters=parameters,
            responses=responses,
            examples=[],
        )
    examples = [Example(url=base)]
    for p in parameters:
        if p.location == "query" and p.example and p.name != "page":
            examples.append(Example(url=f"{base}?{urlencode({p.name: p.example})}", note=p.name))
    return Operation(
        id=op.get("operationId", ""),
        method=method.upper(),
        path=path,
        summary=op.get("summary", ""),
        description=op.get("description", ""),
        parameters=parameters,
        responses=responses,
        examples=examples,
    )


def _objects(schema: dict[str, Any]) -> list[SchemaObject]:
    objects = []
    for name, component in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(component.get("required", []))
        properties = []
        for prop_name, prop in component.get("properties", {}).items():
            type_name, ref = _describe(prop)
            properties.append(
                Property(
                    name=prop_name,
                    type=type_name,
                    ref=ref,
                    required=prop_name in required,
                    description=prop.get("description", "") or prop.get("title", ""),
                )
            )
        objects.append(
            SchemaObject(
                name=name,
                description=component.get("description", ""),
                enum=_enum(component),
                properties=properties,
            )
        )
    return objects


def docs(request: HttpRequest) -> HttpResponse:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    live_path, live_query = _live_samples()
    groups: dict[str, list[Operation]] = {}
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["api"])[0]
                groups.setdefault(tag, []).append(
                    _operation(path, method, op, live_path, live_query)
                )
    order = ["programmes", "themes", "organisations", "commitments", "exports"]
    tags = sorted(groups, key=lambda t: (order.index(t) if t in order else len(order), t))
    return render(
        request,
        "api/docs.html",
        {
            "info": schema["info"],
            "groups": [(tag, groups[tag]) for tag in tags],
            "objects": _objects(schema),
        },
    )
