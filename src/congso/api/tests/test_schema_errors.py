"""The published schema documents the error answers of every operation, in the one error format,
and the error bodies the API really sends match it."""

import jsonschema
import pytest
from django.core.exceptions import PermissionDenied
from drf_spectacular.generators import SchemaGenerator
from rest_framework import exceptions

from congso.api.errors import exception_handler

ERROR = {"$ref": "#/components/schemas/Error"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def error_schema(operation, code):
    return operation["responses"].get(code, {}).get("content", {}).get("application/json", {})


def test_every_operation_documents_its_refusals_in_the_one_format(schema):
    undocumented = [
        (label, code)
        for label, operation in operations(schema)
        for code in ("400", "401", "403", "404")
        if error_schema(operation, code).get("schema") != ERROR
    ]
    assert not undocumented


def test_an_error_a_view_describes_without_a_body_gets_the_error_body(schema):
    conflict = schema["paths"]["/api/v1/dossiers/{code}/transitions/"]["post"]["responses"]["409"]
    assert conflict["content"]["application/json"]["schema"] == ERROR
    assert conflict["description"] == "Hồ sơ vừa được người khác cập nhật"


def test_only_throttled_operations_document_429(schema):
    throttled = {
        label for label, operation in operations(schema) if "429" in operation["responses"]
    }
    assert throttled == {
        "POST /api/v1/auth/token/",
        "GET /api/v1/lookup/",
        "GET /api/v1/procedures/",
        "POST /api/v1/signatures/verify/",
    }


def test_operations_reading_a_body_document_415(schema):
    reading = {label for label, operation in operations(schema) if "requestBody" in operation}
    documented = {
        label for label, operation in operations(schema) if "415" in operation["responses"]
    }
    assert reading and documented == reading


@pytest.mark.parametrize(
    "exc",
    [
        exceptions.ValidationError({"unit": ["Đơn vị không tồn tại."]}),
        exceptions.NotAuthenticated(),
        PermissionDenied("Chỉ lãnh đạo đơn vị được duyệt hồ sơ."),
        exceptions.Throttled(wait=30),
        exceptions.UnsupportedMediaType("text/plain"),
    ],
)
def test_the_error_bodies_sent_match_the_documented_schema(schema, exc):
    body = exception_handler(exc, {}).data
    definitions = {"components": schema["components"], **ERROR}
    jsonschema.validate(body, definitions)


def test_every_operation_is_tagged_with_its_area(schema):
    from congso.api.schema import AREAS

    untagged = [
        label
        for label, operation in operations(schema)
        if len(operation.get("tags", [])) != 1 or operation["tags"][0] not in AREAS.values()
    ]
    assert not untagged
    tags = {operation["tags"][0] for _label, operation in operations(schema)}
    assert {"dossiers", "documents", "payments"} <= tags
