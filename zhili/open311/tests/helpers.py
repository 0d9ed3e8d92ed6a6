"""Reading answers in either format, the way a client would (xmltodict, as the georeport
client parses XML)."""

import json
from typing import Any

import xmltodict


def items(response: Any, fmt: str, root: str, item: str) -> list[dict[str, Any]]:
    """The list the answer holds: a JSON array, or the XML root's repeated `item` children."""
    if fmt == "json":
        return json.loads(response.content)
    found = (xmltodict.parse(response.content)[root] or {}).get(item, [])
    return found if isinstance(found, list) else [found]


def errors(response: Any, fmt: str) -> list[dict[str, Any]]:
    found = items(response, fmt, "errors", "error")
    return [{"code": int(e["code"]), "description": e["description"]} for e in found]
