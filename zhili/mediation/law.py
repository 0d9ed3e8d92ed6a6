"""The articles the mediation module prints, one table per law.

Every article number shown on a page, in a Word document or in a message of the mediation
module comes from these tables (`cite`, or the `{% cite %}` template tag of
`templatetags/mediation_law.py`); nothing else spells an article number. Each entry says in
English what the article provides, for the reader of the code, and where its number was
checked.

Sources checked (stored public pages, found with the `search` tool):
- 人民调解法 (2010年8月28日通过, 2011年1月1日施行; never amended): the consolidated text
  published by the Shanghai planning and natural resources bureau
  (ghzyj.sh.gov.cn/nw2511/20231213/fc08e56cea2340c0bc6d694137c70cac.html) for 第四条 to
  第九条; article-by-article quotations for the others, as named per entry (daowen.com
  "《人民调解协议书》内容相关法条链接" quotes 第二十七条 to 第三十三条 in sequence).
- 民事诉讼法 (2023年修正, 2024年1月1日施行): the rule on periods is 第八十五条 since the 2021
  revision (it was 第八十二条 before); the 2023 revision added articles after it only (the new
  遗产管理人 section moved 司法确认 from 第二百零一条 to 第二百零五条), so 第八十五条 stands.
- 民法典 (2020), 第十章 期间计算 (neixun.cn, dandonglaw.com): 第二百零一条 (a period counted
  in days starts the next day), 第二百零二条 (a period in months ends on the corresponding day
  of the last month, else on its last day), 第二百零三条 (a last day on a holiday moves on).
- 人民调解工作若干规定 (司法部令第75号, 2002): 第三十三条 "一般在一个月内调结" (lawfaq.cn
  law/24-140-3, the same text cited as 若干规定 第二十八、三十条 by wiki.mbalib.com).
"""

from dataclasses import dataclass

from zhili.core.numerals import chinese_number


@dataclass(frozen=True)
class Article:
    number: int
    says: str  # what the article provides, in short
    checked: str  # where its number was checked


@dataclass(frozen=True)
class Law:
    name: str  # the full title
    short: str  # the title pages print
    revision: str
    articles: dict[int, Article]

    def article(self, number: int) -> Article:
        try:
            return self.articles[number]
        except KeyError:
            raise KeyError(f"{self.short} 第{number}条 is not in the table") from None


def _table(*articles: Article) -> dict[int, Article]:
    return {a.number: a for a in articles}


SHANGHAI = "ghzyj.sh.gov.cn consolidated text"
DAOWEN = "daowen.com quotation of 第二十七条-第三十三条"
CIVIL_CODE_TEXT = "neixun.cn and dandonglaw.com quotations of 第十章 期间计算"

PEOPLES_MEDIATION = Law(
    name="中华人民共和国人民调解法",
    short="人民调解法",
    revision="2010",
    articles=_table(
        Article(4, "mediation is free of charge", SHANGHAI),
        Article(7, "a committee is a mass organization for mediating disputes", SHANGHAI),
        Article(8, "three to nine members, one chair, women members", SHANGHAI),
        Article(9, "members are elected; a term is three years, renewable", SHANGHAI),
        Article(
            13,
            "mediators are the committee's members and the people it engages",
            "wendadaohang.com quotation of 第十三条",
        ),
        Article(
            14,
            "mediators' qualities; the county justice bureau trains them regularly",
            "qebk.com and xinb2b.cn quotations of 第十四条",
        ),
        Article(
            17,
            "a party may apply; a party that clearly refuses may not be mediated",
            "110ask.com quotation of 第十七条",
        ),
        Article(
            23,
            "the parties' rights: choose the mediator, accept, refuse or end the mediation, "
            "public or not, express their will freely",
            "sequence: 第二十二条 (cuoac.com) before, 第二十七条 (daowen.com) after; the "
            "wording matches Guannan county's published summary of the parties' rights",
        ),
        Article(
            26,
            "mediation that fails is ended and the parties told their other routes",
            "shoulawyer.com paraphrase; sequence as for 第二十三条",
        ),
        Article(27, "the mediator records the mediation; the committee keeps the file", DAOWEN),
        Article(
            28,
            "a written agreement may be made; an oral one is recorded by the mediator",
            "64365.com and falvzhan.com quotations of 第二十八条",
        ),
        Article(
            29,
            "the written agreement's contents (the parties, the facts and each party's "
            "liability, the terms, how and when performed); effective when every party "
            "signed, sealed or fingerprinted and the mediator signed and the committee sealed",
            f"{DAOWEN}; an English translation of Article 29 (ysznh.com)",
        ),
        Article(
            30,
            "an oral agreement takes effect when the parties reach it",
            "m.ibooks.qq.com commentary on 第三十三条 (written and oral effect)",
        ),
        Article(31, "an agreement binds the parties; the committee follows up", DAOWEN),
        Article(
            33,
            "the parties may apply together for judicial confirmation within 30 days of the "
            "agreement taking effect",
            DAOWEN,
        ),
    ),
)

CIVIL_PROCEDURE = Law(
    name="中华人民共和国民事诉讼法",
    short="民事诉讼法",
    revision="2023",
    articles=_table(
        Article(
            85,
            "periods: the first day is not counted; a period whose last day is a statutory "
            "holiday ends on the first day after the holiday",
            "cooxue.com and wendadaohang.com quotations of 第八十五条 (2021 numbering, kept "
            "in 2023)",
        ),
    ),
)

CIVIL_CODE = Law(
    name="中华人民共和国民法典",
    short="民法典",
    revision="2020",
    articles=_table(
        Article(201, "a period counted in days starts on the next day", CIVIL_CODE_TEXT),
        Article(
            202,
            "a period counted in months ends on the corresponding day of the last month, "
            "or on that month's last day",
            CIVIL_CODE_TEXT,
        ),
        Article(
            203,
            "a period whose last day is a statutory holiday ends on the day after the holiday",
            CIVIL_CODE_TEXT,
        ),
    ),
)

MEDIATION_PROVISIONS = Law(
    name="人民调解工作若干规定",
    short="人民调解工作若干规定",
    revision="2002",
    articles=_table(
        Article(33, "a committee generally settles a dispute within one month", "lawfaq.cn"),
    ),
)

LAWS = {law.short: law for law in (PEOPLES_MEDIATION, CIVIL_PROCEDURE, CIVIL_CODE)}
LAWS[MEDIATION_PROVISIONS.short] = MEDIATION_PROVISIONS


def article_no(number: int, law: Law = PEOPLES_MEDIATION) -> str:
    """第三十三条, checked against the law's table (an article not in it is an error)."""
    law.article(number)
    return f"第{chinese_number(number)}条"


def cite(*numbers: int, law: Law = PEOPLES_MEDIATION) -> str:
    """《人民调解法》第八条、第九条: the printed citation of one or more articles."""
    return f"《{law.short}》" + "、".join(article_no(n, law) for n in numbers)
