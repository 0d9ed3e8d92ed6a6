"""/favicon.ico: browsers ask for it on every page that names no icon (the API's docs, JSON,
a download), so it answers with the platform's icon rather than a 404 (issue 12)."""

from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

ICON = "web/favicon.ico"


@cache
def _icon() -> bytes:
    path = finders.find(ICON)
    assert isinstance(path, str), f"{ICON} is missing from the static files"
    with open(path, "rb") as file:
        return file.read()


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_icon(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
