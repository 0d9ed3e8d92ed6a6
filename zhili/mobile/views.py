"""The pages of 东海网格通, the grid worker's phone app at /m/, and what makes it installable:
the web app manifest and the service worker (served here so that its scope is /m/)."""

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from zhili.cases.models import Category, State
from zhili.cases.selectors import category_list, keyset_page
from zhili.cases.views.detail import timeline
from zhili.core.errors import InvalidInput
from zhili.core.pages import forbidden, or_404
from zhili.core.personal import mask_phone
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.forces.models import OFFLINE
from zhili.forces.selectors import force_of
from zhili.mobile import selectors
from zhili.mobile.selectors import OPEN_STATES
from zhili.orgs.auth import StaffRequest

APP_NAME = "东海网格通"
THEME_COLOR = "#0d3b7a"
# The app shell: cached by the service worker at install, so the app opens without network.
SHELL_STATIC = [
    "web/palette.css",
    "mobile/mobile.css",
    "mobile/app.js",
    "mobile/outbox.js",
    "mobile/report.js",
    "mobile/patrol.js",
    "mobile/duty.js",
    "mobile/icons/icon.svg",
    "mobile/icons/icon-192.png",
    "mobile/icons/icon-512.png",
]
# Pages kept for offline use (they need a signed-in user: cached on the first online visit).
SHELL_PAGES = ["mobile:home", "mobile:report", "mobile:patrols"]
PAGE_SIZE = 30


def _page(allowed: Callable[[StaffRequest], bool], refusal: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @login_required
        @require_GET
        @wraps(view)
        def wrapped(request: StaffRequest, *args: str, **kwargs: str) -> HttpResponse:
            if not allowed(request):
                return forbidden(request, refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _grid_user(request: StaffRequest) -> bool:
    return can(request.user, Action.MOBILE_USE)


# Signed in, and a grid worker or grid leader (Action.MOBILE_USE).
mobile_page = _page(_grid_user, "网格通（手机）仅供网格员、网格长使用")
# The home page is also the handheld of every field role linked to a force (处置力量).
handheld_page = _page(
    lambda request: selectors.may_use_app(request.user),
    "网格通（手机）仅供网格员、网格长和处置力量使用",
)


@handheld_page
def home(request: StaffRequest) -> HttpResponse:
    context: dict[str, object] = {"tab": "home", "grid_user": _grid_user(request)}
    force = force_of(request.user)
    if force is not None:
        labels = force.team.team_type.labels()
        context |= {
            "force": force,
            "force_labels": labels,
            "force_label": labels.get(force.status, force.status),
        }
        context["force_statuses"] = [
            (code, label) for code, label in force.team.team_type.statuses if code != OFFLINE
        ]
    if context["grid_user"]:
        cases = selectors.my_grid_cases(user=request.user)
        context |= {
            "grids": selectors.my_grids(user=request.user),
            "open_count": cases.filter(state__in=OPEN_STATES).count(),
            "carded_count": cases.filter(state__in=OPEN_STATES).exclude(card="").count(),
            "patrol_count": selectors.my_patrols(user=request.user).count(),
        }
    return render(request, "mobile/home.html", context)


def category_groups() -> list[tuple[str, list[Category]]]:
    """Leaves of the catalog, grouped under their top-level category (a native <select>)."""
    categories = list(category_list())
    parents = {c.parent_id for c in categories if c.parent_id}
    tops = {c.code: c.name for c in categories if c.parent_id is None}
    groups: dict[str, list[Category]] = {}
    for category in categories:
        if category.pk not in parents:
            groups.setdefault(tops.get(category.group_code, category.name), []).append(category)
    return list(groups.items())


@mobile_page
def report(request: StaffRequest) -> HttpResponse:
    context = {"groups": category_groups(), "tab": "report"}
    return render(request, "mobile/report.html", context)


@mobile_page
def case_list(request: StaffRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    show = show if show in ("open", "all", "mine") else "open"
    if show == "mine":
        qs = selectors.my_reports(user=request.user)
    else:
        qs = selectors.my_grid_cases(user=request.user)
    if show == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    try:
        page = keyset_page(qs, cursor=request.GET.get("cursor") or None, size=PAGE_SIZE)
    except InvalidInput as exc:
        raise Http404(exc.message) from exc
    context = {"page": page, "show": show, "tab": "cases"}
    return render(request, "mobile/cases.html", context)


@mobile_page
def case_detail(request: StaffRequest, case_no: str) -> HttpResponse:
    case = or_404(selectors.my_grid_case_get, user=request.user, case_no=case_no)
    context = {
        "case": case,
        "timeline": timeline(case),
        "attachments": case.attachments.order_by("uploaded_at"),
        "reporter_phone": mask_phone(case.reporter_phone),
        "closed": case.state in (State.CLOSED, State.RATED),
        "tab": "cases",
    }
    return render(request, "mobile/case_detail.html", context)


@mobile_page
def patrols(request: StaffRequest) -> HttpResponse:
    context = {
        "grids": selectors.my_grids(user=request.user),
        "patrols": selectors.my_patrols(user=request.user)[:50],
        "tab": "patrols",
    }
    return render(request, "mobile/patrols.html", context)


@require_GET
def offline(request: StaffRequest) -> HttpResponse:
    """What the service worker shows for a page it has not cached (no login needed)."""
    return render(request, "mobile/offline.html", {"tab": ""})


# --- installable: manifest and service worker ------------------------------------------------


@require_GET
@cache_control(max_age=3600)
def manifest(request: StaffRequest) -> JsonResponse:
    icons = [
        {"src": static("mobile/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("mobile/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("mobile/icons/icon-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
        {"src": static("mobile/icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    data = {
        "name": APP_NAME,
        "short_name": "网格通",
        "description": "东海县网格员手机端：事件上报、离线暂存、网格巡查",
        "lang": "zh-CN",
        "id": "/m/",
        "start_url": "/m/",
        "scope": "/m/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f4f6f9",
        "theme_color": THEME_COLOR,
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@lru_cache(maxsize=1)
def shell_version() -> str:
    """Changes whenever a shell file changes, so that phones install the new service worker."""
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        path = finders.find(name)
        if path:
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:12]


@require_GET
@never_cache
def service_worker(request: StaffRequest) -> HttpResponse:
    context = {
        "version": shell_version(),
        "static_urls": json.dumps([static(name) for name in SHELL_STATIC]),
        "shell_pages": json.dumps([reverse(name) for name in SHELL_PAGES]),
        "offline_url": reverse("mobile:offline"),
    }
    response = render(request, "mobile/sw.js", context, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/m/"
    return response
