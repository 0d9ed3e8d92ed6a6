"""Checks the print-view tests share: a printed page holds every word of its Word file."""

import html
import re
from io import BytesIO

from docx import Document

_TAG = re.compile(r"<[^>]+>")


def page_text(page: str) -> str:
    """The visible text of an HTML page, entities decoded, whitespace runs made one space."""
    body = page.split("<body", 1)[-1]
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", body)))


def docx_lines(content: bytes) -> list[str]:
    """Every non-empty paragraph and table cell of a Word file, in order."""
    document = Document(BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [line.strip() for line in lines if line.strip()]


def assert_same_words(printed: str, docx: bytes) -> None:
    """Each line of the Word file appears, as written, on the printed page."""
    text = page_text(printed)
    lines = docx_lines(docx)
    assert lines, "the Word file is empty"
    missing = [line for line in lines if re.sub(r"\s+", " ", line) not in text]
    assert not missing, missing
