"""The statutory public holidays of a year, as the law fixes them, without the year's 调休.

《全国年节及纪念日放假办法》, as revised by the State Council on 2024-11-10 (in force from
2025-01-01), gives every citizen 13 days off (第二条):
元旦 1 day (1 January); 春节 4 days (除夕 to 正月初三); 清明节 1 day (the day of the 清明
solar term); 劳动节 2 days (1-2 May); 端午节 1 day (五月初五); 中秋节 1 day (八月十五);
国庆节 3 days (1-3 October).

Each year the State Council's notice then moves days around weekends (调休), and that cannot
be known in advance. The lunar dates and the 清明 solar term come from `lunar-python`
(6tail's lunar, MIT): it converts lunar to solar dates and computes the 24 solar terms for
any year we accept (2000-2099), is pure Python with no data download, and is maintained;
`lunardate` knows no solar terms and `chinese-calendar` stops at the years it was released for.
"""

import functools
from datetime import date, timedelta

from lunar_python import Lunar, Solar


def _solar(lunar_year: int, month: int, day: int) -> date:
    solar = Lunar.fromYmd(lunar_year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> date:
    # The table of the lunar year that holds 1 April lists that spring's 清明.
    term = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    return date(term.getYear(), term.getMonth(), term.getDay())


@functools.cache
def statutory_days(year: int) -> dict[date, str]:
    """Every statutory day off of `year`, with the festival's name."""
    new_year = _solar(year, 1, 1)  # 正月初一 always falls in January or February
    days = {date(year, 1, 1): "元旦"}
    for n in range(-1, 3):  # 除夕 .. 正月初三
        days[new_year + timedelta(days=n)] = "春节"
    days[_qingming(year)] = "清明节"
    days |= {date(year, 5, 1): "劳动节", date(year, 5, 2): "劳动节"}
    days[_solar(year, 5, 5)] = "端午节"
    # 中秋 can fall on 1-3 October (2028, 2031): the day then counts once, as 国庆 does.
    days.setdefault(_solar(year, 8, 15), "中秋节")
    for n in (1, 2, 3):
        days.setdefault(date(year, 10, n), "国庆节")
    return days
