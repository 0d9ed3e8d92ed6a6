"""Numbers in Chinese numerals, as laws number their articles and as people read them:
0 -> 零, 8 -> 八, 14 -> 十四, 23 -> 二十三, 110 -> 一百一十, 201 -> 二百零一."""

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """0..999 in Chinese numerals."""
    if not 0 <= n < 1000:
        raise ValueError(n)
    if n == 0:
        return DIGITS[0]
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    text = f"{DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    elif hundreds and ones:
        text += DIGITS[0]
    if ones:
        text += DIGITS[ones]
    return text
