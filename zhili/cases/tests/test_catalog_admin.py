"""The catalog, the rules and the time limits edited in the admin: each process's cached
copy (routing, the leaf check, deadlines) follows at once, without a restart."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhili.cases import routing
from zhili.cases.models import Category, ResponsibilityRule
from zhili.cases.selectors import category_is_leaf
from zhili.conftest import Tree
from zhili.orgs.models import User

# A point inside tree.v11 (甲镇's first village), as the other case tests use.
LAT, LNG = 34.505, 118.705


@pytest.fixture
def admin_client(db: Any) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser(username="root", password="x-pass-123"))
    return client


def test_a_leaf_added_in_the_admin_makes_its_parent_a_group_at_once(
    admin_client: Client, catalog: Tree
) -> None:
    assert category_is_leaf(catalog.dispute)  # the process has its copy now
    answer = admin_client.post(
        "/admin/cases/category/add/",
        {
            "code": "JF01",
            "name": "邻里纠纷",
            "parent": catalog.dispute.pk,
            "default_urgency": "normal",
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    leaf = Category.objects.get(code="JF01")
    assert (leaf.path, leaf.depth) == ("/JF/JF01/", 1)
    assert not category_is_leaf(catalog.dispute)
    assert category_is_leaf(leaf)


def test_the_leaf_check_asks_the_database_only_when_the_catalog_changed(catalog: Tree) -> None:
    category_is_leaf(catalog.noise)
    with CaptureQueriesContext(connection) as queries:
        assert category_is_leaf(catalog.noise) and not category_is_leaf(catalog.env)
    assert len(queries) == 0


def test_a_rule_changed_in_the_admin_routes_the_next_case(
    admin_client: Client, catalog: Tree, rules: Tree, tree: Tree
) -> None:
    assert routing.route(category=catalog.noise, lat=LAT, lng=LNG).unit == tree.t1
    rule = rules.t1_noise
    answer = admin_client.post(
        f"/admin/cases/responsibilityrule/{rule.pk}/change/",
        {
            "category": catalog.noise.pk,
            "township": tree.t1.pk,
            "unit": rules.cgj.pk,
            "is_active": "on",
            "updated_at_0": "2026-01-05",
            "updated_at_1": "09:00:00",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert ResponsibilityRule.objects.get(pk=rule.pk).unit == rules.cgj
    assert routing.route(category=catalog.noise, lat=LAT, lng=LNG).unit == rules.cgj
