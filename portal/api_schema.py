"""The OpenAPI schema documents the error answers every operation can give.

drf-spectacular documents success only; clients (and the schemathesis run in CI) need to know
that a bad body or filter is a 400, a refused action a 403, an unknown id or page a 404,
an unreadable body a 415.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "`detail` for a refusal; otherwise one list of messages per field, "
        "`non_field_errors` for the whole request."
    ),
    "additionalProperties": True,
}
WRITES = {"post", "put", "patch", "delete"}
METHODS = WRITES | {"get"}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def document_error_responses(result, generator, request, public):
    """Add 400 / 403 / 404 to each operation that does not say otherwise."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            if method in WRITES or operation.get("parameters"):
                responses.setdefault("400", _error("Invalid input."))
            responses.setdefault("403", _error("Not signed in, or not allowed."))
            pages = any(p.get("name") == "page" for p in operation.get("parameters", []))
            if "{" in path or pages:
                responses.setdefault(
                    "404", _error("No such record or page, or not visible to you.")
                )
            if "requestBody" in operation:
                responses.setdefault("415", _error("Unsupported media type."))
    return result
