"""What a search box may type for a Chinese name: its pinyin initials and its full pinyin
(白塔埠镇 -> "btbz baitabuzhen"), from pypinyin's own dictionary (no download)."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=8192)
def pinyin_keys(text: str) -> str:
    """The initials and the full pinyin of `text`'s Chinese characters, lowercase; other
    characters are left out."""
    han = "".join(c for c in text if "\u3400" <= c <= "\u9fff")
    if not han:
        return ""
    initials = "".join(lazy_pinyin(han, style=Style.FIRST_LETTER))
    return f"{initials} {''.join(lazy_pinyin(han))}".lower()
