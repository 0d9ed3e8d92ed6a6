"""The tabs over a list page (待答复 / 已答复 / 全部 ...), each with its count and keeping the
list's other filters: written once for every dossier's list (core/_tab.html draws one)."""

from collections.abc import Mapping, Sequence
from typing import TypedDict

from django.http import HttpRequest
from django.urls import reverse


class Tab(TypedDict):
    key: str
    label: str
    count: int
    url: str


def query_without(request: HttpRequest, *drop: str) -> str:
    """The request's query string without the page number and `drop`."""
    query = request.GET.copy()
    for key in ("page", *drop):
        query.pop(key, None)
    return query.urlencode()


def state_tabs(
    request: HttpRequest,
    list_url: str,
    tabs: Sequence[tuple[str, str]],
    counts: Mapping[str, int],
    *,
    param: str = "state",
) -> list[Tab]:
    """One tab per (key, label) of `tabs` linking to the URL named `list_url` with
    ``param=key`` and the request's other filters; the count is ``counts[key]``, the sum of
    them all for the key "all"."""
    base, rest = reverse(list_url), query_without(request, param)
    return [
        {
            "key": key,
            "label": label,
            "count": sum(counts.values()) if key == "all" else counts[key],
            "url": f"{base}?{param}={key}{'&' + rest if rest else ''}",
        }
        for key, label in tabs
    ]
