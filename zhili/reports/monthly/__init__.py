"""The 月分析 (monthly analysis, issue 18): the sections of a monthly 12345-style report,
registered into zhili.reports.sections.SECTIONS for `Kind.MONTHLY`.

一 totals with 同比 and 环比; 二 by source; 三 by 五情; 四 by type; 五 hot categories with a
typical case and generated advice; 六 the ten units given most cases; 七 townships' cases per
10,000 residents; 八 hot spots (villages, grids); 九 typical cases; 十 the unit table; 十一 the
assessment's scores of the month (townships and departments ranked, the change from the month
before). Charts are drawn on the server (zhili.reports.charts). Every figure links to its
records, every score to its ledger entries.
"""

from zhili.reports.models import Kind
from zhili.reports.monthly import hot, overview, places, scores, units
from zhili.reports.sections import SECTIONS, Section

MONTHLY = frozenset({Kind.MONTHLY})

for key, section in (
    ("m-totals", Section("总体情况", 10, overview.totals, MONTHLY)),
    ("m-channels", Section("来源渠道", 20, overview.by_channel, MONTHLY)),
    ("m-five", Section("五情", 30, overview.by_five, MONTHLY)),
    ("m-types", Section("诉求类型", 40, overview.by_type, MONTHLY)),
    ("m-hot", Section("热点诉求", 50, hot.hot_categories, MONTHLY)),
    ("m-units", Section("承办单位", 60, units.top_units, MONTHLY)),
    ("m-rates", Section("万人诉求率", 70, places.township_rates, MONTHLY)),
    ("m-spots", Section("热点区域", 80, places.hot_spots, MONTHLY)),
    ("m-cases", Section("典型案例", 90, hot.typical_cases, MONTHLY)),
    ("m-table", Section("单位办理质效", 100, units.unit_table, MONTHLY)),
    ("m-scores", Section("考核得分", 110, scores.scores, MONTHLY)),
):
    SECTIONS.register(key, section)
