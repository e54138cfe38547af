"""The schema's free-text filters say what the API accepts: some character that is not a
space, and no NUL character (the fuzzing of tests/api/test_schemathesis.py relies on it)."""

import re

import pytest

from pledgebook.api.schema import FREE_TEXT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["ocean", " plastic ", "é", "a\u00a0b"])
def test_accepted_free_text(client, value):
    assert re.fullmatch(FREE_TEXT, value)
    assert client.get("/api/v1/coalitions/", {"q": value}).status_code == 200


@pytest.mark.parametrize("value", ["", " ", "\u00a0", "a\x00b"])
def test_refused_free_text(client, value):
    assert not re.fullmatch(FREE_TEXT, value)
    assert client.get("/api/v1/coalitions/", {"q": value}).status_code == 400


def test_every_free_text_filter_of_the_schema_carries_the_pattern(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    texts = [
        (path, p["name"])
        for path, operations in schema["paths"].items()
        for p in operations.get("get", {}).get("parameters", [])
        if p.get("in") == "query" and p["schema"].get("minLength") == 1
    ]
    assert ("/api/v1/coalitions/", "q") in texts
    for path, name in texts:
        parameter = next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name)
        assert parameter["schema"]["pattern"] == FREE_TEXT, (path, name)
