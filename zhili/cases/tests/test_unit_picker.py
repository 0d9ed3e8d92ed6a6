"""Every form where a unit is chosen offers the unit picker (zhili.orgs.pickers): the dispatch
form's lead and assisting units, the workbench's bulk dispatch, the petition forms, the
supervision filter; and nothing is chosen for the dispatcher when routing suggests nothing."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhili.cases.selectors import dispatch_units
from zhili.conftest import Tree, make_org
from zhili.orgs.models import Organization

HX = {"HX-Request": "true"}


@pytest.fixture
def twins(tree: Tree) -> Tree:
    """花园社区 in both townships."""
    t1_garden = make_org("320722901009", "花园社区综治中心", "center", "village", tree.t1)
    t2_garden = make_org("320722902009", "花园社区综治中心", "center", "village", tree.t2)
    for org, area in [(tree.t1, "甲镇"), (tree.t2, "乙乡")]:
        Organization.objects.filter(pk=org.pk).update(area_name=area)
    return Tree(t1_garden=t1_garden, t2_garden=t2_garden)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def dispatch_form(user: Any, case: Any) -> str:
    url = reverse("cases:act", args=[case.case_no, "dispatch"])
    return client_for(user).get(f"{url}?ctx=workbench", headers=HX).content.decode()


def unit_select(body: str) -> str:
    start = body.index('<select name="unit"')
    return body[start : body.index("</select>", start)]


def test_without_a_suggestion_no_unit_is_chosen_for_the_dispatcher(
    staff: Any, register: Any, catalog: Any, twins: Tree
) -> None:
    case = register(category=catalog.dispute, lat=34.515, lng=118.705)  # no rule in 乙乡
    assert case.suggested_unit is None
    select = unit_select(dispatch_form(staff.dispatcher, case))
    assert "data-unit-picker" in select
    assert '<option value="" selected>请选择承办单位</option>' in select
    assert select.count(" selected") == 1  # not the county center, nor anything else
    assert '<optgroup label="乙乡 · 村（社区）"' in select
    assert ">花园社区综治中心（乙乡）</option>" in select
    # Submitting without a choice is refused beside the field.
    url = reverse("cases:act", args=[case.case_no, "dispatch"])
    response = client_for(staff.dispatcher).post(url, {"ctx": "workbench", "unit": ""}, headers=HX)
    assert response.status_code == 422
    assert 'data-testid="error-unit"' in response.content.decode()


def test_the_suggestion_is_chosen_when_there_is_one(
    staff: Any, register: Any, catalog: Any, rules: Any
) -> None:
    case = register(category=catalog.lamp, lat=34.515, lng=118.705)
    select = unit_select(dispatch_form(staff.dispatcher, case))
    assert f'<option value="{rules.zjj.code}" data-search=' in select
    chosen = select[select.index(f'value="{rules.zjj.code}"') :]
    assert chosen[: chosen.index(">")].endswith(" selected")
    assert '<option value="" >' in select or '<option value="">' in select


def test_assisting_units_are_a_multiple_picker(staff: Any, register: Any, catalog: Any) -> None:
    case = register(category=catalog.lamp, lat=34.515, lng=118.705)
    body = dispatch_form(staff.dispatcher, case)
    start = body.index('<select name="assisting"')
    assert "multiple" in body[start : body.index(">", start)]
    options = body[start : body.index("</select>", start)]
    assert options.count("<option") == dispatch_units(user=staff.dispatcher).count()


def test_bulk_dispatch_to_one_unit_needs_the_unit(staff: Any, register: Any, catalog: Any):
    case = register(category=catalog.lamp, lat=34.515, lng=118.705)
    client = client_for(staff.dispatcher)
    page = client.get(reverse("cases:workbench")).content.decode()
    bulk = page[page.index('id="bulk-unit"') :]
    assert (
        '<option value="" selected>选择统一派往的单位</option>' in bulk[: bulk.index("</select>")]
    )
    response = client.post(
        reverse("cases:bulk_dispatch"),
        {"case": [case.case_no], "mode": "unit", "unit": ""},
        headers=HX,
    )
    assert "请先选择统一派往的单位" in response.content.decode()
    case.refresh_from_db()
    assert case.lead_unit is None  # not sent to its suggestion instead


def test_the_other_unit_choices_use_the_picker(staff: Any, tree: Tree) -> None:
    from zhili.petitions.forms import AssignForm, KeyPetitionerForm

    for form, name in [(AssignForm(), "handling_unit"), (KeyPetitionerForm(), "responsible_unit")]:
        html = str(form[name])
        assert "data-unit-picker" in html and "<optgroup" in html and "data-search=" in html
        assert '<option value="" selected>' in html
    page = client_for(staff.dispatcher).get(reverse("supervision:list")).content.decode()
    assert 'name="unit" data-testid="filter-unit" data-unit-picker' in page
