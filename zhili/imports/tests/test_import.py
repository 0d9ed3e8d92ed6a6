"""The import of historical work orders: all or nothing, routed, numbered, idempotent."""

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from zhili.cases.models import Case, CaseEvent, CaseText, State
from zhili.cases.selectors import CaseFilters, filter_cases
from zhili.core.counters import take_block
from zhili.core.models import AuditLog, NumberCounter, OutboxEvent, Series
from zhili.imports.models import JobState
from zhili.imports.tests.conftest import good_row
from zhili.imports.workbooks import report_workbook

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def test_a_file_with_three_bad_rows_imports_nothing_and_names_each_row_and_field(run_file):
    rows = [good_row(n) for n in range(1, 11)]
    rows[2]["联系电话"] = "12345"  # Excel row 4
    rows[5]["事项分类编码"] = "NOPE"  # Excel row 7
    rows[8]["受理时间"] = "去年春天"  # Excel row 10
    job = run_file(rows)
    assert job.state == JobState.REJECTED
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0
    assert {(e["row"], e["column"]) for e in job.errors} == {
        (4, "联系电话"),
        (7, "事项分类编码"),
        (10, "受理时间"),
    }
    assert (job.error_rows, job.error_count, job.total_rows) == (3, 3, 10)
    messages = {e["column"]: e["message"] for e in job.errors}
    assert "NOPE" in messages["事项分类编码"]
    assert "去年春天" in messages["受理时间"]
    assert AuditLog.objects.filter(action="imports.job.reject", target_id=str(job.pk)).count() == 1
    # The downloadable report lists the same rows and fields.
    sheet = load_workbook(BytesIO(report_workbook(job))).active
    listed = [r for r in sheet.iter_rows(values_only=True) if r and isinstance(r[0], int)]
    assert {(r[0], r[1]) for r in listed} == {
        (4, "联系电话"),
        (7, "事项分类编码"),
        (10, "受理时间"),
    }


def test_every_fault_of_a_row_is_reported_not_only_the_first(run_file):
    bad = good_row(
        1, 来源渠道="传真", 纬度=34.5, 经度=None, 办结时间=datetime(2025, 2, 1, 8, 0), 标题=""
    )
    job = run_file(
        [bad, good_row(2, 原工单编号="RX-2025-00002"), good_row(3, 原工单编号="RX-2025-00002")]
    )
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {
        (2, "来源渠道"),
        (2, "标题"),
        (2, "经度"),
        (2, "办结时间"),  # before the registration
        (2, "办理结果"),  # closed without a reply
        (4, "原工单编号"),  # the same number as row 3
    }
    assert job.error_rows == 2
    assert Case.objects.count() == 0


def test_missing_columns_and_an_unreadable_file_are_rejected(run_file):
    job = run_file([good_row(1)], headers=["原工单编号", "标题"])
    assert job.state == JobState.REJECTED
    assert {e["column"] for e in job.errors} >= {"来源渠道", "受理时间", "事项分类编码", "诉求内容"}
    empty = run_file([])
    assert empty.state == JobState.REJECTED
    assert "没有工单数据" in empty.errors[0]["message"]


def test_a_good_file_imports_routes_every_case_and_keeps_history(run_file, rules, tree, staff):
    rows = [
        good_row(1),  # noise in T1: the township's own rule
        good_row(2, 纬度=34.515, 经度=118.705),  # noise in T2: the county rule (城管局)
        good_row(3, 事项分类编码="SZ01", 纬度=None, 经度=None, 来源渠道="数字城管"),  # address only
        good_row(4, 事项分类编码="JF", 紧急程度="紧急"),  # village rule
        good_row(5, 纬度=30.0, 经度=120.0),  # outside the county
        good_row(
            6,
            受理时间="2025-03-02 08:15",
            办结时间="2025/03/04 16:00",
            办理结果="已责令施工单位停止夜间施工",
        ),
    ]
    job = run_file(rows)
    assert job.state == JobState.DONE, job.errors
    assert (job.created_count, job.skipped_count, job.total_rows) == (6, 0, 6)
    cases = {c.external_id: c for c in Case.objects.select_related("dispatch_center")}
    assert len(cases) == 6
    one, two, three, four, five, six = (cases[f"RX-2025-{n:05d}"] for n in range(1, 7))
    assert (one.suggested_unit, one.dispatch_center, one.township) == (tree.t1, tree.t1, tree.t1)
    assert (two.suggested_unit, two.dispatch_center) == (rules.cgj, tree.county)
    assert (three.suggested_unit, three.dispatch_center, three.channel) == (
        rules.zjj,
        tree.county,
        "city_management",
    )
    assert (four.suggested_unit, four.urgency) == (tree.v11, "urgent")
    assert five.out_of_area and five.suggested_unit is None and five.dispatch_center == tree.county
    for case in (one, two, three, four, five):
        assert case.state == State.REGISTERED and case.lead_unit is None
        assert case.registered_at == datetime(2025, 3, 1, 9, 30, tzinfo=SH)
        assert case.routing_note
    assert six.state == State.CLOSED
    assert six.reply == "已责令施工单位停止夜间施工"
    assert six.closed_at == datetime(2025, 3, 4, 16, 0, tzinfo=SH)
    assert six.registered_at == datetime(2025, 3, 2, 8, 15, tzinfo=SH)
    assert six.lead_unit == tree.t1 and six.unit_path == tree.t1.path
    # A historical order keeps its outcome and is not called back: no follow-up for it.
    assert all(c.imported_at is not None for c in cases.values())
    assert not filter_cases(Case.objects.all(), CaseFilters(follow_up=True)).exists()
    # Numbers by the day of registration, gap-free, in file order.
    assert sorted(c.case_no for c in (one, two, three, four, five)) == [
        f"DH20250301-{n:05d}" for n in range(1, 6)
    ]
    assert one.case_no == "DH20250301-00001" and six.case_no == "DH20250302-00001"
    # One timeline row per case, one audit row for the job, no per-case events.
    events = CaseEvent.objects.filter(action="import")
    assert events.count() == 6
    assert set(events.values_list("to_state", flat=True)) == {State.REGISTERED, State.CLOSED}
    assert all(e.actor == staff.dispatcher for e in events)
    assert {e.data["external_id"] for e in events} == set(cases)
    assert all(e.data["import_job"] == job.pk and e.created_at for e in events)
    assert AuditLog.objects.filter(action="imports.job.import").count() == 1
    assert not AuditLog.objects.filter(action="cases.case.register").exists()
    assert list(OutboxEvent.objects.values_list("name", flat=True)) == ["imports.cases_imported"]
    # Every imported case is in the text index (duplicates and search).
    assert set(CaseText.objects.values_list("case_id", flat=True)) == {c.pk for c in cases.values()}


def test_importing_the_same_file_again_adds_nothing(run_file):
    rows = [good_row(n) for n in range(1, 6)]
    first = run_file(rows)
    numbers = set(Case.objects.values_list("case_no", flat=True))
    again = run_file(rows)
    assert (first.created_count, first.skipped_count) == (5, 0)
    assert again.state == JobState.DONE
    assert (again.created_count, again.skipped_count) == (0, 5)
    assert set(Case.objects.values_list("case_no", flat=True)) == numbers
    # A file with two new rows among old ones adds just those two.
    more = run_file([*rows, good_row(6), good_row(7)])
    assert (more.created_count, more.skipped_count) == (2, 5)
    assert Case.objects.count() == 7


def test_the_same_number_from_another_channel_is_another_case(run_file):
    job = run_file([good_row(1), good_row(1, 来源渠道="数字城管")])
    assert job.created_count == 2


def test_case_numbers_continue_the_day_without_gaps(run_file, register):
    day = "2025-03-01"
    NumberCounter.objects.create(series=Series.CASE, period=day, last=7)
    run_file([good_row(1), good_row(2)])
    assert sorted(Case.objects.values_list("case_no", flat=True)) == [
        "DH20250301-00008",
        "DH20250301-00009",
    ]
    assert NumberCounter.objects.get(series=Series.CASE, period=day).last == 9


def test_take_block_reserves_consecutive_numbers(db):
    day = "2024-05-01"
    assert take_block(Series.CASE, day, 3) == 1
    assert take_block(Series.CASE, day, 2) == 4
    assert NumberCounter.objects.get(series=Series.CASE, period=day).last == 5
    with pytest.raises(ValueError):
        take_block(Series.CASE, day, 0)


def test_a_job_runs_once(run_file):
    from zhili.imports.services import import_job_run

    job = run_file([good_row(1)])
    again = import_job_run(job.pk)
    assert again.state == JobState.DONE and Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_an_uploaded_job(client, staff, rules):
    from django.core.management import call_command
    from django.urls import reverse

    from zhili.imports.models import ImportJob
    from zhili.imports.tests.conftest import workbook_bytes, xlsx_upload

    client.force_login(staff.dispatcher)
    response = client.post(
        reverse("imports:index"), {"file": xlsx_upload(workbook_bytes([good_row(1)]))}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:job", args=[job.pk])
    assert job.state == JobState.QUEUED
    call_command("worker", "--once", verbosity=0)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.created_count == 1
    assert Case.objects.get().external_id == "RX-2025-00001"


def test_numbers_stay_gap_free_and_in_file_order_across_batches_and_days(run_file, monkeypatch):
    """Small batches, rows of three days interleaved, one day already counting: each day's
    numbers continue its counter, without gaps, in file order, whatever batch a row is in."""
    from zhili.imports import services

    monkeypatch.setattr(services, "BATCH", 3)
    NumberCounter.objects.create(series=Series.CASE, period="2025-03-02", last=40)
    days = ["2025-03-01 08:00", "2025-03-02 08:00", "2025-03-03 08:00"]
    rows = [good_row(n, 受理时间=days[n % 3]) for n in range(1, 12)]
    job = run_file(rows)
    assert job.state == JobState.DONE and job.created_count == 11
    numbers = dict(Case.objects.values_list("external_id", "case_no"))
    for offset, (day, first) in enumerate([("20250301", 1), ("20250302", 41), ("20250303", 1)]):
        in_order = [numbers[r["原工单编号"]] for r in rows if r["受理时间"] == days[offset]]
        assert in_order == [f"DH{day}-{n:05d}" for n in range(first, first + len(in_order))]
    counters = dict(NumberCounter.objects.values_list("period", "last"))
    assert sorted(counters.values()) == [3, 4, 44]


def test_a_sheet_without_a_declared_size_is_read_whole_and_not_parsed_on_opening(
    run_file, monkeypatch
):
    """Streaming writers (openpyxl's write-only mode, our own exports) leave out the sheet's
    <dimension>: openpyxl would parse the whole sheet on opening to look for it."""
    from openpyxl import Workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    from zhili.imports.reading import open_workbook
    from zhili.imports.tests.conftest import HEADERS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("工单")
    sheet.append(HEADERS)
    rows = [good_row(n) for n in range(1, 6)]
    for row in rows:
        sheet.append([row.get(h) for h in HEADERS])
    sheet.append([])
    sheet.append([good_row(6).get(h) for h in HEADERS])
    out = BytesIO()
    book.save(out)

    def no_scan(self):  # type: ignore[no-untyped-def]
        raise AssertionError("the sheet was parsed to find its size")

    monkeypatch.setattr(WorkSheetParser, "parse_dimensions", no_scan)
    opened = open_workbook(BytesIO(out.getvalue()))
    assert opened.worksheets[0].max_row is None
    opened.close()
    job = run_file(out.getvalue())
    assert job.state == JobState.DONE, job.errors
    assert (job.total_rows, job.created_count) == (6, 6)


def test_a_declared_size_is_read_as_openpyxl_reads_it(tmp_path):
    from openpyxl import Workbook

    from zhili.imports.reading import open_workbook

    book = Workbook()
    sheet = book.active
    sheet["C3"] = "原工单编号"
    sheet["E9"] = 1
    path = tmp_path / "sized.xlsx"
    book.save(path)
    reference = load_workbook(path, read_only=True, data_only=True).active
    with path.open("rb") as handle:
        ours = open_workbook(handle).active
        assert (ours.min_row, ours.min_column, ours.max_row, ours.max_column) == (3, 3, 9, 5)
        assert (ours.min_row, ours.max_row, ours.max_column) == (
            reference.min_row,
            reference.max_row,
            reference.max_column,
        )
        assert list(ours.values) == list(reference.values)
