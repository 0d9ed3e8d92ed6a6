from django.contrib import admin
from django.urls import include, path

from zhili.api import api
from zhili.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("zhili.orgs.urls")),
    path("", include("zhili.web.urls")),
]
