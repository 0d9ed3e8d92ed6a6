"""An OpenAPI 3 description of the GeoReport v2 endpoints (JSON format), served at
/open311/v2/openapi.json so that clients and the fuzzer (zhili/core/tests/test_fuzz_open311.py)
know each operation's inputs, answers and errors. The XML twins take the same inputs."""

from collections.abc import Mapping

# A part of the document (a JSON object), only ever serialized.
Doc = dict[str, object]

_TEXT: Doc = {"type": "string"}
_W3C: Doc = {
    "type": "string",
    "description": "W3C 日期时间，如 2026-11-26T18:00:00+08:00（2000–2099 年）",
}
_ERRORS: Doc = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": _TEXT},
    },
}
_REQUEST: Doc = {
    "type": "object",
    "required": ["service_request_id", "status"],
    "properties": {
        "service_request_id": _TEXT,
        "status": {"type": "string", "enum": ["open", "closed"]},
    },
}
_TOKEN: Doc = {
    "type": "object",
    "required": ["service_request_id", "token"],
    "properties": {"service_request_id": _TEXT, "token": _TEXT},
}
_CREATED: Doc = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["service_request_id", "token"],
        "properties": {"service_request_id": _TEXT, "token": _TEXT, "service_notice": _TEXT},
    },
}


def _json(schema: Mapping[str, object], description: str) -> Doc:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> Doc:
    return {str(status): _json(_ERRORS, "GeoReport v2 错误列表") for status in statuses}


def _path_param(name: str, description: str) -> Doc:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": _TEXT,
        "description": description,
    }


def _query(name: str, schema: Mapping[str, object], description: str) -> Doc:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


_SUBMISSION: Doc = {
    "type": "object",
    "required": ["api_key", "service_code"],
    "properties": {
        "api_key": _TEXT,
        "service_code": _TEXT,
        "lat": _TEXT,
        "long": _TEXT,
        "address_string": _TEXT,
        "description": _TEXT,
        "media_url": _TEXT,
        "email": _TEXT,
        "device_id": _TEXT,
        "account_id": _TEXT,
        "first_name": _TEXT,
        "last_name": _TEXT,
        "phone": _TEXT,
        "attribute[SOURCE]": _TEXT,
        "attribute[SINCE]": _W3C,
        "attribute[DECIBEL]": _TEXT,
    },
}


_CREATED_LINKS: Doc = {
    "request": {
        "operationId": "request_detail",
        "parameters": {"service_request_id": "$response.body#/0/service_request_id"},
    },
    "token": {
        "operationId": "token_detail",
        "parameters": {"token": "$response.body#/0/token"},
    },
}


def _catalog_paths(base: str) -> Doc:
    """Discovery and the service catalog."""
    return {
        f"{base}/discovery.json": {
            "get": {
                "operationId": "discovery",
                "responses": {"200": _json({"type": "object"}, "服务发现")},
            }
        },
        f"{base}/services.json": {
            "get": {
                "operationId": "service_list",
                "responses": {"200": _json({"type": "array"}, "服务类型")},
            }
        },
        f"{base}/services/{{service_code}}.json": {
            "get": {
                "operationId": "service_definition",
                "parameters": [_path_param("service_code", "服务类型编码")],
                "responses": {"200": _json({"type": "object"}, "附加信息项"), **_errors(404)},
            }
        },
    }


def _request_list_and_create() -> Doc:
    return {
        "get": {
            "operationId": "request_list",
            "parameters": [
                _query("service_request_id", _TEXT, "工单编号，逗号分隔"),
                _query("service_code", _TEXT, "服务类型编码，逗号分隔"),
                _query("start_date", _W3C, "起始时间"),
                _query("end_date", _W3C, "截止时间"),
                _query("status", _TEXT, "open 或 closed，逗号分隔"),
            ],
            "responses": {
                "200": _json({"type": "array", "items": _REQUEST}, "诉求列表"),
                **_errors(400),
            },
        },
        "post": {
            "operationId": "request_create",
            "requestBody": {
                "required": True,
                "content": {"application/x-www-form-urlencoded": {"schema": _SUBMISSION}},
            },
            "responses": {
                "201": {**_json(_CREATED, "已受理"), "links": _CREATED_LINKS},
                **_errors(400, 403, 404, 413),
            },
        },
    }


def _request_paths(base: str) -> Doc:
    """The service requests: list, create, read one, and read a token."""
    get_request = {
        "operationId": "request_detail",
        "parameters": [_path_param("service_request_id", "工单编号")],
        "responses": {"200": _json({"type": "array", "items": _REQUEST}, "诉求"), **_errors(404)},
    }
    get_token = {
        "operationId": "token_detail",
        "parameters": [_path_param("token", "查询令牌")],
        "responses": {
            "200": _json({"type": "array", "items": _TOKEN}, "令牌对应的诉求编号"),
            **_errors(404),
        },
    }
    return {
        f"{base}/requests.json": _request_list_and_create(),
        f"{base}/requests/{{service_request_id}}.json": {"get": get_request},
        f"{base}/tokens/{{token}}.json": {"get": get_token},
    }


def document(base: str = "/open311/v2") -> Doc:
    """The OpenAPI document; `links` tie a created request to its reads (the stateful phase)."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Zhili Open311 GeoReport v2", "version": "2"},
        "paths": {**_catalog_paths(base), **_request_paths(base)},
    }
