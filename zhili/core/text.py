"""Invisible characters in what people type: bidi controls and other format characters.

A right-to-left override (U+202E) makes "txt.exe" read "exe.txt" and a list of names read
backwards; zero-width spaces and joiners make "张三" and "张\u200b三" two people to the
duplicate check and the search. None belongs in a case, a name or a title, so every input is
cleaned here, once: the API's schemas (zhili.core.schemas.Input), the intake service behind
every channel (API, push, Open311, the phone, the pages, imports) and the forms.

- `clean_line` (titles and names): every format character (Unicode category Cf) removed.
- `clean_text` (free text): the same, except the zero-width joiner (U+200D) that emoji
  sequences such as 👨‍👩‍👧 are made of.
"""

import re
import unicodedata

ZERO_WIDTH_JOINER = "\u200d"


def _format_characters() -> str:
    # Planes 0-1 and the tags block of plane 14 hold every Cf character (Unicode 15).
    planes = (range(0x20000), range(0xE0000, 0xE1000))
    return "".join(chr(c) for r in planes for c in r if unicodedata.category(chr(c)) == "Cf")


_FORMAT = _format_characters()
_LINE = re.compile("[" + re.escape(_FORMAT) + "]")
_TEXT = re.compile("[" + re.escape(_FORMAT.replace(ZERO_WIDTH_JOINER, "")) + "]")
# Bidi controls (embedding, override, isolate, marks): always removed, being the dangerous ones.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def clean_line(value: str) -> str:
    """A title or a name without invisible format characters."""
    return _LINE.sub("", value)


def clean_text(value: str) -> str:
    """Free text without bidi controls and invisible format characters (emoji joiners kept)."""
    return _TEXT.sub("", value)


def is_line_field(name: str) -> bool:
    """Whether an input named `name` is a title or a name (cleaned with `clean_line`)."""
    return name in ("title", "name") or name.endswith(("_name", "_title"))
