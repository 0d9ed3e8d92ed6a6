"""My grid's cases: the user's scope, narrowed to the grids they work (or their own reports)."""

from zhili.cases.models import Channel
from zhili.mobile import selectors


def test_my_grid_cases_are_those_of_my_grids_newest_first(phone, workers, register, tree, staff):
    older = register(title="甲一村1号网格 路灯", lat=34.505, lng=118.705)  # G111: mine
    newer = register(title="甲一村1号网格 噪音", lat=34.506, lng=118.706)  # G111: mine
    neighbour = register(title="甲一村2号网格", lat=34.505, lng=118.715)  # G112: same village
    other_village = register(title="甲二村", lat=34.505, lng=118.725)  # G121
    other_township = register(title="乙一村", lat=34.515, lng=118.705)  # G211
    cases = list(selectors.my_grid_cases(user=workers.me))
    assert cases == [newer, older]

    page = phone.get("/m/cases/").content.decode()
    assert page.index(newer.case_no) < page.index(older.case_no)
    for hidden in (neighbour, other_village, other_township):
        assert hidden.case_no not in page
        assert phone.get(f"/m/cases/{hidden.case_no}/").status_code == 404

    detail = phone.get(f"/m/cases/{newer.case_no}/")
    assert detail.status_code == 200
    assert "139****5678" in detail.content.decode()  # the reporter's phone, masked
    assert "13912345678" not in detail.content.decode()


def test_my_own_reports_count_wherever_they_lie(workers, register, tree):
    in_village = register(
        title="邻网格", lat=34.505, lng=118.715, actor=workers.me, channel=Channel.GRID_REPORT
    )  # G112: not my grid, but my village, and I reported it
    outside = register(
        title="外乡", lat=34.515, lng=118.705, actor=workers.me, channel=Channel.GRID_REPORT
    )  # G211: another township, outside my unit's scope, but I reported it
    cases = list(selectors.my_grid_cases(user=workers.me))
    assert in_village in cases and outside in cases
    assert outside not in selectors.my_grid_cases(user=workers.other)


def test_the_grid_leader_sees_the_grids_they_lead(client, staff, register, tree, make_user):
    from zhili.core.roles import Role

    leader = make_user("gridleader", tree.v12, Role.GRID_LEADER)
    tree.g121.leader = leader
    tree.g121.save()
    mine = register(title="甲二村", lat=34.505, lng=118.725)
    register(title="甲一村", lat=34.505, lng=118.705)
    assert list(selectors.my_grid_cases(user=leader)) == [mine]


def test_open_and_all(phone, workers, register, staff):
    from zhili.cases.models import Case, State

    open_case = register(title="未办结的", lat=34.505, lng=118.705)
    closed = register(title="已办结的", lat=34.506, lng=118.705)
    Case.objects.filter(pk=closed.pk).update(state=State.CLOSED)
    default = phone.get("/m/cases/").content.decode()
    assert open_case.case_no in default and closed.case_no not in default
    everything = phone.get("/m/cases/?show=all").content.decode()
    assert open_case.case_no in everything and closed.case_no in everything
