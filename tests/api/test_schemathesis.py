"""The API answers as its own OpenAPI document says, for every operation, with the document's
examples, with valid input and with invalid input: schemathesis runs every built-in check
(status codes and content types documented, responses valid, valid requests accepted, invalid
ones refused, no server error) against a database holding real rows.

The document is read from the site inside the test, because its filters list the values the
database holds now (api/schema.py)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import OperationalError, close_old_connections, connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _failures(operation, strategy) -> list[str]:
    failures: list[str] = []

    @SETTINGS
    @given(case=strategy)
    def check(case):
        case.call_and_validate()

    try:
        check()
    except Unsatisfiable:
        # No invalid value exists for this operation's parameters (a slug path parameter
        # takes any text): there is no negative case to send.
        pass
    except Exception as exc:  # schemathesis's FailureGroup: one entry per distinct failure
        failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    return failures


@pytest.fixture
def wsgi_app():
    """The site's WSGI application, called in the test's own database transaction.  As Django's
    test client does, the handler must not close "old" connections at the start and end of
    each request: on PostgreSQL that would close the connection inside the test's transaction
    and break it (SQLite's in-memory test database ignores it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", ["examples", GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_matches_the_schema(world, wsgi_app, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # 17, the pitch's ready-to-scale and outcomes, the knowledge hub's list and detail, the map
    # and the SDG dashboard
    assert len(operations) == 23

    failures: list[str] = []
    for operation in operations:
        if mode == "examples":
            examples = schema.get_strategies_from_examples(operation)
            if not examples:
                continue
            strategy = st.one_of(examples)
        else:
            strategy = operation.as_strategy(generation_mode=mode)
        failures += _failures(operation, strategy)
    assert failures == []


# What schemathesis found before, each pinned down ----------------------------------------


def test_an_address_no_route_matches_answers_json_404(client, world):
    for path in ("/api/v1/commitments/0.5/", "/api/v1/nothing/", "/api/v1/themes/0.5/progress/"):
        response = client.get(path)
        assert (response.status_code, response["Content-Type"]) == (404, "application/json")
        assert response.json() == {"detail": "Not found."}
    # Elsewhere, the site's HTML page.
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_a_database_outage_answers_json_500_under_api_and_html_elsewhere(world):
    def outage(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(outage):
        api = client.get("/api/v1/commitments/")
        page = client.get("/commitments/")
    assert (api.status_code, api["Content-Type"]) == (500, "application/json")
    assert api.json() == {"detail": "The server could not answer. Try again in a moment."}
    assert (page.status_code, page["Content-Type"][:9]) == (500, "text/html")


@pytest.mark.parametrize(
    "query",
    ["category=&status=", "status=", "programme=", "q=", "sdg=5&sdg=13", "country=KE&country=TZ"],
)
def test_empty_or_repeated_filters_are_refused(client, world, query):
    name = query.split("=")[0]
    for path in ("/api/v1/commitments/", "/api/v1/exports/commitments-csv/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert name in response.json()


@pytest.mark.parametrize("page", ["0", "", "x", "2&page=1", "²", "99", "9028118668201925632"])
def test_a_page_that_is_not_a_number_from_1_is_the_documented_404(client, world, page):
    response = client.get(f"/api/v1/commitments/?page={page}")
    assert (response.status_code, response.json()) == (404, {"detail": "Invalid page."})


def test_the_schema_lists_the_values_each_filter_accepts_and_its_examples_exist(client, world):
    document = client.get("/api/v1/schema/?format=json").json()
    parameters = {
        p["name"]: p for p in document["paths"]["/api/v1/commitments/"]["get"]["parameters"]
    }
    assert parameters["programme"]["schema"]["enum"] == ["equality-forum", "ocean-conference"]
    assert parameters["status"]["schema"]["enum"] == ["confirmed", "featured"]
    assert parameters["sdg"]["schema"]["enum"] == list(range(1, 18))
    assert parameters["q"]["schema"]["minLength"] == 1
    assert parameters["page"]["schema"]["minimum"] == 1
    for parameter in parameters.values():
        enum = parameter["schema"].get("enum")
        for example in parameter.get("examples", {}).values():
            assert enum is None or example["value"] in enum, parameter["name"]
    responses = document["paths"]["/api/v1/commitments/"]["get"]["responses"]
    assert sorted(responses) == ["200", "400", "404"]


def test_api_root_leads_to_the_documentation(client):
    response = client.get("/api/")
    assert (response.status_code, response["Location"]) == (302, "/api/v1/docs/")
