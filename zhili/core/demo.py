"""What `zhili demo` prints: the loaders' progress lines, and at the end the demo logins, as a
table."""

import time
import unicodedata
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True)
class DemoLogins:
    password: str  # the one password of every demo login
    header: list[str]
    rows: list[list[str]]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def progress_line(stdout: TextIO, text: str, started: float) -> None:
    """A loader's step done: its text and the seconds since `started` (time.monotonic())."""
    stdout.write(f"{text} ... {time.monotonic() - started:.1f}s\n")
    if hasattr(stdout, "flush"):
        stdout.flush()
