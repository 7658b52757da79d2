"""The OpenAPI schema is valid, describes what the API really answers, and no parameter value gives a 500.

Responses are checked against the schema itself (OpenAPI 3.0 `nullable` is turned into JSON Schema's null type),
and a hypothesis test throws documented and undocumented values at every list endpoint."""

from __future__ import annotations

import copy
from typing import Any

import hypothesis
import jsonschema
import pytest
from drf_spectacular.validation import validate_schema
from hypothesis import strategies as st

from tests.factories import ActivityFactory

SAMPLE_PATH_VALUES = {
    "/api/v1/wijken/{code}/": "WK034401",
    "/api/v1/buurten/{code}/": "BU03440121",
    "/api/v1/organisaties/{slug}/": "buurthuis-lombok",
    "/api/v1/activiteiten/{slug}/": "koffieochtend-lombok",
}


@pytest.fixture
def schema(client, places):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json") or "openapi" in response["Content-Type"]
    return response.json()


@pytest.fixture
def coffee(stemlid_org, lombok):
    return ActivityFactory(slug="koffieochtend-lombok", organisations=[stemlid_org], location_buurt=lombok)


def as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema objects -> JSON Schema: `nullable: true` becomes "or null"."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def response_schema(schema: dict, path: str, status: int) -> dict:
    content = schema["paths"][path]["get"]["responses"][str(status)]["content"]["application/json"]["schema"]
    document = as_json_schema(copy.deepcopy(schema))
    return {**as_json_schema(content), "components": document["components"]}


def check_against_schema(schema: dict, path: str, response) -> None:
    assert response["Content-Type"] == "application/json", (path, response.status_code)
    jsonschema.validate(response.json(), response_schema(schema, path, response.status_code))


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_the_schema_is_json_whatever_the_browser_asks_for(client, db):
    response = client.get("/api/v1/openapi.json", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_the_schema_is_in_english_whatever_the_language(client, places):
    dutch = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="nl").json()
    english = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert dutch == english


def test_every_documented_path_answers_as_documented(client, schema, coffee):
    assert set(SAMPLE_PATH_VALUES) < set(schema["paths"])
    assert len(schema["paths"]) == 10
    for path in schema["paths"]:
        url = path
        for placeholder in ("{code}", "{slug}"):
            url = url.replace(placeholder, SAMPLE_PATH_VALUES.get(path, ""))
        response = client.get(url)
        assert response.status_code == 200, url
        check_against_schema(schema, path, response)
        if "results" in response.json():
            assert response.json()["results"], f"{url} should list something here"


def test_every_operation_documents_its_errors(schema):
    for path, item in schema["paths"].items():
        responses = item["get"]["responses"]
        assert "429" in responses, path
        index_or_schema = path in {"/api/v1/", "/api/v1/openapi.json"}
        assert "404" in responses or index_or_schema, path
        if "{" not in path and not index_or_schema:
            assert "400" in responses, path


def parameter_values(parameter: dict) -> st.SearchStrategy[str]:
    """Documented values (enums, booleans, integers in range) mixed with anything a person might type."""
    spec = parameter["schema"]
    options = [
        st.text(max_size=12),
        st.sampled_from(
            ["", " ", "0", "-1", "1e9", "WK034401", "bu03440121", "ontmoeting", "%00", "\x00", "💥", "a" * 300]
        ),
    ]
    if "enum" in spec:
        options.append(st.sampled_from(spec["enum"]))
    if spec.get("type") == "boolean":
        options.append(st.sampled_from(["true", "false"]))
    if spec.get("type") == "integer":
        options.append(st.integers(min_value=-5, max_value=1000).map(str))
    return st.one_of(*options)


@hypothesis.settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture, hypothesis.HealthCheck.too_slow],
)
@hypothesis.given(data=st.data())
def test_no_parameter_value_gives_a_server_error(client, schema, coffee, settings, data):
    settings.API_THROTTLE_RATE = None
    lists = sorted(path for path in schema["paths"] if "{" not in path)
    path = data.draw(st.sampled_from(lists))
    parameters = schema["paths"][path]["get"].get("parameters", [])
    query = {}
    for parameter in parameters:
        if data.draw(st.booleans()):
            query[parameter["name"]] = data.draw(parameter_values(parameter))
    response = client.get(path, query)
    assert response.status_code in {200, 400, 404}, (path, query, response.status_code)
    check_against_schema(schema, path, response)


@hypothesis.settings(
    max_examples=60, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(path=st.sampled_from(sorted(SAMPLE_PATH_VALUES)), value=st.text(min_size=1, max_size=40))
def test_no_path_value_gives_a_server_error(client, schema, settings, path, value):
    settings.API_THROTTLE_RATE = None
    response = client.get(path.replace("{code}", value).replace("{slug}", value))
    assert response.status_code in {200, 301, 404}, (path, value)
    if response.status_code == 404 and response["Content-Type"] == "application/json":
        assert response.json()["detail"]


def test_the_activities_list_documents_exactly_the_search_pages_parameters(schema):
    from samen030.activities.search import ActivitySearchForm

    documented = {p["name"] for p in schema["paths"]["/api/v1/activiteiten/"]["get"]["parameters"]}
    assert documented == {*ActivitySearchForm.base_fields, "page", "page_size"}
