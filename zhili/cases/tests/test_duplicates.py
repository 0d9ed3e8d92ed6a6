"""Likely duplicates at intake: what is flagged and what is not, the workbench's merge and
dismiss, and that a merged reporter receives the master's reply."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from zhili.cases import text
from zhili.cases.models import Case, CaseDuplicate, CaseText, DuplicateState, State
from zhili.cases.services import case_act
from zhili.conftest import TEST_EPOCH
from zhili.core import outbox
from zhili.core.audit import AuditLog

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
NOISE = {"title": "夜间施工噪音", "description": "小区旁工地夜间施工，噪音很大，影响休息"}
NOISE_AGAIN = {
    "title": "工地夜间施工噪音扰民",
    "description": "小区旁边的工地夜间施工，噪音很大，影响居民休息",
}
RUBBISH = {"title": "河道垃圾", "description": "河道里有人倾倒垃圾，气味很臭"}
G111 = {"lat": 34.505, "lng": 118.705}  # township T1, village V11
NEAR_G111 = {"lat": 34.507, "lng": 118.707}  # ~290 m away, same grid
T2_G211 = {"lat": 34.515, "lng": 118.705}  # township T2: the grid above G111, ~1.1 km


def flags(case: Case) -> list[CaseDuplicate]:
    return list(CaseDuplicate.objects.filter(case=case))


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_near_identical_texts_a_few_hundred_metres_apart_are_flagged(register):
    first = register(**NOISE, **G111)
    second = register(**NOISE_AGAIN, **NEAR_G111)

    [flag] = flags(second)
    assert flag.candidate == first
    assert flag.state == DuplicateState.OPEN
    assert 250 < flag.distance_m < 330
    assert flag.text_similarity >= 0.5
    nearness = 1 - flag.distance_m / 1000
    assert flag.score == pytest.approx(0.7 * flag.text_similarity + 0.3 * nearness, abs=0.002)
    assert flag.score >= 0.6
    assert first.case_no in flag.reason and "相距约" in flag.reason and "相似度" in flag.reason
    assert flags(first) == []  # the earlier case is not re-flagged
    assert AuditLog.objects.filter(action="cases.duplicate.flag", target_id=str(second.pk)).exists()


def test_the_same_text_in_another_township_is_not_flagged(register):
    register(**NOISE, **G111)
    other = register(**NOISE, **T2_G211)
    assert other.township != Case.objects.first().township
    assert flags(other) == []


def test_different_text_at_the_same_place_is_not_flagged(register):
    register(**NOISE, **G111)
    other = register(**RUBBISH, **G111)
    assert flags(other) == []


def test_the_same_category_group_only(register, catalog):
    register(**NOISE, **G111)  # 环境保护
    other = register(category=catalog.lamp, **NOISE, **G111)  # 市政设施
    assert flags(other) == []


def test_cases_outside_the_window_are_not_flagged(register):
    register(**NOISE, **G111)
    with time_machine.travel(TEST_EPOCH + timedelta(days=8), tick=True):
        late = register(**NOISE, **G111)
    assert flags(late) == []
    with time_machine.travel(TEST_EPOCH + timedelta(days=6), tick=True):
        within = register(**NOISE, **G111)
    assert [f.candidate_id for f in flags(within)] == [Case.objects.order_by("id").first().pk]


def test_an_adjacent_grid_counts_beyond_the_distance(register):
    """G111 and G112 touch; G121 is one grid further. All three are in township T1."""
    first = register(**NOISE, lat=34.505, lng=118.7005)  # the west edge of G111
    in_g112 = register(**NOISE, lat=34.505, lng=118.7195)  # ~1.7 km east, G112
    in_g121 = register(**NOISE, lat=34.505, lng=118.7205)  # ~1.8 km east, G121
    assert in_g112.grid != first.grid and in_g121.grid not in (first.grid, in_g112.grid)
    [flag] = flags(in_g112)
    assert flag.candidate == first and flag.distance_m > 1000
    # G121 touches G112 (a candidate) but not G111.
    assert [f.candidate for f in flags(in_g121)] == [in_g112]


def test_disabled_setting_means_no_check_but_the_text_is_still_indexed(register, settings):
    settings.ZHILI_DUPLICATES = {**settings.ZHILI_DUPLICATES, "enabled": False}
    register(**NOISE, **G111)
    second = register(**NOISE, **G111)
    assert flags(second) == []
    assert CaseText.objects.filter(case=second).exists()


def test_a_merged_candidate_stands_for_its_master(register, staff):
    master = register(**NOISE, **G111)
    merged = register(**NOISE, **G111)
    case_act(actor=staff.township, case=merged, action="merge", master=master.case_no)
    CaseDuplicate.objects.all().delete()
    third = register(**NOISE, **NEAR_G111)
    assert {f.candidate for f in flags(third)} == {master}


def test_minhash_estimates_the_jaccard_similarity_of_the_words():
    texts = [
        NOISE["title"] + NOISE["description"],
        NOISE_AGAIN["title"] + NOISE_AGAIN["description"],
        RUBBISH["title"] + RUBBISH["description"],
        "人民路路灯不亮，晚上出行很不方便，存在安全隐患",
        "人民路有三盏路灯不亮，晚上出行不方便",
    ]
    sets = [set(text.words(t)) for t in texts]
    sigs = [text.signature(s) for s in sets]
    matrix = __import__("numpy").vstack(sigs)
    for i, sig in enumerate(sigs):
        estimates = text.similarity(sig, matrix)
        for j, other in enumerate(sets):
            exact = len(sets[i] & other) / len(sets[i] | other)
            # NUM_PERM = 64: the standard error is at most 0.0625.
            assert abs(estimates[j] - exact) < 0.2, (texts[i], texts[j])
        assert estimates[i] == 1.0
    assert text.similarity(text.signature([]), matrix).tolist() == [0.0] * len(sigs)
    assert "的" not in text.words("小区的路灯") and "abc" in text.words("ABC 小区")


# --- the workbench and the detail page ----------------------------------------------------------


def deliver_all() -> None:
    while outbox.deliver_pending(worker_id="test"):
        pass


def test_merge_from_the_workbench_answers_every_reporter(register, staff):
    master = register(**NOISE, **G111, reporter_name="王先生")
    second = register(**NOISE_AGAIN, **NEAR_G111, reporter_name="李女士")
    third = register(**NOISE, **NEAR_G111, reporter_name="张先生")
    client = client_for(staff.township)

    page = client.get(reverse("cases:workbench")).content.decode()
    flag_2 = CaseDuplicate.objects.get(case=second, candidate=master)
    flag_3 = CaseDuplicate.objects.get(case=third, candidate=master)
    assert f'data-testid="dup-{second.case_no}-{master.case_no}"' in page
    assert flag_2.reason in page and f"合并至 {master.case_no}" in page

    for flag in (flag_2, flag_3):
        url = reverse("cases:duplicate_decide", args=[flag.pk, "merge"])
        response = client.post(url, {"ctx": "workbench"}, headers=HX)
        assert response.status_code == 200
        assert f"已合并至 {master.case_no}" in response.content.decode()
    for case in (second, third):
        case.refresh_from_db()
        assert case.state == State.MERGED and case.master == master
    assert CaseDuplicate.objects.get(pk=flag_2.pk).state == DuplicateState.MERGED
    assert CaseDuplicate.objects.get(pk=flag_2.pk).decided_by == staff.township

    master = case_act(actor=staff.township, case=master, action="dispatch")
    master = case_act(actor=staff.township, case=master, action="acknowledge")
    master = case_act(
        actor=staff.township, case=master, action="reply", reply="已责令工地停止夜间施工"
    )
    master = case_act(actor=staff.township, case=master, action="close")
    deliver_all()
    for case in (second, third):
        case.refresh_from_db()
        assert case.reply == "已责令工地停止夜间施工"
        assert case.closed_at == master.closed_at
    assert f"dup-{second.case_no}-" not in client.get(reverse("cases:workbench")).content.decode()


def test_dismiss_from_the_detail_page(register, staff):
    first = register(**NOISE, **G111)
    second = register(**NOISE, **G111)
    [flag] = flags(second)
    client = client_for(staff.township)
    detail = client.get(reverse("cases:detail", args=[second.case_no])).content.decode()
    assert 'data-testid="case-duplicates"' in detail and flag.reason in detail

    url = reverse("cases:duplicate_decide", args=[flag.pk, "dismiss"])
    response = client.post(url, {"ctx": "detail"}, headers=HX)
    assert response.status_code == 200
    assert f"已确认与 {first.case_no} 不重复" in response.content.decode()
    flag.refresh_from_db()
    assert flag.state == DuplicateState.DISMISSED
    second.refresh_from_db()
    assert second.state == State.REGISTERED
    # Decided once: a second click is a conflict, not a second decision.
    again = client.post(url, {"ctx": "detail"}, headers=HX)
    assert again.status_code == 409
    workbench = client.get(reverse("cases:workbench")).content.decode()
    assert f"dup-{second.case_no}-" not in workbench


def test_only_those_who_may_merge_decide_and_out_of_scope_is_404(register, staff):
    register(**NOISE, **G111)
    second = register(**NOISE, **G111)
    [flag] = flags(second)
    url = reverse("cases:duplicate_decide", args=[flag.pk, "merge"])
    assert client_for(staff.t2_officer).post(url, headers=HX).status_code == 404
    assert client_for(staff.police).post(url, headers=HX).status_code == 403
    flag.refresh_from_db()
    assert flag.state == DuplicateState.OPEN
