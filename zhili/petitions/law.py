"""The articles of the 信访工作条例 (2022) that the platform cites: one table, one entry per
rule, and every printed citation (pages, forms, Word notices, messages, API descriptions)
reads it through `cite` / `ref`. Nothing else in zhili/petitions or zhili/portal writes an
article number (zhili/petitions/tests/test_law.py scans the templates and string constants).

The regulation was issued by the CPC Central Committee and the State Council on 2022-02-25
and took effect on 2022-05-01; it replaced the State Council's 信访条例 (2005), whose
numbering differs (the 2005 text had the 60-day limit in 第三十三条, review in 第三十四条
and re-review in 第三十五条; the 2022 text inserted mediation as 第三十三条 and moved them
one down). Each entry was checked against the 2022 text:

- 第二十一条, 第二十二条 (both paragraphs), 第二十三条: the 2022 text as published in the
  法治宣传 series of 香格里拉网 (www.wwwk001k.com/xwzx/2023-03/01/content_405521.htm, articles
  21-23 quoted whole) and the 福田区信访局 常见问题 pages (szft.gov.cn post_11270908: 第二十二条
  第一款; post_12295983: 第二十三条第一款; post_12403598: 第二十三条第三款, the 15 days and
  the 5 working days).
- 第三十六条: the paragraphs (re-review in 30 days; a hearing's time not counted "in the
  period of the preceding paragraph"; no new acceptance of the same facts and reasons) as
  quoted by 广东省信访局 (gdwsxf.gd.gov.cn post_3962125).
- 第十八条, 第三十一条, 第三十二条, 第三十四条, 第三十五条: the 2022 text's chapter 3 (提出和
  受理, 第十六至二十五条) and chapter 4 (办理, 第二十六至三十七条) in the official
  publication; their wording is also quoted by the sources above without the numbers.

`says` records, in English, what the cited provision says; a change of the regulation
changes this table and nothing else.
"""

from dataclasses import dataclass

from zhili.core.numerals import chinese_number

TITLE = "信访工作条例"


@dataclass(frozen=True)
class Article:
    number: int  # 第N条
    paragraph: int = 0  # 第N款; 0 cites the whole article
    item: int = 0  # 第(N)项 of the paragraph; 0 for none
    says: str = ""

    @property
    def ref(self) -> str:
        """第二十三条第三款 (no title)."""
        text = f"第{chinese_number(self.number)}条"
        if self.paragraph:
            text += f"第{chinese_number(self.paragraph)}款"
        if self.item:
            text += f"第（{chinese_number(self.item)}）项"
        return text


ARTICLES: dict[str, Article] = {
    "representatives": Article(
        18, says="Several people visiting about the same matter choose representatives, at most 5."
    ),
    "rating": Article(
        21,
        2,
        says="Matters are entered into the petition information system so that petitioners "
        "can follow and rate (评价) how their matter is handled.",
    ),
    "transfer": Article(
        22,
        1,
        says="A petition office registers what it receives and, within 15 days, transfers it "
        "to the unit with power to handle it (or assigns it with a reporting deadline).",
    ),
    "routing": Article(
        22,
        2,
        says="Law- and litigation-related letters (涉法涉诉) go to the political-legal organs "
        "of the same level; accusations (检举控告) that discipline inspection and supervision "
        "organs accept go to them, by cadre-management authority.",
    ),
    "direct_notice": Article(
        23,
        2,
        says="A unit told directly of a petition tells the petitioner in writing on the spot or "
        "within 15 days, except when the petitioner's name or address is unclear.",
    ),
    "transferred": Article(
        23,
        3,
        says="A unit receiving a transferred petition within its duty tells the petitioner in "
        "writing within 15 days; one outside its duty objects within 5 working days with its "
        "reasons and, once the transferring office agrees, hands the material back.",
    ),
    "claim_routes": Article(
        31,
        says="Claims (申诉求决) go to litigation, arbitration, administrative procedures or the "
        "unit's duty; the rest get a written opinion after hearing the petitioner.",
    ),
    "reply": Article(
        32,
        1,
        says="The written opinion states the petitioner's requests, the facts and reasons, the "
        "opinion and its legal basis: support (支持), explain (解释说明) or not support (不支持).",
    ),
    "handling": Article(
        34,
        says="Handled within 60 days of acceptance; for a complex matter, with the approval of "
        "the unit's head (本机关、单位负责人), extended by at most 30 days, the petitioner told why.",
    ),
    "review": Article(
        35,
        says="A petitioner may ask the organ above for a review within 30 days of receiving the "
        "written reply; the review opinion is given in writing within 30 days of the request.",
    ),
    "re_review": Article(
        36,
        1,
        says="Re-review asked of the organ above the reviewing one within 30 days of receiving "
        "the review opinion; the opinion within 30 days of the request.",
    ),
    "hearing": Article(
        36,
        2,
        says="The re-reviewing organ may hold a hearing; the time the hearing takes is not "
        "counted in the period of the first paragraph.",
    ),
    "final": Article(
        36,
        3,
        says="After the re-review, a petition on the same facts and reasons is not accepted again.",
    ),
}


def ref(key: str) -> str:
    """第二十三条第三款: the article of rule `key`, without the title."""
    return ARTICLES[key].ref


def cite(key: str) -> str:
    """《信访工作条例》第二十三条第三款: the article of rule `key`, with the title."""
    return f"《{TITLE}》{ref(key)}"
