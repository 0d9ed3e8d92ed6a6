import pytest

from zhili.core.numerals import chinese_number

CASES = {0: "零", 1: "一", 8: "八", 10: "十", 14: "十四", 18: "十八", 20: "二十", 23: "二十三"}
CASES |= {45: "四十五", 85: "八十五", 100: "一百", 101: "一百零一", 110: "一百一十"}
CASES |= {201: "二百零一", 203: "二百零三", 210: "二百一十", 999: "九百九十九"}


@pytest.mark.parametrize(("n", "text"), sorted(CASES.items()))
def test_chinese_number(n: int, text: str) -> None:
    assert chinese_number(n) == text


@pytest.mark.parametrize("bad", [-1, 1000])
def test_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError):
        chinese_number(bad)
