"""Pages of the organization tree, the grid map, the boundaries (区划边界) and staff management.

Every read goes through `selectors` (which apply the user's scope); every write through
`services`. "Not found" and "not yours" are the same 404.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from zhili.core.errors import DomainError, NotFound
from zhili.core.pages import forbidden, or_404, tile_config
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.orgs import selectors, services
from zhili.orgs.auth import StaffRequest
from zhili.orgs.boundary_file import MAX_MB, upload_content
from zhili.orgs.forms import BoundaryUploadForm, StaffFilterForm, StaffForm
from zhili.orgs.models import Boundary, BoundarySource, Level, Organization, User

# Township colours on the grid map: distinct, readable on a light background.
TOWNSHIP_PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#17becf", "#bcbd22", "#3f51b5", "#009688", "#f44336", "#795548", "#607d8b",
    "#ff9800", "#4caf50", "#673ab7", "#00bcd4", "#e91e63", "#8bc34a", "#ffc107",
    "#03a9f4", "#9c27b0", "#cddc39",
]  # fmt: skip


def requires(action: str) -> Callable:
    """Login required, then the action: a signed-in user without it gets the 403 page."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not can(request.user, action):
                return forbidden(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def get_org_or_404(user: Actor, code: str) -> Organization:
    return or_404(selectors.organization_get, user=user, code=code)


# --- organization tree -------------------------------------------------------------------------


@requires(Action.ORGS_VIEW)
@require_GET
def tree(request: StaffRequest) -> HttpResponse:
    return render(request, "orgs/tree.html", tree_context(request.user))


def tree_context(user: Actor, selected: Organization | None = None) -> dict[str, object]:
    roots = list(selectors.organization_children(user=user, parent=None))
    context: dict[str, object] = {"nodes": roots, "selected": selected}
    if len(roots) == 1:
        # One root (the user's own unit): open it, so the page starts with something to read.
        context["open_root"] = roots[0]
        context["root_children"] = selectors.organization_children(user=user, parent=roots[0])
    if selected is not None:
        context.update(detail_context(user, selected))
    return context


@requires(Action.ORGS_VIEW)
@require_GET
def tree_children(request: StaffRequest) -> HttpResponse:
    parent = get_org_or_404(request.user, request.GET.get("parent", ""))
    nodes = selectors.organization_children(user=request.user, parent=parent)
    return render(request, "orgs/_tree_nodes.html", {"nodes": nodes})


@requires(Action.ORGS_VIEW)
@require_GET
def tree_search(request: StaffRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:50].strip()
    results = selectors.organization_search(user=request.user, text=text, limit=30) if text else []
    return render(request, "orgs/_search_results.html", {"results": results, "q": text})


def detail_context(user: Actor, org: Organization) -> dict[str, object]:
    scope = scope_for(user)
    ancestors = [
        {"org": a, "linked": scope.covers_path(a.path)}
        for a in selectors.organization_ancestors(org)
    ]
    staff = selectors.staff_list(user=user).filter(organization=org).order_by("username")
    grids = selectors.grid_list(user=user, village=org.code) if org.level == Level.VILLAGE else []
    child_count = selectors.organization_list(user=user).filter(parent=org).count()
    return {
        "org": org,
        "ancestors": ancestors,
        "staff": staff,
        "grids": grids,
        "child_count": child_count,
    }


@requires(Action.ORGS_VIEW)
@require_GET
def org_detail(request: StaffRequest, code: str) -> HttpResponse:
    org = get_org_or_404(request.user, code)
    if request.htmx:
        return render(request, "orgs/_detail.html", detail_context(request.user, org))
    return render(request, "orgs/tree.html", tree_context(request.user, selected=org))


# --- grid map ---------------------------------------------------------------------------------


@requires(Action.GRIDS_VIEW)
@require_GET
def grid_map(request: StaffRequest) -> HttpResponse:
    townships = list(selectors.township_list(user=request.user).order_by("code"))
    colours = {t.code: TOWNSHIP_PALETTE[i % len(TOWNSHIP_PALETTE)] for i, t in enumerate(townships)}
    config = {
        "gridsUrl": reverse("api:grid_collection"),
        "locateUrl": reverse("api:grid_locate"),
        **tile_config(),
        "townshipColours": colours,
        "initialTownship": request.GET.get("township", "")
        if request.GET.get("township") in colours
        else "",
    }
    legend = [
        {"code": t.code, "name": t.display_area, "colour": colours[t.code]} for t in townships
    ]
    context = {"townships": legend, "map_config": config}
    return render(request, "orgs/grid_map.html", context)


# --- boundaries (区划边界) -------------------------------------------------------------------


@requires(Action.ORGS_MANAGE)
@require_http_methods(["GET", "POST"])
def boundaries(request: StaffRequest) -> HttpResponse:
    """The units' boundaries (示意 or 正式), the upload of an official file, a map of them."""
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "error_field": None}
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.boundaries_import(
                    actor=request.user, name=upload.name or "", content=upload_content(upload)
                )
            except DomainError as exc:
                form.add_error("file", exc.message)
                context["error_field"] = exc.field if exc.field != "file" else None
            else:
                _report_import(request, result)
                return redirect("orgs:boundaries")
        return render(
            request, "orgs/boundaries.html", {**context, **boundaries_context(request)}, status=422
        )
    return render(request, "orgs/boundaries.html", {**context, **boundaries_context(request)})


def boundaries_context(request: StaffRequest) -> dict[str, object]:
    units = list(selectors.boundary_units_list(user=request.user))
    rows: dict[int, dict[str, Any]] = {}
    county = []
    for unit in units:
        entry: dict[str, Any] = {"unit": unit, "boundary": _boundary_of(unit), "villages": []}
        if unit.level == Level.TOWNSHIP:
            rows[unit.pk] = entry
        elif unit.level == Level.VILLAGE and unit.parent_id in rows:
            rows[unit.parent_id]["villages"].append(entry)
        elif unit.level == Level.COUNTY:
            county.append(entry)
    townships = list(rows.values())
    for row in townships:
        row["official"] = sum(_is_official(v) for v in row["villages"])
    villages = [v for row in townships for v in row["villages"]]
    return {
        "county": county,
        "townships": townships,
        "totals": {
            "townships": len(townships),
            "townships_official": sum(_is_official(t) for t in townships),
            "villages": len(villages),
            "villages_official": sum(_is_official(v) for v in villages),
        },
        "max_mb": MAX_MB,
        "map_config": {"boundariesUrl": reverse("api:boundary_collection"), **tile_config()},
    }


def _boundary_of(unit: Organization) -> Boundary | None:
    return getattr(unit, "boundary", None)


def _is_official(entry: dict[str, Any]) -> bool:
    boundary = entry["boundary"]
    return boundary is not None and boundary.source == BoundarySource.OFFICIAL


LEVEL_NAMES = {Level.COUNTY: "县", Level.TOWNSHIP: "乡镇", Level.VILLAGE: "村（社区）"}


def _by_level(counts: dict[str, int]) -> str:
    parts = [f"{name} {counts[level]}" for level, name in LEVEL_NAMES.items() if counts.get(level)]
    return f"（{'，'.join(parts)}）" if parts else ""


def _report_import(request: StaffRequest, result: services.BoundaryImport) -> None:
    added, replaced = sum(result.added.values()), sum(result.replaced.values())
    unchanged = sum(result.unchanged.values())
    text = (
        f"已导入“{result.file_name}”：新增 {added} 个{_by_level(result.added)}，"
        f"替换 {replaced} 个{_by_level(result.replaced)}"
    )
    if unchanged:
        text += f"，{unchanged} 个已是本文件的边界、未改动"
    missing = len(result.missing)
    text += f"；仍有 {missing} 个乡镇、村（社区）没有正式边界。" if missing else "。"
    messages.success(request, text)
    if result.repaired:
        fixed = "；".join(
            f"features[{r['feature']}]（{r['code']}）：{r['reason']}" for r in result.repaired[:10]
        )
        more = f"等 {len(result.repaired)} 个" if len(result.repaired) > 10 else ""
        messages.warning(request, f"以下要素的多边形无效，已自动修复{more}：{fixed}")


# --- people and roles -------------------------------------------------------------------------

PAGE_SIZE = 20


@requires(Action.PEOPLE_MANAGE)
@require_GET
def people(request: StaffRequest) -> HttpResponse:
    filters = StaffFilterForm(request.GET)
    filters.is_valid()  # invalid values are dropped from cleaned_data, never an error page
    data = filters.cleaned_data
    qs = selectors.staff_list(user=request.user).order_by("organization__path", "username")
    if data.get("q"):
        text = data["q"].strip()
        qs = qs.filter(
            Q(username__icontains=text) | Q(full_name__icontains=text) | Q(title__icontains=text)
        )
    filter_org = None
    if data.get("organization"):
        try:
            filter_org = selectors.organization_get(user=request.user, code=data["organization"])
        except NotFound:
            filters.add_error("organization", "单位不存在或不在您的管辖范围内")
            qs = qs.none()
        else:
            qs = qs.filter(organization__path__startswith=filter_org.path)
    if data.get("role"):
        qs = qs.filter(groups__name=data["role"]).distinct()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "filter_org": filter_org, "query": _query(request)}
    template = "orgs/_people_table.html" if request.htmx else "orgs/people.html"
    return render(request, template, context)


def _query(request: StaffRequest) -> str:
    """The current filters as a query string, without the page number."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@requires(Action.PEOPLE_MANAGE)
@require_http_methods(["GET", "POST"])
def person_create(request: StaffRequest) -> HttpResponse:
    form = StaffForm(request.POST or None, actor=request.user)
    if request.method == "POST":
        if not form.is_valid():
            return person_form(request, form, status=400)
        data = form.cleaned_data
        try:
            person = services.user_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                organization=data["organization"],
                roles=data["roles"],
                password=data["password"] or None,
                phone=data["phone"],
                title=data["title"],
            )
        except DomainError as exc:
            return person_form(request, form, error=exc)
        messages.success(request, f"已创建账号 {person.username}（{person.display_name}）")
        return done(request)
    return person_form(request, form)


def _person_initial(person: User) -> dict[str, str | bool | list[str]]:
    return {
        "full_name": person.full_name,
        "organization": person.organization.code if person.organization else "",
        "roles": [g.name for g in person.groups.all()],
        "title": person.title,
        "is_active": person.is_active,
    }


@requires(Action.PEOPLE_MANAGE)
@require_http_methods(["GET", "POST"])
def person_edit(request: StaffRequest, pk: int) -> HttpResponse:
    person = or_404(selectors.staff_get, user=request.user, pk=pk)
    # The stored phone number is never echoed into the form: it stays masked on every page.
    form = StaffForm(
        request.POST or None, actor=request.user, editing=True, initial=_person_initial(person)
    )
    form.mask_current_phone(person.phone)
    if request.method == "POST":
        if not form.is_valid():
            return person_form(request, form, person=person, status=400)
        data = form.cleaned_data
        try:
            services.user_update(
                actor=request.user,
                user=person,
                full_name=data["full_name"],
                organization=data["organization"],
                roles=data["roles"],
                phone=data["phone"] or person.phone,
                title=data["title"],
                is_active=data["is_active"],
            )
        except DomainError as exc:
            return person_form(request, form, person=person, error=exc)
        messages.success(request, f"已保存 {person.username}（{person.display_name}）的信息")
        return done(request)
    return person_form(request, form, person=person)


def person_form(
    request: StaffRequest,
    form: StaffForm,
    *,
    person: User | None = None,
    error: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    if error is not None:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        # A 404 from a service is about an input (a unit out of scope): answer 422, not 404.
        status = 422 if error.status == 404 else error.status
    org_code = form["organization"].value() or ""
    context = {"form": form, "person": person, "org_label": _org_label(request.user, org_code)}
    template = "orgs/_person_form.html" if request.htmx else "orgs/person_form.html"
    return render(request, template, context, status=status)


def _org_label(user: Actor, code: str) -> str:
    if not code:
        return ""
    try:
        return selectors.organization_get(user=user, code=code).name
    except NotFound:
        return ""


def done(request: StaffRequest) -> HttpResponse:
    url = reverse("orgs:people")
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


@requires(Action.PEOPLE_MANAGE)
@require_GET
def organization_options(request: StaffRequest) -> HttpResponse:
    """Search results for the unit picker of the staff form (a list of buttons)."""
    text = request.GET.get("organization_search", request.GET.get("q", ""))[:50].strip()
    results = selectors.organization_search(user=request.user, text=text, limit=20) if text else []
    return render(request, "orgs/_org_options.html", {"results": results, "q": text})
