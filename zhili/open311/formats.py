"""The two wire formats of GeoReport v2 (JSON and XML, chosen by the URL's suffix), W3C
datetimes, and the spec's error documents."""

import json
import re
from collections.abc import Iterable
from datetime import date, datetime, time
from xml.etree import ElementTree

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from zhili.core.dates import check_moment
from zhili.core.errors import InvalidInput

JSON, XML = "json", "xml"
FORMATS = (JSON, XML)
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}
MEDIA_TYPES = ["text/xml", "application/json"]  # as the discovery document lists them

# The element name of one item of each list, in XML (JSON just uses arrays).
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
_DECODED_PLUS = re.compile(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(value: str) -> str:
    """Input text without the control characters no column and no XML document can hold
    (PostgreSQL refuses NUL outright); tabs and line breaks stay."""
    return _XML_ILLEGAL.sub("", value)


def w3c(moment: datetime | None) -> str | None:
    """2026-11-26T18:00:00+08:00: local time with its offset (the spec's W3C subset)."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def parse_w3c(value: str, *, field: str) -> datetime:
    """A W3C datetime (with Z or an offset) or a plain date (the local day's start).

    A datetime without an offset is read as local time rather than refused: clients of a
    county platform send Beijing time.
    """
    # An unencoded "+08:00" in a query string arrives as " 08:00".
    text = _DECODED_PLUS.sub(r"\1+\2", value.strip())
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        moment = day = None
    if moment is None and day is None:
        raise InvalidInput(
            f"{value} 不是有效的 W3C 日期时间（如 2026-11-26T18:00:00+08:00）", field=field
        )
    if moment is None:
        assert day is not None
        moment = datetime.combine(day, time.min)
    # 2000-2099 and offsets within ±14:00 (zhili.core.dates), local time when naive.
    return check_moment(moment, field=field)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3c(value)
    if isinstance(value, date):
        return value.isoformat()
    # XML 1.0 cannot carry most control characters, even escaped.
    return _XML_ILLEGAL.sub("", str(value))


def _fill(element: ElementTree.Element, value: object) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ElementTree.SubElement(element, key), child)
    elif isinstance(value, list | tuple):
        tag = ITEM_TAGS.get(element.tag, "item")
        for child in value:
            _fill(ElementTree.SubElement(element, tag), child)
    else:
        element.text = _text(value)


def to_xml(root: str, data: object) -> bytes:
    element = ElementTree.Element(root)
    _fill(element, data)
    body = ElementTree.tostring(element, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}'.encode()


def _json_default(value: object) -> str | None:
    if isinstance(value, datetime):
        return w3c(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def render(fmt: str, root: str, data: object, *, status: int = 200) -> HttpResponse:
    """`data` as JSON, or as XML under the element `root` (lists become repeated items)."""
    if fmt == JSON:
        body = json.dumps(data, ensure_ascii=False, default=_json_default).encode()
    else:
        body = to_xml(root, data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error_response(fmt: str, status: int, descriptions: Iterable[str]) -> HttpResponse:
    errors = [{"code": status, "description": text} for text in descriptions]
    return render(fmt, "errors", errors, status=status)


def interface_error(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    """An error under /open311/ that reached Django's handlers (zhili.core.api_errors), in the
    format the path's suffix names."""
    fmt = JSON if request.path_info.endswith(".json") else XML
    return error_response(fmt, status, [detail])
