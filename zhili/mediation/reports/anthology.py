"""The case anthology (调解案例选集) as a Word document: a cover, a table of contents, then one
chapter per exemplary case - title, type, committee, background, the mediation process
(its sessions), the agreement, and the commentary (评析, the exemplary note).

The parties are anonymized: a person becomes surname + 某 (张某, two 张 become 张某甲 and
张某乙), everywhere their name appears in the texts; resident ID numbers and phone numbers are
removed from every text. Organizations keep their names (they are not personal data).

`render_anthology` writes from plain dataclasses; `zhili.mediation.reports.selectors`
builds them from the disputes.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from io import BytesIO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"

# Compound surnames (复姓) that keep two characters: 欧阳某, not 欧某.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "轩辕",
        "呼延",
    ]
)
_SUFFIXES = "甲乙丙丁戊己庚辛壬癸"
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}-?\d{7,8})(?!\d)")
REMOVED = "××"


@dataclass(frozen=True)
class Person:
    name: str
    is_person: bool = True  # False: an organization, named as is


@dataclass(frozen=True)
class SessionText:
    held_on: str  # 2026年11月3日
    mode: str  # 现场调解 / 视频调解
    place: str
    mediators: str
    record: str


@dataclass(frozen=True)
class AnthologyCase:
    number: str
    title: str
    kind: str
    committee: str
    registered_on: str
    parties: Sequence[Person]
    background: str
    sessions: Sequence[SessionText] = ()
    matters: str = ""
    terms: str = ""
    performance: str = ""
    commentary: str = ""
    mediators: str = ""


@dataclass(frozen=True)
class Anthology:
    title: str
    subtitle: str  # the unit and the period
    cases: Sequence[AnthologyCase] = field(default_factory=tuple)


def surname(name: str) -> str:
    name = name.strip()
    return name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]


def pseudonyms(names: Iterable[str]) -> dict[str, str]:
    """Full name -> 张某 for each distinct person name, with 甲/乙... when a surname repeats."""
    distinct = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    by_surname: dict[str, list[str]] = {}
    for name in distinct:
        by_surname.setdefault(surname(name), []).append(name)
    out: dict[str, str] = {}
    for family, members in by_surname.items():
        if len(members) == 1:
            out[members[0]] = f"{family}某"
        else:
            for i, member in enumerate(members):
                suffix = _SUFFIXES[i] if i < len(_SUFFIXES) else str(i + 1)
                out[member] = f"{family}某{suffix}"
    return out


def scrub(text: str, names: dict[str, str]) -> str:
    """`text` with the parties' names replaced and ID and phone numbers removed."""
    text = _ID_IN_TEXT.sub(REMOVED, text or "")
    text = _PHONE_IN_TEXT.sub(REMOVED, text)
    # Longest names first, so that 张三丰 is not replaced as 张三 + 丰.
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, names[name])
    return text


def anonymize(case: AnthologyCase) -> AnthologyCase:
    names = pseudonyms(p.name for p in case.parties if p.is_person)

    def s(text: str) -> str:
        return scrub(text, names)

    return AnthologyCase(
        number=case.number,
        title=s(case.title),
        kind=case.kind,
        committee=case.committee,
        registered_on=case.registered_on,
        parties=[Person(names.get(p.name.strip(), s(p.name)), p.is_person) for p in case.parties],
        background=s(case.background),
        sessions=[
            SessionText(x.held_on, x.mode, s(x.place), x.mediators, s(x.record))
            for x in case.sessions
        ],
        matters=s(case.matters),
        terms=s(case.terms),
        performance=s(case.performance),
        commentary=s(case.commentary),
        mediators=case.mediators,
    )


# --- the document ------------------------------------------------------------------------------


def _run(paragraph: Paragraph, text: str, *, size: float = 14, font: str = BODY_FONT,
         bold: bool = False) -> None:  # fmt: skip
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    run.font.color.rgb = RGBColor(0, 0, 0)  # the heading styles' blue is not for official papers
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _para(doc: object, text: str, *, indent: bool = True, size: float = 14) -> Paragraph:
    paragraph: Paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.line_spacing = Pt(size * 1.75)
    _run(paragraph, text, size=size)
    return paragraph


def _heading(doc: object, text: str, *, level: int) -> Paragraph:
    paragraph: Paragraph = doc.add_heading(level=level)  # type: ignore[attr-defined]
    if level == 1:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, size=18 if level == 1 else 15, font=HEADING_FONT, bold=True)
    return paragraph


def _page_break(doc: object) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # type: ignore[attr-defined]


def _chapter(doc: object, index: int, case: AnthologyCase) -> None:
    _heading(doc, f"案例{index}  {case.title}", level=1)
    facts = doc.add_paragraph()  # type: ignore[attr-defined]
    facts.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(facts, f"【纠纷类型】{case.kind}  【调解组织】{case.committee}", size=12)
    who = doc.add_paragraph()  # type: ignore[attr-defined]
    who.alignment = WD_ALIGN_PARAGRAPH.CENTER
    parties = "、".join(p.name for p in case.parties) or "—"
    _run(who, f"【当事人】{parties}  【登记日期】{case.registered_on}", size=12)

    _heading(doc, "一、基本案情", level=2)
    _para(doc, case.background or "—")
    _heading(doc, "二、调解过程", level=2)
    if case.mediators:
        _para(doc, f"调解员：{case.mediators}。")
    for session in case.sessions:
        where = f",{session.place}" if session.place else ""
        _para(doc, f"{session.held_on}（{session.mode}{where}）：{session.record}")
    if not case.sessions:
        _para(doc, "（无调解记录）")
    _heading(doc, "三、调解结果", level=2)
    if case.matters:
        _para(doc, f"争议事项：{case.matters}")
    _para(doc, f"协议内容：{case.terms or '—'}")
    if case.performance:
        _para(doc, f"履行情况：{case.performance}")
    _heading(doc, "四、案例评析", level=2)
    _para(doc, case.commentary or "—")


def render_anthology(anthology: Anthology) -> bytes:
    """The anthology's .docx, its cases anonymized."""
    cases = [anonymize(c) for c in anthology.cases]
    doc = Document()
    _a4_margins(doc)
    _cover(doc, anthology, len(cases))
    _page_break(doc)
    _heading(doc, "目  录", level=1)
    for index, case in enumerate(cases, start=1):
        _para(doc, f"案例{index}  {case.title}（{case.kind}）", indent=False)
    for index, case in enumerate(cases, start=1):
        _page_break(doc)
        _chapter(doc, index, case)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _a4_margins(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


def _cover(doc: DocumentObject, anthology: Anthology, count: int) -> None:
    """The title a third down the page, the subtitle, and how many cases it holds."""
    for _ in range(6):
        doc.add_paragraph()
    for text, size, bold, font in (
        (anthology.title, 26, True, TITLE_FONT),
        (anthology.subtitle, 16, False, BODY_FONT),
        (f"共收录案例 {count} 件", 14, False, BODY_FONT),
    ):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, text, size=size, font=font, bold=bold)
