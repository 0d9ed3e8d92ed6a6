"""The report table, the ranking formula and the two writers, without a database."""

from io import BytesIO

from docx import Document
from openpyxl import load_workbook

from zhili.mediation.reports.anthology import (
    Anthology,
    AnthologyCase,
    Person,
    SessionText,
    pseudonyms,
    render_anthology,
    scrub,
)
from zhili.mediation.reports.ranking import Tally, rank, score
from zhili.mediation.reports.table import COLUMNS, Fact, build_table
from zhili.mediation.reports.workbook import HEADER_ROW, render_monthly_xlsx

ROWS = {
    "kind": [("neighbourhood", "邻里"), ("labour", "劳动争议"), ("other", "其它")],
    "source": [("screening", "主动排查"), ("application", "当事人申请")],
    "level": [("village", "村（社区）"), ("township", "乡镇（街道）"), ("county", "县")],
}


def facts() -> list[Fact]:
    return [
        Fact("neighbourhood", "screening", "village", True, "agreement", 3, risk_criminal=True),
        Fact("neighbourhood", "application", "village", True, "no_agreement", 2),
        Fact("labour", "application", "township", False, "agreement", 12, risk_group_petition=True),
        Fact("labour", "screening", "township", True, "refused", 4),
        Fact("other", "screening", "county", True, "", 2),
    ]


def table():
    return build_table(facts(), unit_name="甲镇", year=2026, month=11, rows=ROWS)


def test_rows_count_each_outcome_and_people():
    kind = {line.code: line for line in table().sections[0].lines}
    n = kind["neighbourhood"]
    assert (n.registered, n.mediated, n.succeeded, n.failed, n.refused) == (2, 2, 1, 1, 0)
    assert n.people == 5 and n.success_rate == 50.0
    assert (n.criminal_cases, n.criminal_people) == (1, 3)
    labour = kind["labour"]
    assert (labour.registered, labour.mediated, labour.succeeded, labour.refused) == (1, 1, 1, 1)
    assert labour.people == 12  # the refused dispute's people are not "involved in mediation"
    assert (labour.petition_cases, labour.petition_people) == (1, 12)
    assert kind["other"].success_rate is None


def test_every_block_totals_the_same():
    sections = table().sections
    for section in sections:
        total = section.total
        assert (total.registered, total.mediated, total.succeeded, total.refused) == (4, 3, 2, 1)
        assert total.people == 17
        assert total.success_rate == 66.7
        assert sum(line.registered for line in section.lines) == total.registered
    level = {line.code: line for line in sections[2].lines}
    assert (level["village"].mediated, level["township"].mediated, level["county"].mediated) == (
        2,
        1,
        0,
    )


def test_unknown_code_still_counts_in_the_total():
    t = build_table(
        [Fact("??", "screening", "village", True, "", 1)],
        unit_name="x",
        year=2026,
        month=1,
        rows=ROWS,
    )
    assert t.sections[0].total.registered == 1
    assert sum(line.registered for line in t.sections[0].lines) == 0


def test_workbook_holds_the_table_numbers():
    t = table()
    sheet = load_workbook(BytesIO(render_monthly_xlsx(t))).active
    assert sheet["A1"].value == "人民调解工作统计月报表"
    assert "甲镇" in sheet["A2"].value
    headers = [sheet.cell(HEADER_ROW, c).value for c in range(1, len(COLUMNS) + 2)]
    assert headers[1] == "受理纠纷（件）" and "防止民转刑" in headers
    rows = {sheet.cell(r, 1).value: r for r in range(HEADER_ROW + 2, sheet.max_row + 1)}
    row = rows["邻里"]
    values = [sheet.cell(row, c).value for c in range(2, len(COLUMNS) + 2)]
    line = t.sections[0].lines[0]
    assert values == [getattr(line, attr) for attr, _l, _u in COLUMNS]
    assert values[:5] == [2, 2, 1, 1, 50.0]


def test_ranking_formula_and_minimum():
    tallies = [
        Tally(1, "王芳", "甲镇调委会", mediated=10, succeeded=10, performed=10),
        Tally(2, "李强", "甲镇调委会", mediated=10, succeeded=5, performed=4, partly=2),
        Tally(3, "赵敏", "乙乡调委会", mediated=4, succeeded=4, performed=4),  # too few
    ]
    ranked = rank(tallies, min_cases=5)
    assert [r.name for r in ranked] == ["王芳", "李强"]
    assert ranked[0].score == 100.0
    # 50 * 5/10 + 30 * 0.5 + 20 * (4 + 1)/5 = 25 + 15 + 20
    assert ranked[1].score == 60.0 and ranked[1].success_rate == 0.5
    assert [r.name for r in rank(tallies, min_cases=1)][:1] == ["王芳"]
    assert score(Tally(9, "x", "", 0, 0), 0) == (0.0, 0.0, 0.0)


def test_ranking_keeps_ten_and_breaks_ties_by_name():
    tallies = [Tally(i, f"调解员{i:02d}", "", mediated=6, succeeded=3) for i in range(15)]
    ranked = rank(tallies)
    assert len(ranked) == 10
    assert [r.rank for r in ranked] == list(range(1, 11))
    assert ranked[0].name == "调解员00"


def test_pseudonyms_and_scrub():
    names = pseudonyms(["张三", "张四", "欧阳娜娜", "李明"])
    assert names == {"张三": "张某甲", "张四": "张某乙", "欧阳娜娜": "欧阳某", "李明": "李某"}
    text = "张三（身份证320722199001011234，电话13812345678）与李明协商"
    out = scrub(text, names)
    assert "张三" not in out and "李明" not in out and "13812345678" not in out
    assert "320722199001011234" not in out
    assert out.startswith("张某甲")


def test_anthology_has_a_chapter_per_case_and_no_personal_data():
    case = AnthologyCase(
        number="TJ2026-000001",
        title="张三与李明宅基地纠纷",
        kind="房屋宅基地",
        committee="甲镇人民调解委员会",
        registered_on="2026年10月8日",
        parties=[Person("张三"), Person("李明"), Person("东海县某建材公司", is_person=False)],
        background="张三（电话13812345678，身份证号320722199001011234）称李明砌墙占用其宅基地。",
        sessions=[
            SessionText("2026年10月9日", "现场调解", "甲一村调解室", "王芳", "李明同意退让。")
        ],
        terms="李明于十日内拆除围墙。",
        commentary="调解员以情说理，化解邻里积怨。",
    )
    doc = Document(BytesIO(render_anthology(Anthology("调解案例选集", "甲镇 · 2026年", [case]))))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "案例1  张某与李某宅基地纠纷" in text
    assert "东海县某建材公司" in text and "李某同意退让" in text
    assert "张三" not in text and "李明" not in text
    assert "320722199001011234" not in text and "13812345678" not in text
    assert "调解员以情说理" in text
