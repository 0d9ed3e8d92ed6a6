"""GeoReport v2 under /open311/v2/; `fmt` is the suffix (json or xml)."""

from django.urls import path, re_path

from zhili.open311 import views

app_name = "open311"

_FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"

urlpatterns = [
    path("open311/v2/", views.discovery, {"fmt": "xml"}, name="root"),
    path("open311/v2/openapi.json", views.openapi, name="openapi"),
    re_path(r"^open311/v2/discovery" + _FMT, views.discovery, name="discovery"),
    re_path(r"^open311/v2/services" + _FMT, views.service_list, name="services"),
    re_path(
        r"^open311/v2/services/(?P<code>[^/]+?)" + _FMT,
        views.service_definition,
        name="service",
    ),
    re_path(r"^open311/v2/requests" + _FMT, views.service_requests, name="requests"),
    re_path(
        r"^open311/v2/requests/(?P<request_id>[^/]+?)" + _FMT,
        views.request_detail,
        name="request",
    ),
    re_path(r"^open311/v2/tokens/(?P<token>[^/]+?)" + _FMT, views.token_detail, name="token"),
    re_path(r"^open311/v2/(?P<path>.*)$", views.not_found),
]
