"""An unmapped category text: a mapping row without category, the fallback category (no
rule, so the county center dispatches it), listed first on the page where an administrator
maps it (HTMX); the next order with that text takes the mapped category."""

import pytest

from zhili.cases.models import Case
from zhili.core.models import AuditLog
from zhili.integrations.models import CategoryMapping, PushedOrder
from zhili.integrations.tests.conftest import order_body

pytestmark = pytest.mark.django_db


def test_an_unmapped_text_lands_at_the_county_center_and_is_listed_first(
    push, client, staff, tree, fallback, catalog
):
    answer = push(order_body("A-1", category="城市管理/市容环境/乱堆物料"))
    assert answer.status_code == 201
    case = Case.objects.get(case_no=answer.json()["case_no"])
    assert case.category == fallback
    assert case.dispatch_center == tree.county and case.suggested_unit is None
    mapping = CategoryMapping.objects.get(text="城市管理/市容环境/乱堆物料")
    assert mapping.category is None and mapping.hit_count == 1 and mapping.channel == "hotline"
    assert not PushedOrder.objects.get(case=case).mapped
    assert push(order_body("A-2", category=" 城市管理/市容环境/乱堆物料 ")).status_code == 201
    mapping.refresh_from_db()
    assert mapping.hit_count == 2  # the same text, blanks aside

    client.force_login(staff.admin)
    page = client.get("/integrations/mappings/")
    assert page.status_code == 200
    html = page.content.decode()
    # Unmapped first, although "噪声扰民" (mapped) sorts before it by text.
    assert html.index("城市管理/市容环境/乱堆物料") < html.index("噪声扰民")
    assert "未映射 <strong>1</strong>" in html

    saved = client.post(
        f"/integrations/mappings/{mapping.pk}/",
        {"category": catalog.lamp.pk},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    assert saved.content.decode().lstrip().startswith(f'<tr id="mapping-{mapping.pk}"')
    mapping.refresh_from_db()
    assert mapping.category == catalog.lamp and mapping.updated_by == staff.admin
    assert AuditLog.objects.filter(action="integrations.mapping.set", target_id=str(mapping.pk))

    third = push(order_body("A-3", category="城市管理/市容环境/乱堆物料"))
    assert Case.objects.get(case_no=third.json()["case_no"]).category == catalog.lamp


def test_only_administrators_see_and_edit_the_mappings(push, client, staff, catalog):
    push(order_body("B-1", category="未知分类"))
    mapping = CategoryMapping.objects.get(text="未知分类")
    client.force_login(staff.dispatcher)
    assert client.get("/integrations/mappings/").status_code == 403
    assert (
        client.post(
            f"/integrations/mappings/{mapping.pk}/", {"category": catalog.road.pk}
        ).status_code
        == 403
    )
    mapping.refresh_from_db()
    assert mapping.category is None


def test_a_bad_choice_is_refused_naming_it(push, client, staff):
    push(order_body("C-1", category="未知分类"))
    mapping = CategoryMapping.objects.get(text="未知分类")
    client.force_login(staff.admin)
    answer = client.post(f"/integrations/mappings/{mapping.pk}/", {"category": "999999"})
    assert answer.status_code == 422 and "请选择有效的分类" in answer.content.decode()


def test_a_group_is_no_mapping_target(push, client, staff, catalog):
    """A case never takes a group (issue 11 item 10): the page does not offer one, the
    service refuses one, and an order whose text was mapped to one before its leaves existed
    takes the fallback category instead of failing."""
    from zhili.core.errors import InvalidInput
    from zhili.integrations.services import mapping_set

    push(order_body("D-1", category="未知分类"))
    mapping = CategoryMapping.objects.get(text="未知分类")
    client.force_login(staff.admin)
    answer = client.post(f"/integrations/mappings/{mapping.pk}/", {"category": catalog.road.pk})
    assert answer.status_code == 422
    with pytest.raises(InvalidInput) as refused:
        mapping_set(actor=staff.admin, mapping=mapping, category=catalog.road)
    assert refused.value.field == "category"
    CategoryMapping.objects.filter(pk=mapping.pk).update(category=catalog.road)
    answer = push(order_body("D-2", category="未知分类"))
    assert answer.status_code == 201
    assert Case.objects.get(case_no=answer.json()["case_no"]).category.code == "QT"
