"""Who may see a case, on its text-index row (`CaseText.scope`): the keys follow the case's
paths and assisting units through every move, a search narrowed by them finds exactly what
the list's scope allows, and a township never finds another township's case."""

import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from zhili.cases import selectors, text
from zhili.cases.models import Case, CaseText
from zhili.cases.selectors import CaseFilters, case_list, filter_cases
from zhili.cases.services import case_act
from zhili.core.scope import scope_for
from zhili.orgs.models import Organization
from zhili.orgs.services import token_issue

pytestmark = pytest.mark.django_db

V21 = {"lat": 34.515, "lng": 118.705}  # 乙一村 (T2)
OUT = {"lat": 31.2, "lng": 121.5}  # out of the county: the county center holds it
WORDS = {"title": "楼道堆放杂物", "description": "楼道里堆满杂物，消防通道被堵"}


def found(user: Any, q: str = "杂物", *, narrowed: bool = True) -> set[str]:
    """The case numbers a search shows `user`: narrowed by the text rows' scope (as the list
    page and the API do), or not."""
    qs = filter_cases(case_list(user=user), CaseFilters(q=q), user=user if narrowed else None)
    return set(qs.values_list("case_no", flat=True))


def on_page(user: Any, q: str = "杂物") -> set[str]:
    client = Client()
    client.force_login(user)
    html = client.get(reverse("cases:list"), {"q": q}).content.decode()
    token = token_issue(user=user, name="test")
    api = Client().get("/api/v1/cases", {"q": q}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200
    listed = {item["case_no"] for item in api.json()["items"]}
    shown = {c.case_no for c in Case.objects.all() if c.case_no in html}
    assert shown == listed, "the page and the API show the same cases"
    return listed


def keys(case: Case) -> set[str]:
    return set(CaseText.objects.get(case=case).scope.split())


def test_scope_keys_are_every_leading_part_of_every_path() -> None:
    paths = ["/320722/320722901/320722901001/", "/320722/", "", "/320722/320722-GAJ/"]
    assert text.scope_keys(paths).split() == [
        "/320722/",
        "/320722/320722-GAJ/",
        "/320722/320722901/",
        "/320722/320722901/320722901001/",
    ]
    assert text.scope_keys([""]) == ""


def test_the_text_row_follows_the_case_through_every_move(
    register: Any, staff: Any, tree: Any, rules: Any, catalog: Any
) -> None:
    case = register(category=catalog.lamp, **V21)
    assert keys(case) == {tree.county.path, tree.t2.path, tree.v21.path}

    case = case_act(actor=staff.dispatcher, case=case, action="dispatch", assisting=[tree.gaj.code])
    area = {tree.county.path, tree.t2.path, tree.v21.path}
    assert keys(case) == area | {rules.zjj.path, tree.gaj.path}  # lead and assisting units

    case = case_act(actor=staff.zjj_handler, case=case, action="return", reason="非本单位职责")
    # The lead unit is gone; the withdrawn assisting task still shows the case to its unit.
    assert keys(case) == area | {tree.gaj.path}

    moved = register(category=catalog.noise, **OUT)
    assert keys(moved) == {tree.county.path}
    moved = case_act(actor=staff.dispatcher, case=moved, action="assign_down", township="320722901")
    assert keys(moved) == {tree.county.path, tree.t1.path}


def test_the_keys_say_exactly_who_sees_each_case(
    register: Any, staff: Any, tree: Any, rules: Any, catalog: Any
) -> None:
    """For every persona and case: the text row's keys hold the persona's scope prefix
    exactly when the list's scope (`case_scope`) shows the case."""
    lamp = register(category=catalog.lamp, **V21)
    case_act(actor=staff.dispatcher, case=lamp, action="dispatch", assisting=[tree.gaj.code])
    returned = case_act(actor=staff.dispatcher, case=register(**V21), action="dispatch")
    case_act(actor=staff.cgj_handler, case=returned, action="return", reason="非本单位职责")
    held = register(category=catalog.noise, **OUT)
    case_act(actor=staff.dispatcher, case=held, action="assign_down", township="320722901")
    register(category=catalog.dispute, lat=34.505, lng=118.705)  # V11 handles it
    people = [u for u in staff.__dict__.values() if not scope_for(u).everything]
    assert len(people) >= 8
    for user in people:
        prefixes = scope_for(user).prefixes
        listed = set(case_list(user=user).values_list("pk", flat=True))
        by_keys = {
            row.case_id
            for row in CaseText.objects.all()
            if any(p in row.scope.split() for p in prefixes)
        }
        assert by_keys == listed, user.username


def test_a_township_never_finds_another_townships_case_even_after_it_moves(
    register: Any, staff: Any, tree: Any, catalog: Any
) -> None:
    t1, t2 = staff.township, staff.t2_officer
    case = register(category=catalog.noise, **OUT, **WORDS)  # the county holds it
    assert found(t1) == found(t2) == on_page(t1) == on_page(t2) == set()
    assert found(staff.dispatcher) == {case.case_no}

    case = case_act(actor=staff.dispatcher, case=case, action="assign_down", township="320722901")
    assert found(t1) == on_page(t1) == {case.case_no}  # T1 holds it now
    assert found(t2) == on_page(t2) == set()

    case = case_act(actor=t1, case=case, action="escalate", reason="跨乡镇事项")
    assert found(t1) == on_page(t1) == set()  # back with the county
    assert found(t2) == on_page(t2) == set()

    case = case_act(actor=staff.dispatcher, case=case, action="assign_down", township="320722902")
    assert found(t2) == on_page(t2) == {case.case_no}
    assert found(t1) == on_page(t1) == set()


def test_a_stale_text_row_never_shows_a_case_out_of_scope(
    register: Any, staff: Any, tree: Any, catalog: Any
) -> None:
    """The list's own scope still decides: a text row that names the wrong township (as a
    bug or a hand edit might leave it) narrows a search, it never widens one."""
    case = register(category=catalog.noise, **V21, **WORDS)
    CaseText.objects.filter(case=case).update(scope=f"{tree.county.path} {tree.t1.path}")
    assert found(staff.township) == on_page(staff.township) == set()


def test_narrowed_and_full_searches_agree_for_everyone(
    register: Any, staff: Any, tree: Any, catalog: Any, monkeypatch: Any
) -> None:
    register(**WORDS)  # V11 (T1)
    register(**V21, **WORDS)  # T2
    lamp = register(category=catalog.lamp, **V21, **WORDS)
    case_act(actor=staff.dispatcher, case=lamp, action="dispatch", assisting=[tree.gaj.code])
    for few in (selectors.FEW_MATCHES, 1):  # the id list, and the subquery
        monkeypatch.setattr(selectors, "FEW_MATCHES", few)
        for user in staff.__dict__.values():
            assert found(user) == found(user, narrowed=False), (few, user.username)
    assert len(found(staff.township)) == 1 and len(found(staff.t2_officer)) == 2
    assert found(staff.police) == {lamp.case_no}


def test_the_migration_fills_the_keys_of_existing_rows(
    register: Any, staff: Any, tree: Any, catalog: Any
) -> None:
    migration = importlib.import_module("zhili.cases.migrations.0009_case_text_scope")
    lamp = register(category=catalog.lamp, **V21)
    case_act(actor=staff.dispatcher, case=lamp, action="dispatch", assisting=[tree.gaj.code])
    register(**OUT)
    register()
    expected = dict(CaseText.objects.values_list("case_id", "scope"))
    assert all(expected.values())
    CaseText.objects.update(scope="")
    indexes = text_indexes()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as in a migration's own transaction
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    migration.CHUNK = 2  # several chunks, one holding the assisted case
    try:
        migration.fill_scope(apps, SimpleNamespace(connection=connection))
    finally:
        migration.CHUNK = 10_000
    assert dict(CaseText.objects.values_list("case_id", "scope")) == expected
    assert text_indexes() == indexes  # set aside for the fill (PostgreSQL), then back


def text_indexes() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'cases_casetext'")
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'cases_casetext'")
        return {row[0] for row in cursor.fetchall()}


def test_the_scope_index_exists_on_postgresql(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the scope keys are indexed on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'casetext_scope'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition.lower() and "string_to_array" in definition


def test_an_organization_path_is_a_key_of_its_own_cases(tree: Any) -> None:
    for org in Organization.objects.all():
        assert org.path in text.scope_keys([org.path]).split()
