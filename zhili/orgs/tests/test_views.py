"""The organization pages: each renders for a permitted persona and respects the scope."""

import pytest
from django.test import Client
from django.urls import reverse

from zhili.conftest import PASSWORD
from zhili.core.roles import Role
from zhili.orgs.models import AuthToken, User
from zhili.orgs.services import token_issue

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def htmx(client: Client, url: str, **params: str):
    return client.get(url, params, headers={"HX-Request": "true"})


# --- every page renders ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("web:home", "我的待办"),
        ("orgs:tree", "组织架构"),
        ("orgs:grid_map", "网格地图"),
        ("orgs:people", "人员与角色"),
        ("orgs:person_create", "新增人员"),
        ("password_change", "修改密码"),
    ],
)
def test_pages_render_for_admin(personas, url_name, heading):
    response = client_for(personas.admin).get(reverse(url_name))
    assert response.status_code == 200
    body = response.content.decode()
    assert heading in body
    assert "东海县社会治理综合平台" in body


@pytest.mark.parametrize("persona", ["leader", "township", "village", "gridworker", "police"])
def test_home_tree_and_map_render_for_every_role(personas, persona):
    client = client_for(getattr(personas, persona))
    for name in ("web:home", "orgs:tree", "orgs:grid_map"):
        assert client.get(reverse(name)).status_code == 200


def test_pages_require_login(tree):
    for name in ("web:home", "orgs:tree", "orgs:grid_map", "orgs:people", "password_change"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_home_shows_organization_roles_and_no_unbuilt_module(personas):
    response = client_for(personas.township).get(reverse("web:home"))
    body = response.content.decode()
    assert "甲镇综治中心" in body
    assert Role.TOWNSHIP_OFFICER.label in body
    # Nothing is advertised that is not built, and nothing says the product is unfinished
    # (视频会议 and 网上培训 are built: zhili/rooms, zhili/training).
    for unbuilt in ("建设中", "视频监控", "考核评比"):
        assert unbuilt not in body
    assert reverse("forces:desk") in body  # 指挥调度 is built: the forces' desk
    assert 'data-testid="planned-card"' not in body
    titles = [s["title"] for s in response.context["sections"]]
    assert "矛盾纠纷调解" in titles and "信访事项" in titles
    assert "人员与角色" not in titles


def test_navigation_hides_people_from_non_admins(personas):
    link = f'href="{reverse("orgs:people")}"'  # not /registers/people/, the people register
    body = client_for(personas.township).get(reverse("web:home")).content.decode()
    assert link not in body
    body = client_for(personas.admin).get(reverse("web:home")).content.decode()
    assert link in body


# --- organization tree ---------------------------------------------------------------------


def test_tree_roots_are_the_users_own_subtree(personas, tree):
    response = client_for(personas.township).get(reverse("orgs:tree"))
    assert [n.code for n in response.context["nodes"]] == [tree.t1.code]
    # The single root opens at once with its own children, and nothing beyond the scope.
    assert [n.code for n in response.context["root_children"]] == [tree.v11.code, tree.v12.code]
    assert f'data-testid="tree-label-{tree.v11.code}"' in response.content.decode()
    response = client_for(personas.leader).get(reverse("orgs:tree"))
    assert [n.code for n in response.context["nodes"]] == [tree.county.code]


def test_tree_children_of_own_township(personas, tree):
    client = client_for(personas.township)
    response = htmx(client, reverse("orgs:tree_children"), parent=tree.t1.code)
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲一村" in body and "甲二村" in body
    assert "乙一村" not in body


def test_tree_children_out_of_scope_is_404(personas, tree):
    client = client_for(personas.township)
    assert htmx(client, reverse("orgs:tree_children"), parent=tree.t2.code).status_code == 404
    assert htmx(client, reverse("orgs:tree_children"), parent="no-such").status_code == 404
    assert htmx(client, reverse("orgs:tree_children")).status_code == 404


def test_tree_search_respects_scope(personas):
    client = client_for(personas.township)
    body = htmx(client, reverse("orgs:tree_search"), q="村").content.decode()
    assert "甲一村" in body and "甲二村" in body
    assert "乙一村" not in body
    body = htmx(client, reverse("orgs:tree_search"), q="320722902").content.decode()
    assert "没有找到匹配的单位" in body


def test_detail_of_village_shows_breadcrumb_staff_masked_and_grids(personas, tree, make_user):
    make_user("v11staff", tree.v11, Role.GRID_LEADER, phone="13812345678")
    response = htmx(client_for(personas.township), reverse("orgs:detail", args=[tree.v11.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲镇综治中心" in body  # breadcrumb
    assert "138****5678" in body and "13812345678" not in body
    assert Role.GRID_LEADER.label in body
    assert tree.g111.name in body and tree.g112.name in body
    assert tree.g121.name not in body


def test_detail_full_page_without_htmx(personas, tree):
    response = client_for(personas.township).get(reverse("orgs:detail", args=[tree.v11.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "组织架构" in body and 'data-testid="org-detail"' in body


def test_detail_out_of_scope_is_404(personas, tree):
    client = client_for(personas.township)
    for code in (tree.v21.code, tree.gaj.code, tree.county.code, "does-not-exist"):
        assert client.get(reverse("orgs:detail", args=[code])).status_code == 404
        assert htmx(client, reverse("orgs:detail", args=[code])).status_code == 404


def test_outsider_sees_nothing(personas, tree):
    client = client_for(personas.outsider)  # no roles, no unit
    assert client.get(reverse("web:home")).status_code == 200
    assert client.get(reverse("orgs:tree")).status_code == 403
    assert client.get(reverse("orgs:detail", args=[tree.county.code])).status_code == 403


# --- grid map --------------------------------------------------------------------------------


def test_grid_map_page_has_map_filter_and_palette(personas, tree):
    response = client_for(personas.leader).get(reverse("orgs:grid_map"))
    body = response.content.decode()
    assert 'data-testid="grid-map"' in body
    assert "vendor/leaflet/leaflet.js" in body and "web/grid_map.js" in body
    assert "甲镇综治中心" in body and "乙乡综治中心" in body  # filter options
    config = response.context["map_config"]
    assert set(config["townshipColours"]) == {tree.t1.code, tree.t2.code}
    assert config["gridsUrl"] == "/api/v1/grids"
    assert "cdn" not in body.lower() and "https://" not in body


def test_grid_map_township_options_are_scoped(personas, tree):
    body = client_for(personas.township).get(reverse("orgs:grid_map")).content.decode()
    assert tree.t1.code in body and tree.t2.code not in body


def test_grid_api_works_with_session(personas):
    response = client_for(personas.township).get("/api/v1/grids")
    assert response.status_code == 200
    assert len(response.json()["features"]) == 3


# --- people and roles --------------------------------------------------------------------------


def test_people_is_403_for_non_admins(personas):
    for persona in ("township", "leader", "gridworker", "outsider"):
        response = client_for(getattr(personas, persona)).get(reverse("orgs:people"))
        assert response.status_code == 403
        assert "无权访问" in response.content.decode()


def test_people_lists_search_filter_and_masks(personas, tree, make_user):
    person = make_user("zhangsan", tree.v21, Role.GRID_WORKER, phone="13900001111")
    User.objects.filter(pk=person.pk).update(full_name="张三")
    client = client_for(personas.admin)
    body = client.get(reverse("orgs:people")).content.decode()
    assert "张三" in body and "139****1111" in body and "13900001111" not in body
    body = htmx(client, reverse("orgs:people"), q="张三").content.decode()
    assert "张三" in body and "gridworker" not in body
    response = client.get(reverse("orgs:people"), {"organization": tree.t2.code})
    assert [p.username for p in response.context["page"]] == ["zhangsan"]
    response = client.get(reverse("orgs:people"), {"role": Role.GRID_WORKER})
    assert {p.username for p in response.context["page"]} == {"gridworker", "zhangsan"}


def test_people_bad_filters_never_500(personas):
    client = client_for(personas.admin)
    for params in ({"role": "nope"}, {"organization": "<x>"}, {"page": "abc"}, {"page": "999"}):
        assert client.get(reverse("orgs:people"), params).status_code == 200


def test_people_paginates(personas, tree, make_user):
    for i in range(25):
        make_user(f"p{i:02d}", tree.v11, Role.GRID_WORKER)
    client = client_for(personas.admin)
    first = client.get(reverse("orgs:people"))
    assert len(first.context["page"].object_list) == 20
    second = client.get(reverse("orgs:people"), {"page": 2})
    assert second.context["page"].number == 2


def create_payload(**overrides):
    data = {
        "username": "wangwu",
        "full_name": "王五",
        "organization": "320722901001",
        "roles": [Role.GRID_LEADER, Role.GRID_WORKER],
        "title": "网格长",
        "phone": "13700002222",
        "password": "Zhili-strong-2025",
    }
    data.update(overrides)
    return data


def test_create_person_through_the_page(personas, tree):
    client = client_for(personas.admin)
    response = client.post(reverse("orgs:person_create"), create_payload())
    assert response.status_code == 302
    assert response.url == reverse("orgs:people")
    user = User.objects.get(username="wangwu")
    assert user.organization == tree.v11
    assert set(user.groups.values_list("name", flat=True)) == {"grid_leader", "grid_worker"}
    assert user.check_password("Zhili-strong-2025")


def test_create_person_with_htmx_redirects(personas):
    client = client_for(personas.admin)
    response = client.post(
        reverse("orgs:person_create"), create_payload(), headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("orgs:people")


def test_duplicate_username_names_the_field(personas):
    client = client_for(personas.admin)
    response = client.post(reverse("orgs:person_create"), create_payload(username="township"))
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-testid="error-username"' in body
    assert "用户名 township 已存在" in body


def test_create_person_bad_input_is_400_with_field_errors(personas, tree):
    client = client_for(personas.admin)
    response = client.post(
        reverse("orgs:person_create"),
        create_payload(organization="nowhere", roles=["emperor"], password="123", full_name=""),
    )
    assert response.status_code == 400
    body = response.content.decode()
    for field in ("organization", "roles", "password", "full_name"):
        assert f'data-testid="error-{field}"' in body
    assert not User.objects.filter(username="wangwu").exists()


def test_township_admin_cannot_place_staff_in_other_township(tree, make_user):
    township_admin = make_user("t1admin", tree.t1, Role.ADMIN)
    client = client_for(township_admin)
    response = client.post(
        reverse("orgs:person_create"), create_payload(organization=tree.v21.code)
    )
    assert response.status_code == 400
    assert 'data-testid="error-organization"' in response.content.decode()


def test_edit_person_through_the_page(personas, tree):
    client = client_for(personas.admin)
    target = personas.gridworker
    token_issue(user=target)
    url = reverse("orgs:person_edit", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "编辑人员" in page.content.decode()
    response = client.post(
        url,
        {
            "full_name": "网格员小李",
            "organization": tree.v12.code,
            "roles": [Role.GRID_LEADER],
            "title": "",
            "phone": "",
        },  # is_active unchecked: the account is deactivated
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.full_name == "网格员小李"
    assert target.organization == tree.v12
    assert not target.is_active
    assert list(target.groups.values_list("name", flat=True)) == ["grid_leader"]
    assert not AuthToken.objects.filter(user=target, revoked_at__isnull=True).exists()


def test_edit_form_never_reveals_the_phone_and_blank_keeps_it(personas, tree, make_user):
    person = make_user("lina", tree.v11, Role.GRID_LEADER, phone="13905187788")
    client = client_for(personas.admin)
    url = reverse("orgs:person_edit", args=[person.pk])
    body = client.get(url).content.decode()
    assert "13905187788" not in body and "139****7788" in body
    data = {
        "full_name": "李娜",
        "organization": tree.v11.code,
        "roles": ["grid_leader"],
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.phone == "13905187788"
    assert client.post(url, {**data, "phone": "15000001111"}).status_code == 302
    person.refresh_from_db()
    assert person.phone == "15000001111"


def test_edit_self_deactivation_shows_field_error(personas, tree):
    client = client_for(personas.admin)
    url = reverse("orgs:person_edit", args=[personas.admin.pk])
    response = client.post(
        url, {"full_name": "管理员", "organization": tree.county.code, "roles": ["admin"]}
    )
    assert response.status_code == 422
    assert 'data-testid="error-is_active"' in response.content.decode()


def test_edit_out_of_scope_person_is_404(tree, make_user):
    township_admin = make_user("t1admin", tree.t1, Role.ADMIN)
    other = make_user("t2person", tree.v21, Role.GRID_WORKER)
    client = client_for(township_admin)
    assert client.get(reverse("orgs:person_edit", args=[other.pk])).status_code == 404
    assert client.get(reverse("orgs:person_edit", args=[999999])).status_code == 404


def test_organization_options_are_scoped(tree, make_user):
    client = client_for(make_user("t1admin", tree.t1, Role.ADMIN))
    body = htmx(
        client, reverse("orgs:organization_options"), organization_search="村"
    ).content.decode()
    assert "甲一村" in body and "乙一村" not in body


# --- login, logout, password ---------------------------------------------------------------


def test_login_page_and_bad_password(personas):
    client = Client()
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "用户登录" in page.content.decode()
    bad = client.post(reverse("login"), {"username": "township", "password": "wrong"})
    assert bad.status_code == 200
    assert 'data-testid="login-error"' in bad.content.decode()
    good = client.post(reverse("login"), {"username": "township", "password": PASSWORD})
    assert good.status_code == 302
    assert good.url == reverse("web:home")


def test_login_locks_out_after_five_failures(personas):
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "village", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "village", "password": PASSWORD})
    assert response.status_code == 429
    assert "账号已被临时锁定" in response.content.decode()


def test_logout_is_a_post(personas):
    client = client_for(personas.township)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 302


def test_password_change_revokes_tokens_and_keeps_session(personas):
    user = personas.township
    token_issue(user=user)
    client = Client()
    client.post(reverse("login"), {"username": "township", "password": PASSWORD})
    new = "Another-strong-pw-9"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    assert client.get(reverse("web:home")).status_code == 200  # still signed in
    user.refresh_from_db()
    assert user.check_password(new)
    assert not AuthToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_password_change_errors_name_the_field(personas):
    client = client_for(personas.township)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "Another-strong-pw-9",
            "new_password2": "Another-strong-pw-9",
        },
    )
    assert response.status_code == 422
    assert "原密码不正确" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["new_password1"]
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Abcdefg-123", "new_password2": "x"},
    )
    assert response.status_code == 400
    assert "两次输入的新密码不一致" in response.content.decode()
