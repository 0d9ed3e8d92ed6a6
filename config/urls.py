from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhili.api import api
from zhili.core.dossier.views import dossier_code
from zhili.core.views import healthz, live_relay
from zhili.web import views as web_views
from zhili.web.favicon import favicon

auth_urlpatterns = [
    path("login/", web_views.LoginView.as_view(), name="login"),
    # Django's LogoutView accepts POST only: the navigation bar posts a form to it.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Our own view: a password change must also revoke the user's bearer tokens.
    path("password/change/", web_views.password_change, name="password_change"),
    path("password/change/done/", web_views.password_change_done, name="password_change_done"),
]

# The apps whose pages hang from the root, in the order their patterns are tried.
PAGE_APPS = (
    "orgs",
    "cases",
    "supervision",
    "integrations",
    "open311",
    "portal",
    "mobile",
    "imports",
    "mediation",
    "petitions",
    "receptions",
    "video",
    "rooms",
    "training",
    "forces",
    "incidents",
    "intercom",
    "registers",
    "warnings",
    "inspections",
    "opinions",
    "plans",
    "reports",
    "assessment",
    "web",
    "screen",
)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("internal/live-relay", live_relay, name="live_relay"),
    path("favicon.ico", favicon, name="favicon"),
    # 一案一码: a dossier's QR opens it (zhili/core/dossier/codes.py).
    path("d/<str:code>/", dossier_code, name="dossier_code"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    *auth_urlpatterns,
    *(path("", include(f"zhili.{app}.urls")) for app in PAGE_APPS),
]

# The platform's own error pages (with DEBUG off; Django answers its technical pages otherwise).
handler400 = "zhili.web.errors.bad_request"
handler403 = "zhili.web.errors.permission_denied"
handler404 = "zhili.web.errors.page_not_found"
handler500 = "zhili.web.errors.server_error"
