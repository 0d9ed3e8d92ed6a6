"""The people register's pages: 实有人口 (list with grid, role and q filters) and the person's
page (一人一档: masked fields, the audited reveal, roles with care level, history)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from zhili.core.dossier.pages import Page, keyset_page
from zhili.core.errors import DomainError
from zhili.core.pages import forbidden, or_404
from zhili.core.personal import mask_id_number, mask_phone
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.orgs.auth import StaffRequest
from zhili.registers import mentions, selectors, services
from zhili.registers.kinds import KINDS, Kind
from zhili.registers.models import Person, PersonRole

ACTION_LABELS = {
    "create": "登记",
    "update": "修改",
    "archive": "注销",
    "role_add": "增加类别",
    "role_update": "修改类别",
    "role_end": "结束类别",
    "import": "批量导入",
}
FIELD_LABELS = {
    f.name: str(f.verbose_name) for f in Person._meta.get_fields() if hasattr(f, "verbose_name")
}
FIELD_LABELS.update(
    {
        "role": "类别",
        "care_level": "关注程度",
        "details": "专项信息",
        "why": "原因",
        "import_job": "导入批次",
    }
)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _fields(changes: dict[str, object]) -> str:
    return "、".join(FIELD_LABELS.get(name, name) for name in changes)


def may_read(request: StaffRequest) -> bool:
    user = request.user
    return can(user, Action.REGISTERS_VIEW) or bool(selectors.worked_kinds(user))


@login_required
@require_GET
def person_list(request: StaffRequest) -> HttpResponse:
    if not may_read(request):
        return forbidden(request)
    grid = request.GET.get("grid", "").strip()[:40]
    role = request.GET.get("role", "").strip()[:20]
    q = request.GET.get("q", "").strip()[:60]
    page, problem = _people_page(request, grid=grid, role=role, q=q)
    context = {
        "people": [_masked(p) for p in (page.items if page else [])],
        "next_cursor": page.next_cursor if page else None,
        "grids": selectors.visible_grids(request.user),
        "kinds": Kind.choices,
        "grid": grid,
        "role": role,
        "q": q,
        "problem": problem,
        "query": urlencode({"grid": grid, "role": role, "q": q}),
        "may_reveal": can(request.user, Action.PERSONAL_DATA_REVEAL),
        "may_import": can(request.user, Action.REGISTERS_EDIT),
    }
    return render(request, "registers/list.html", context)


def _people_page(
    request: StaffRequest, *, grid: str, role: str, q: str
) -> tuple[Page[Person] | None, str]:
    """The page of the list the filters ask for (a special group's page audited), or the
    problem with the filters."""
    try:
        rows = selectors.people_list(request.user, grid=grid, role=role, q=q)
        cursor = request.GET.get("cursor", "")[:200]
        page = keyset_page(rows, field="created_at", cursor=cursor, size=50)
        selectors.audit_special_list(request.user, role, [p.pk for p in page.items])
    except DomainError as exc:
        return None, exc.message
    return page, ""


def _masked(person: Person) -> dict[str, object]:
    return {
        "person": person,
        "id_number": mask_id_number(person.id_number),
        "phone": mask_phone(person.phone),
    }


@login_required
@require_http_methods(["GET", "POST"])
def person_detail(request: StaffRequest, person_id: int) -> HttpResponse:
    if not may_read(request):
        return forbidden(request)
    person = or_404(selectors.person_get, request.user, person_id)
    revealed, problem = _reveal(request, person) if request.method == "POST" else ("", "")
    context = {
        "person": person,
        "id_number": mask_id_number(person.id_number),
        "phone": mask_phone(person.phone),
        "revealed": revealed,
        "revealed_field": request.POST.get("field", "") if revealed else "",
        "may_reveal": can(request.user, Action.PERSONAL_DATA_REVEAL),
        "problem": problem,
        "roles": [_role_row(r) for r in selectors.person_roles(request.user, person)],
        "houses": selectors.person_houses(request.user, person),
        "records": mentions.records_naming(request.user, person=person),
        "history": _history(person),
    }
    return render(request, "registers/detail.html", context)


def _reveal(request: StaffRequest, person: Person) -> tuple[str, str]:
    """The posted field of `person` in full (audited), or the problem: (revealed, problem)."""
    try:
        field = request.POST.get("field", "")
        return services.person_reveal(actor=request.user, person_id=person.pk, field=field), ""
    except DomainError as exc:
        return "", exc.message


def _role_row(role: PersonRole) -> dict[str, object]:
    spec = KINDS[role.kind]
    return {
        "role": role,
        "label": Kind(role.kind).label,
        "special": spec.special,
        "fields": [
            (spec.fields[k].label, _shown(v)) for k, v in role.details.items() if k in spec.fields
        ],
    }


def _history(person: Person) -> list[dict[str, object]]:
    return [
        {"change": c, "label": ACTION_LABELS.get(c.action, c.action), "fields": _fields(c.changes)}
        for c in person.changes.select_related("actor")[:50]
    ]
