"""Category search on the intake form: jieba tokens over names, keywords and the synonyms an
administrator edits (zhili.cases.category_search)."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhili.cases.category_search import category_search
from zhili.cases.models import Category
from zhili.cases.tests.conftest import make_category
from zhili.conftest import Tree
from zhili.core import stamps

HX = {"HX-Request": "true"}


@pytest.fixture
def leaves(db: Any) -> Tree:
    env = make_category("EV", "环境保护", keywords="环保 污染")
    living = make_category("EV01", "社会生活噪音", env, keywords="噪音 扰民 广场舞 装修")
    building = make_category("EV02", "建筑施工噪音", env, keywords="施工 噪音 夜间施工 工地")
    fumes = make_category("EV03", "餐饮油烟", env, keywords="油烟 饭店 烧烤")
    city = make_category("MU", "市政设施", keywords="市政 设施")
    lamp = make_category("MU01", "路灯损坏", city, keywords="路灯 照明")
    wages = make_category("WG01", "拖欠工资", make_category("WG", "劳动保障"), keywords="工资")
    old = make_category("MU02", "旧分类", city, keywords="噪音", is_active=False)
    stamps.bump("cases.categories")
    return Tree(
        env=env, living=living, building=building, fumes=fumes, lamp=lamp, wages=wages, old=old
    )


def names(text: str) -> list[str]:
    return [c.name for c in category_search(text)]


def test_what_operators_type_finds_the_matter(leaves: Tree) -> None:
    # 噪音扰民 is in no name: its words are the keywords of 社会生活噪音 (both) and of
    # 建筑施工噪音 (one), in that order.
    assert names("噪音扰民") == ["社会生活噪音", "建筑施工噪音"]
    assert names("噪音")[:2] == ["社会生活噪音", "建筑施工噪音"]
    assert names("夜间施工太吵")[0] == "建筑施工噪音"
    # jieba cuts 路灯不亮 as 路 / 灯不亮: the character pairs still find 路灯.
    assert names("路灯不亮") == ["路灯损坏"]


def test_typing_a_first_character_already_finds(leaves: Tree) -> None:
    assert set(names("噪")) == {"社会生活噪音", "建筑施工噪音"}


def test_groups_inactive_categories_and_noise_are_left_out(leaves: Tree) -> None:
    assert "环境保护" not in names("环境保护")  # a group: its leaves are offered
    assert set(names("环境保护")) == {"社会生活噪音", "建筑施工噪音", "餐饮油烟"}
    assert "旧分类" not in names("噪音")
    assert names("") == [] and names("   ") == []
    assert names("的了吗") == [] and names("xyz") == []


def test_synonyms_an_administrator_adds_are_searched(leaves: Tree) -> None:
    assert names("欠薪") == [] and names("楼上太吵了") == []
    Category.objects.filter(pk=leaves.wages.pk).update(synonyms="欠薪，讨薪、不发工资")
    Category.objects.filter(pk=leaves.living.pk).update(synonyms="太吵 吵闹")
    stamps.bump("cases.categories")
    assert names("欠薪") == ["拖欠工资"]
    assert names("老板年底不发工资") == ["拖欠工资"]
    assert names("楼上太吵了") == ["社会生活噪音"]


def test_the_admin_edits_synonyms_and_the_search_follows(leaves: Tree, make_user: Any) -> None:
    admin = make_user("root", None, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    url = reverse("admin:cases_category_change", args=[leaves.fumes.pk])
    page = client.get(url)
    assert page.status_code == 200 and "同义词" in page.content.decode()
    assert names("烟味太大") == []
    data = {
        "code": "EV03",
        "name": "餐饮油烟",
        "parent": leaves.env.pk,
        "keywords": "油烟 饭店 烧烤",
        "synonyms": "烟味 油烟味",
        "description": "",
        "default_urgency": "normal",
        "sort_order": 0,
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Category.objects.get(pk=leaves.fumes.pk).synonyms == "烟味 油烟味"
    assert names("烟味太大") == ["餐饮油烟"]


def test_the_intake_forms_search_answers_with_the_options(leaves: Tree, staff: Any) -> None:
    client = Client()
    client.force_login(staff.dispatcher)
    url = reverse("cases:category_options")
    body = client.get(url, {"category_q": "噪音扰民"}, headers=HX).content.decode()
    # The fixture catalog's own 噪音扰民 (HJ01) matches the whole text: it comes first.
    assert body.index("HJ01") < body.index("EV01") < body.index("EV02")
    assert 'data-testid="category-option-EV03"' not in body
    empty = client.get(url, {"category_q": "xyz"}, headers=HX).content.decode()
    assert "没有找到匹配的事项分类" in empty
