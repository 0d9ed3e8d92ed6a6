"""The houses and places pages (实有房屋, 企业和社会组织, 学校, 护路护线, 重点地区): a list, a
create form, an edit form (the create form prefilled) and a record page each, whose history
shows each change's fields with their old and new values, and the houses' map over the grids.
The four places' registers are one set of views taking the kind from the address
(`places.BY_SLUG`)."""

from collections.abc import Mapping

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from zhili.core.dossier.pages import keyset_page
from zhili.core.errors import Conflict, DomainError
from zhili.core.pages import or_404, tile_config
from zhili.core.personal import mask_id_number
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Grid
from zhili.orgs.views import requires
from zhili.registers import houses, records, selectors
from zhili.registers.kinds import Field
from zhili.registers.models import (
    House,
    HouseOwnership,
    HouseStructure,
    HouseUse,
    Place,
    RecordChange,
)
from zhili.registers.places import BY_SLUG, PLACE_KINDS, PlaceKind, PlaceSpec
from zhili.registers.record_forms import (
    ArchiveForm,
    HazardForm,
    HouseForm,
    PlaceForm,
    TenancyForm,
)

ACTION_LABELS = {
    "create": "登记",
    "update": "修改",
    "archive": "注销",
    "tenancy_add": "登记承租人",
    "tenancy_end": "租住结束",
    "hazard_add": "发现隐患",
    "hazard_fix": "隐患整改",
}
OWNER_HELP = "不改动即保留原房主，清空即无房主；更换须已登记在实有人口中"
MAP_POINTS = 5000  # a township's houses; the map says when there are more


# The actions whose history rows are each field's [old, new] (a create's old is None); the
# tenancy and hazard rows name their row, shown in the tables above the history.
VALUE_ACTIONS = {"create", "update", "archive"}
COMMON_LABELS = {
    "grid": "所属网格",
    "address": "地址",
    "lat": "纬度",
    "lng": "经度",
    "archived": "注销",
    "archived_why": "注销原因",
    "demo": "演示数据",
}
HOUSE_LABELS = {
    **COMMON_LABELS,
    "use": "房屋用途",
    "ownership": "产权性质",
    "structure": "建筑结构",
    "area_m2": "建筑面积（平方米）",
    "owner": "房主",
    "let": "出租房屋",
}
CHOICE_LABELS: dict[str, dict[str, str]] = {
    "use": dict(HouseUse.choices),
    "ownership": dict(HouseOwnership.choices),
    "structure": dict(HouseStructure.choices),
}
Names = dict[tuple[str, object], str]  # ("owner", person id) or ("grid", code): its name


def place_labels(spec: PlaceSpec) -> dict[str, str]:
    facts = {key: field.label for key, field in spec.fields.items()}
    return {**COMMON_LABELS, "name": spec.name_label, "credit_code": "统一社会信用代码", **facts}


def history(
    user: Actor, rows: QuerySet[RecordChange], labels: Mapping[str, str]
) -> list[dict[str, object]]:
    """The newest 50 changes of a record, each with its fields (label, old, new) shown."""
    changes = list(rows.select_related("actor")[:50])
    names = _names(user, changes)
    return [
        {
            "change": c,
            "label": ACTION_LABELS.get(c.action, c.action),
            "fields": _changed_fields(c, labels, names) if c.action in VALUE_ACTIONS else [],
        }
        for c in changes
    ]


def _pairs(change: RecordChange, key: str) -> list[object]:
    pair = change.changes.get(key)
    return pair if isinstance(pair, list) else []


def _names(user: Actor, changes: list[RecordChange]) -> Names:
    """The names of the owners (those in the user's sight) and grids the changes name."""
    owners = {v for c in changes for v in _pairs(c, "owner") if isinstance(v, int)}
    codes = {v for c in changes for v in _pairs(c, "grid") if isinstance(v, str)}
    names: Names = {}
    if owners:
        people = selectors.people_visible(user).filter(pk__in=owners)
        names.update({("owner", pk): name for pk, name in people.values_list("pk", "name")})
    if codes:
        grids = Grid.objects.filter(code__in=codes).values_list("code", "name")
        names.update({("grid", code): name for code, name in grids})
    return names


def _changed_fields(
    change: RecordChange, labels: Mapping[str, str], names: Names
) -> list[dict[str, str]]:
    rows = []
    for key, pair in change.changes.items():
        if not (isinstance(pair, list) and len(pair) == 2):
            continue
        old, new = (_value(key, value, names) for value in pair)
        rows.append({"label": labels.get(key, key), "old": old, "new": new})
    return rows


def _value(key: str, value: object, names: Names) -> str:
    """A history value as the page shows it: a choice by its label, an owner or grid by its
    name, yes or no, an empty value as a dash."""
    if value is None or value == "":
        return "—"
    if (key, value) in names:
        return names[key, value]
    if key == "owner":
        return f"人员编号 {value}"  # out of the user's sight: the number only
    if key in CHOICE_LABELS and isinstance(value, str):
        return CHOICE_LABELS[key].get(value, value)
    return "是" if value is True else "否" if value is False else str(value)


def shown(field: Field, value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def may_keep(request: StaffRequest, record: House | Place) -> bool:
    return can(request.user, Action.REGISTERS_EDIT) and selectors.holds_grid(
        request.user, record.grid
    )


def form_error(form: forms.BaseForm, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def person_by_id_number(request: StaffRequest, form: forms.BaseForm, field: str) -> int | None:
    """The person of the register in sight with the form's ID number (an error otherwise)."""
    number = form.cleaned_data.get(field, "").strip().upper()
    if not number:
        return None
    try:
        person = selectors.people_list(request.user, q=number).first()
    except DomainError:
        person = None
    if person is None or person.id_number != number:
        form.add_error(field, "实有人口中未找到该身份证号码，请先登记人员")
        return None
    return person.pk


# --- houses ----------------------------------------------------------------------------------


@requires(Action.REGISTERS_VIEW)
@require_GET
def house_list(request: StaffRequest) -> HttpResponse:
    grid = request.GET.get("grid", "").strip()[:40]
    let = request.GET.get("let", "")
    q = request.GET.get("q", "").strip()[:60]
    rows = selectors.house_list(request.user, grid=grid, let={"1": True, "0": False}.get(let), q=q)
    page = keyset_page(rows, field="created_at", cursor=request.GET.get("cursor", "")[:200])
    open_hazards = selectors.open_hazard_counts([h.pk for h in page.items])
    context = {
        "houses": [{"house": h, "hazards": open_hazards.get(h.pk, 0)} for h in page.items],
        "next_cursor": page.next_cursor,
        "grids": selectors.visible_grids(request.user),
        "grid": grid,
        "let": let,
        "q": q,
        "may_edit": can(request.user, Action.REGISTERS_EDIT),
    }
    return render(request, "registers/houses.html", context)


@requires(Action.REGISTERS_EDIT)
@require_http_methods(["GET", "POST"])
def house_new(request: StaffRequest) -> HttpResponse:
    form = HouseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        owner_id = person_by_id_number(request, form, "owner_id_number")
        if not form.errors:
            values = {**form.cleaned_data, "owner_id": owner_id}
            try:
                house = houses.house_create(actor=request.user, values=values)
            except DomainError as exc:
                form_error(form, exc)
            else:
                return redirect("registers:house", house_id=house.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": "登记房屋", "back": reverse("registers:houses")}
    return render(request, "registers/record_form.html", context, status=status)


@requires(Action.REGISTERS_EDIT)
@require_http_methods(["GET", "POST"])
def house_edit(request: StaffRequest, house_id: int) -> HttpResponse:
    house = or_404(selectors.house_get, request.user, house_id)
    if not may_keep(request, house):
        raise Http404(selectors.HOUSE_MISSING)
    owner = mask_id_number(house.owner.id_number) if house.owner else ""
    form = HouseForm(request.POST or None, user=request.user, initial=_house_initial(house, owner))
    form.fields["owner_id_number"].help_text = OWNER_HELP
    refused = "该房屋已注销，不能修改" if house.archived else ""
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and not refused and form.is_valid():
        values = _house_values(request, form, owner)
        try:
            if not form.errors:
                houses.house_update(actor=request.user, house_id=house.pk, values=values)
                return redirect("registers:house", house_id=house.pk)
        except DomainError as exc:
            form_error(form, exc)
            status = 409 if isinstance(exc, Conflict) else status
    context = {
        "form": form,
        "title": "编辑房屋",
        "label": house.address,
        "back": reverse("registers:house", kwargs={"house_id": house.pk}),
        **_edit_context(refused),
    }
    return render(request, "registers/record_form.html", context, status=409 if refused else status)


def _edit_context(refused: str) -> dict[str, str]:
    return {"back_label": "返回记录", "submit": "保存修改", "refused": refused}


def _house_initial(house: House, owner: str) -> dict[str, object]:
    fields = ("address", "lat", "lng", "use", "ownership", "structure", "area_m2", "let")
    return {"grid": house.grid.code, "owner_id_number": owner, **_attrs(house, fields)}


def _attrs(record: House | Place, fields: tuple[str, ...]) -> dict[str, object]:
    return {name: getattr(record, name) for name in fields}


def _house_values(request: StaffRequest, form: HouseForm, owner: str) -> dict[str, object]:
    """The edit form's values for the service; the owner's masked number left as it was
    prefilled keeps the owner, an empty one leaves the house without an owner."""
    values = {k: v for k, v in form.cleaned_data.items() if k != "owner_id_number"}
    number = form.cleaned_data["owner_id_number"].strip().upper()
    if number != owner:
        values["owner_id"] = person_by_id_number(request, form, "owner_id_number")
    return values


HOUSE_FORMS: dict[str, type[forms.Form]] = {
    "tenancy": TenancyForm,
    "hazard": HazardForm,
    "archive": ArchiveForm,
}
DAY_STEPS = {"tenancy_end", "hazard_fix"}  # a button with the day, no form of its own


def _house_post(
    request: StaffRequest, house: House, house_forms: dict[str, forms.Form]
) -> tuple[bool, str]:
    """Take the posted step on `house`: (done, problem). Refused, the step's form has the
    errors, or, for a step without a form, `problem` says why."""
    step = request.POST.get("step", "")
    form = house_forms.get(step)
    try:
        if step in DAY_STEPS:
            _day_step(request, house, step)
            return True, ""
        if form is None or not form.is_valid():
            return False, ""
        return _form_step(request, house, step, form), ""
    except (DomainError, ValueError) as exc:
        message = exc.message if isinstance(exc, DomainError) else "参数错误"
        if form is None:
            return False, message
        field = getattr(exc, "field", None)
        form.add_error(field if field in form.fields else None, message)
        return False, ""


def _day_step(request: StaffRequest, house: House, step: str) -> None:
    """End a tenancy or mark a hazard fixed (its id and the day posted)."""
    day = request.POST.get("day", "")
    row_id = int(request.POST.get("id", "0") or 0)
    if step == "tenancy_end":
        houses.tenancy_end(actor=request.user, house_id=house.pk, tenancy_id=row_id, ends_on=day)
    else:
        houses.hazard_fix(actor=request.user, house_id=house.pk, hazard_id=row_id, fixed_on=day)


def _form_step(request: StaffRequest, house: House, step: str, form: forms.Form) -> bool:
    """Let the house, add a hazard or archive it, from the step's valid form."""
    data = form.cleaned_data
    if step == "tenancy":
        person_id = person_by_id_number(request, form, "id_number")
        if person_id is None:
            return False
        houses.tenancy_add(
            actor=request.user,
            house_id=house.pk,
            person_id=person_id,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )
    elif step == "hazard":
        houses.hazard_add(actor=request.user, house_id=house.pk, **data)
    else:
        houses.house_archive(actor=request.user, house_id=house.pk, why=data["why"])
    return True


@requires(Action.REGISTERS_VIEW)
@require_http_methods(["GET", "POST"])
def house_detail(request: StaffRequest, house_id: int) -> HttpResponse:
    house = or_404(selectors.house_get, request.user, house_id)
    keeper = may_keep(request, house)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    house_forms = {
        name: cls(request.POST if step == name else None, prefix=name)
        for name, cls in HOUSE_FORMS.items()
    }
    problem = ""
    if request.method == "POST":
        if not keeper:
            raise Http404(selectors.HOUSE_MISSING)
        done, problem = _house_post(request, house, house_forms)
        if done:
            return redirect("registers:house", house_id=house.pk)
        house = selectors.house_get(request.user, house_id)
    context = {
        "house": house,
        "owner_id_number": mask_id_number(house.owner.id_number) if house.owner else "",
        "tenancies": _tenancies(house),
        "hazards": house.hazards.order_by("fixed_on", "-found_on", "-id"),
        "history": history(request.user, house.changes.all(), HOUSE_LABELS),
        "keeper": keeper and not house.archived,
        "forms": house_forms,
        "problem": problem,
    }
    return render(request, "registers/house.html", context, status=400 if step else 200)


def _tenancies(house: House) -> list[dict[str, object]]:
    return [
        {"tenancy": t, "id_number": mask_id_number(t.person.id_number)}
        for t in selectors.house_tenancies(house)
    ]


@requires(Action.REGISTERS_VIEW)
@require_GET
def house_map(request: StaffRequest) -> HttpResponse:
    grid = request.GET.get("grid", "").strip()[:40]
    config = {
        "pointsUrl": reverse("registers:house_points"),
        "gridsUrl": "/api/v1/grids",
        "houseUrl": reverse("registers:houses"),
        "grid": grid,
        "max": MAP_POINTS,
        **tile_config(),
    }
    grids = selectors.visible_grids(request.user)
    return render(
        request, "registers/house_map.html", {"map_config": config, "grids": grids, "grid": grid}
    )


@requires(Action.REGISTERS_VIEW)
@require_GET
def house_points(request: StaffRequest) -> JsonResponse:
    """The placed houses in sight (not archived) as [id, address, let, open hazards, lat, lng]."""
    grid = request.GET.get("grid", "").strip()[:40]
    points = [_point(row) for row in selectors.house_points(request.user, grid=grid)[:MAP_POINTS]]
    return JsonResponse({"count": len(points), "houses": points})


def _point(row: selectors.HousePoint) -> list[object]:
    pk, address, let, hazards, lat, lng = row
    assert lat is not None and lng is not None  # the selector gives placed houses only
    return [pk, address, let, hazards, round(lat, 6), round(lng, 6)]


# --- places ----------------------------------------------------------------------------------


def _kind(slug: str) -> str:
    kind = BY_SLUG.get(slug)
    if kind is None:
        raise Http404("没有这个登记类别")
    return kind


def _kind_context(kind: str) -> dict[str, object]:
    spec = PLACE_KINDS[kind]
    return {
        "kind": kind,
        "slug": spec.slug,
        "spec": spec,
        "label": PlaceKind(kind).label,
        "columns": [spec.fields[c].label for c in spec.columns],
        "list_url": reverse(f"registers:places_{kind}"),
    }


@requires(Action.REGISTERS_VIEW)
@require_GET
def place_list(request: StaffRequest, slug: str) -> HttpResponse:
    kind = _kind(slug)
    spec = PLACE_KINDS[kind]
    grid = request.GET.get("grid", "").strip()[:40]
    q = request.GET.get("q", "").strip()[:60]
    rows = selectors.place_list(request.user, kind, grid=grid, q=q)
    page = keyset_page(rows, field="created_at", cursor=request.GET.get("cursor", "")[:200])
    places = [
        {
            "place": p,
            "cells": [shown(spec.fields[c], p.details.get(c, "—")) for c in spec.columns],
        }
        for p in page.items
    ]
    context = {
        **_kind_context(kind),
        "places": places,
        "next_cursor": page.next_cursor,
        "grids": selectors.visible_grids(request.user),
        "grid": grid,
        "q": q,
        "may_edit": can(request.user, Action.REGISTERS_EDIT),
    }
    return render(request, "registers/places.html", context)


@requires(Action.REGISTERS_EDIT)
@require_http_methods(["GET", "POST"])
def place_new(request: StaffRequest, slug: str) -> HttpResponse:
    kind = _kind(slug)
    form = PlaceForm(request.POST or None, user=request.user, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            place = records.place_create(actor=request.user, kind=kind, values=form.values())
        except DomainError as exc:
            place_error(form, slug, exc)
        else:
            return redirect("registers:place", slug=slug, place_id=place.pk)
    context = {
        **_kind_context(kind),
        "form": form,
        "title": f"登记{PLACE_KINDS[kind].short}",
        "back": reverse(f"registers:places_{kind}"),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "registers/record_form.html", context, status=status)


def place_error(form: PlaceForm, slug: str, exc: DomainError) -> None:
    """The service's refusal on the form; a duplicate credit code links the record."""
    form_error(form, exc)
    if isinstance(exc, records.DuplicatePlace):
        link = reverse("registers:place", kwargs={"slug": slug, "place_id": exc.existing.pk})
        form.add_error(None, f"已登记的记录：{exc.existing.name}（{link}）")


@requires(Action.REGISTERS_EDIT)
@require_http_methods(["GET", "POST"])
def place_edit(request: StaffRequest, slug: str, place_id: int) -> HttpResponse:
    kind = _kind(slug)
    place = or_404(selectors.place_get, request.user, kind, place_id)
    if not may_keep(request, place):
        raise Http404(selectors.PLACE_MISSING)
    form = PlaceForm(
        request.POST or None, user=request.user, kind=kind, initial=_place_initial(place)
    )
    refused = "该记录已注销，不能修改" if place.archived else ""
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and not refused and form.is_valid():
        values = form.values(clearing=True)
        try:
            records.place_update(actor=request.user, kind=kind, place_id=place.pk, values=values)
        except DomainError as exc:
            place_error(form, slug, exc)
            status = 409 if isinstance(exc, Conflict) else status
        else:
            return redirect("registers:place", slug=slug, place_id=place.pk)
    context = {
        **_kind_context(kind),
        "form": form,
        "title": f"编辑{PLACE_KINDS[kind].short}：{place.name}",
        "back": reverse("registers:place", kwargs={"slug": slug, "place_id": place.pk}),
        **_edit_context(refused),
    }
    return render(request, "registers/record_form.html", context, status=409 if refused else status)


def _place_initial(place: Place) -> dict[str, object]:
    facts = {f"details.{key}": value for key, value in place.details.items()}
    common = _attrs(place, ("name", "credit_code", "address", "lat", "lng"))
    return {**common, "grid": place.grid.code, **facts}


@requires(Action.REGISTERS_VIEW)
@require_http_methods(["GET", "POST"])
def place_detail(request: StaffRequest, slug: str, place_id: int) -> HttpResponse:
    kind = _kind(slug)
    place = or_404(selectors.place_get, request.user, kind, place_id)
    keeper = may_keep(request, place)
    form = ArchiveForm(request.POST if request.method == "POST" else None, prefix="archive")
    if request.method == "POST":
        if not keeper:
            raise Http404(selectors.PLACE_MISSING)
        if _place_archived(request, place, form):
            return redirect("registers:place", slug=slug, place_id=place.pk)
    context = {
        **_kind_context(kind),
        "place": place,
        "facts": _facts(PLACE_KINDS[kind], place),
        "history": history(request.user, place.changes.all(), place_labels(PLACE_KINDS[kind])),
        "keeper": keeper and not place.archived,
        "form": form,
    }
    return render(
        request, "registers/place.html", context, status=400 if request.method == "POST" else 200
    )


def _place_archived(request: StaffRequest, place: Place, form: ArchiveForm) -> bool:
    """Archive `place` from the posted form; False with the form's errors when refused."""
    if not form.is_valid():
        return False
    try:
        records.place_archive(
            actor=request.user, kind=place.kind, place_id=place.pk, why=form.cleaned_data["why"]
        )
    except DomainError as exc:
        form_error(form, exc)
        return False
    return True


def _facts(spec: PlaceSpec, place: Place) -> list[tuple[str, str]]:
    """The place's own fields as (label, shown value), in its kind's order."""
    return [
        (field.label, shown(field, place.details[key]))
        for key, field in spec.fields.items()
        if key in place.details
    ]
