"""The one date range (zhili.core.dates), the invisible-character cleaner (zhili.core.text)
and the strict base of the API's input schemas (zhili.core.schemas)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from zhili.core.dates import (
    Moment,
    check_moment,
    parse_moment,
    parse_month,
    parse_unix_seconds,
)
from zhili.core.errors import InvalidInput
from zhili.core.schemas import Input, takes_bool
from zhili.core.text import clean_line, clean_text


@pytest.mark.parametrize(
    "text",
    [
        "9" * 400,
        "-" + "9" * 400,
        "",
        " ",
        "1.5",
        "1e9",
        "０",
        "１７６４１５００００",
        "946684800000",
        "32535216000",
    ],
)
def test_unix_seconds_beyond_the_range_are_a_field_error(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_unix_seconds(text, field="X-Zhili-Timestamp")
    assert refused.value.field == "X-Zhili-Timestamp"


def test_unix_seconds_within_the_range() -> None:
    assert parse_unix_seconds(" 1764150000 ", field="t") == 1764150000


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-11-26T10:00:00+16:00", "时区"),
        ("2026-11-26T10:00:00-14:01", "时区"),
        ("0001-01-01T00:00:00Z", "日期"),
        ("9999-12-31T23:59:59Z", "日期"),
        ("2100-01-01T00:00:00", "日期"),
        ("2026-13-01T00:00:00", "格式"),
        ("tomorrow", "格式"),
    ],
)
def test_moments_out_of_range_are_a_field_error(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_moment(text, field="created_at")
    assert refused.value.field == "created_at" and problem in refused.value.message


def test_moments_within_range_come_back_in_utc() -> None:
    assert parse_moment("2026-11-26T08:00:00+14:00", field="at") == datetime(
        2026, 11, 25, 18, tzinfo=UTC
    )
    assert parse_moment("2026-11-26T08:00:00", field="at") == datetime(2026, 11, 26, tzinfo=UTC)
    west = datetime(2000, 1, 1, tzinfo=timezone(-timedelta(hours=12)))
    assert check_moment(west, field="at").year == 2000


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "1999-12", "2100-01", "2026-1", "", "x"])
def test_months_out_of_range_are_a_field_error(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_month(text)
    assert refused.value.field == "month"


def test_a_month() -> None:
    assert parse_month("2026-11") == (2026, 11)


def test_the_cleaner_drops_bidi_controls_and_invisible_characters() -> None:
    hostile = "\u202eexe.txt\u202c \u2066a\u2069\u200b\u200e\u061c\ufeff\u00ad\U000e0041"
    assert clean_line(hostile) == "exe.txt a"
    assert clean_text(hostile) == "exe.txt a"
    family = "👨\u200d👩\u200d👧"
    assert clean_text(family) == family and clean_line(family) == "👨👩👧"
    assert clean_text("第一行\n\t第二行 😀 𠀀") == "第一行\n\t第二行 😀 𠀀"


class Sample(Input):
    lat: float | None = None
    count: int = 0
    flag: bool = False
    either: int | bool = 0
    title: str = ""
    note: str = ""
    password: str = ""
    when: Moment | None = None


@pytest.mark.parametrize("field", ["lat", "count"])
@pytest.mark.parametrize("value", [True, False])
def test_a_boolean_is_no_number(field: str, value: bool) -> None:
    with pytest.raises(ValidationError) as refused:
        Sample(**{field: value})
    assert refused.value.errors()[0]["loc"] == (field,)


def test_numbers_and_booleans_where_they_belong() -> None:
    sample = Sample(lat="34.5", count=3, flag=True, either=True)
    assert (sample.lat, sample.count, sample.flag, sample.either) == (34.5, 3, True, True)
    assert takes_bool(bool | None) and not takes_bool(float | None)


def test_strings_are_cleaned_and_secrets_are_not() -> None:
    sample = Sample(title="标\u200d题\u202e", note="备\u202e注 👨\u200d👩", password="p\u200bw")
    assert (sample.title, sample.note, sample.password) == ("标题", "备注 👨\u200d👩", "p\u200bw")


@pytest.mark.parametrize("when", ["2026-11-26T10:00:00+16:00", "0001-01-01T00:00:00Z"])
def test_a_moment_out_of_range_is_a_validation_error(when: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Sample(when=when)
    assert refused.value.errors()[0]["loc"] == ("when",)
