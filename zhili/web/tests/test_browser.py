"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Run with `pytest -m browser`. Screenshots of every page land in test-artifacts/ (git-ignored).
"""

from zhili.conftest import PASSWORD
from zhili.core.roles import Role
from zhili.orgs.models import User
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER


def open_grid_map(page, base_url: str) -> None:
    page.goto(f"{base_url}/grids/map/")
    page.wait_for_selector("#grid-map[data-loaded=true]")


def click_grid(page, code: str) -> None:
    """Click the pixel at the centre of a grid polygon, as a user would."""
    x, y = page.evaluate(
        """(code) => {
            const gridMap = window.zhiliGridMap;
            const grid = gridMap.find(code);
            gridMap.map.fitBounds(grid.getBounds(), {animate: false, maxZoom: 15});
            const point = gridMap.map.latLngToContainerPoint(grid.getBounds().getCenter());
            const box = document.getElementById("grid-map").getBoundingClientRect();
            return [box.left + point.x, box.top + point.y];
        }""",
        code,
    )
    page.mouse.click(x, y)


def test_township_officer_clicks_a_grid_on_the_map(live_server, personas, tree, page):
    login(page, live_server.url, "township")
    open_grid_map(page, live_server.url)
    assert page.inner_text("[data-testid=grid-count]") == "共 3 个网格"  # T1's grids only
    click_grid(page, tree.g112.code)
    assert page.inner_text("[data-testid=grid-name]") == tree.g112.name
    assert page.inner_text("[data-testid=grid-village]") == "甲一村"
    assert page.inner_text("[data-testid=grid-township]") == "甲镇综治中心"


def test_locate_tool_by_coordinates(live_server, personas, tree, page):
    login(page, live_server.url, "township")
    open_grid_map(page, live_server.url)
    page.fill("[data-testid=locate-lat]", "34.505")
    page.fill("[data-testid=locate-lng]", "118.725")
    page.click("[data-testid=locate-submit]")
    page.wait_for_selector("[data-testid=locate-result]:has-text('甲二村')")
    page.fill("[data-testid=locate-lat]", "10")
    page.click("[data-testid=locate-submit]")
    page.wait_for_selector("[data-testid=locate-result]:has-text('不在本县任何网格内')")


def test_tree_opens_at_the_users_unit_and_expands_lazily(live_server, personas, tree, page):
    login(page, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/orgs/")
    # The county center is open from the start; a township loads its villages on demand.
    assert page.is_visible(f"[data-testid=tree-toggle-{tree.t1.code}]")
    assert not page.is_visible(f"[data-testid=tree-label-{tree.v11.code}]")
    page.click(f"[data-testid=tree-toggle-{tree.t1.code}]")
    page.wait_for_selector(f"[data-testid=tree-label-{tree.v11.code}]")
    page.click(f"[data-testid=tree-label-{tree.v11.code}]")
    page.wait_for_selector("[data-testid=org-grids]")
    assert page.url.endswith(f"/orgs/{tree.v11.code}/")


def add_sample_staff(tree) -> None:
    """A few realistic staff rows so the screenshots show what officers will see."""
    from django.contrib.auth.models import Group

    rows = [
        ("zhangwei", "张伟", tree.t1, "综治专干", "13851234567", Role.TOWNSHIP_OFFICER),
        ("lina", "李娜", tree.v11, "网格长", "13905187788", Role.GRID_LEADER),
        ("wangqiang", "王强", tree.v11, "专职网格员", "15061234321", Role.GRID_WORKER),
    ]
    for username, name, org, title, phone, role in rows:
        user = User.objects.create_user(
            username=username,
            password=PASSWORD,
            organization=org,
            full_name=name,
            title=title,
            phone=phone,
        )
        user.groups.set([Group.objects.get_or_create(name=role)[0]])
    tree.g111.leader = User.objects.get(username="lina")
    tree.g111.save()
    tree.g111.workers.set([User.objects.get(username="wangqiang")])


def test_screenshots_of_every_page(live_server, personas, tree, page):
    ARTIFACTS.mkdir(exist_ok=True)
    add_sample_staff(tree)
    base = live_server.url

    page.goto(f"{base}/login/")
    page.screenshot(path=ARTIFACTS / "01-login.png", full_page=True)
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=login-error]")
    page.screenshot(path=ARTIFACTS / "01b-login-error.png", full_page=True)

    login(page, base, "admin")
    page.screenshot(path=ARTIFACTS / "02-home.png", full_page=True)

    page.goto(f"{base}/orgs/")
    page.wait_for_selector(f"[data-testid=tree-toggle-{tree.t1.code}]")
    page.click(f"[data-testid=tree-toggle-{tree.t1.code}]")
    page.wait_for_selector(f"[data-testid=tree-label-{tree.v11.code}]")
    page.click(f"[data-testid=tree-label-{tree.v11.code}]")
    page.wait_for_selector("[data-testid=org-grids]")
    page.screenshot(path=ARTIFACTS / "03-tree.png", full_page=True)

    open_grid_map(page, base)
    click_grid(page, tree.g111.code)
    page.wait_for_selector("[data-testid=grid-name]:has-text('甲一村')")
    page.screenshot(path=ARTIFACTS / "04-grid-map.png", full_page=True)

    page.goto(f"{base}/people/")
    page.screenshot(path=ARTIFACTS / "05-people.png", full_page=True)

    page.click("[data-testid=person-edit-lina]")
    page.wait_for_selector("[data-testid=person-form]")
    # htmx binds its triggers once the page has loaded; typing earlier would go unheard.
    page.wait_for_load_state("networkidle")
    page.fill("[data-testid=org-search]", "甲")
    page.wait_for_selector("[data-testid=org-options] .org-option")
    page.screenshot(path=ARTIFACTS / "06-people-edit.png", full_page=True)

    page.goto(f"{base}/people/new/")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=username]", "township")
    page.fill("input[name=full_name]", "重复用户")
    page.fill("input[name=organization]", tree.v11.code)
    page.click("[data-testid=person-submit]")
    page.wait_for_selector("[data-testid=error-username]")
    page.screenshot(path=ARTIFACTS / "07-people-create-error.png", full_page=True)

    phone = browser_phone(page)
    phone.goto(f"{base}/")
    phone.screenshot(path=ARTIFACTS / "08-home-phone.png", full_page=True)
    for name in ("01-login", "02-home", "03-tree", "04-grid-map", "05-people", "06-people-edit"):
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000


def browser_phone(page):
    """A phone-sized page sharing the signed-in session of `page`."""
    phone = page.context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    return phone
