"""Charts of a report, drawn on the server with matplotlib (the Agg backend: no display) as PNG,
kept in the report's snapshot and embedded both in the page and in the Word file.

A chart is data first (`Chart`: its kind, labels and series, all taken from a table of the
same section, so the picture cannot say what the table does not); `png` draws it. Chinese
labels need a CJK font: the first Noto Sans CJK (or any font for Chinese) fontconfig lists is
registered with matplotlib; without one the chart is still drawn, its labels in the default
font (boxes for Chinese), and the log says so once.
"""

import base64
import functools
import logging
import shutil
import subprocess
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

log = logging.getLogger(__name__)

ChartKind = Literal["bar", "barh", "line"]
PREFERRED = ("Noto Sans CJK SC", "Noto Sans CJK", "Source Han Sans", "WenQuanYi", "Droid Sans")
FALLBACK_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts"))
COLORS = ("#c00000", "#1f6fb2", "#8c8c8c", "#e08a00")
DPI = 96


@dataclass(frozen=True)
class Chart:
    title: str
    kind: ChartKind
    labels: list[str]
    # series name -> one value per label
    series: dict[str, list[float]] = field(default_factory=dict)
    unit: str = "件"


def _listed_fonts() -> list[tuple[str, str]]:
    """(file, family) of the fonts fontconfig knows for Chinese."""
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file", "family"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = []
    for line in out.splitlines():
        path, _, family = line.partition(":")
        fonts.append((path.strip(), family.strip()))
    return fonts


def _font_file() -> str | None:
    fonts = sorted(_listed_fonts(), key=lambda font: "Bold" in font[0])  # regular weights first
    for wanted in PREFERRED:
        for path, family in fonts:
            if wanted in family:
                return path
    if fonts:
        return fonts[0][0]
    for folder in FALLBACK_DIRS:
        found = sorted(folder.glob("**/NotoSansCJK-Regular.tt[cf]")) if folder.is_dir() else []
        if found:
            return str(found[0])
    return None


@functools.cache
def cjk_family() -> str | None:
    """Register a font for Chinese with matplotlib, once per process; its family name, or
    None when the machine has none."""
    path = _font_file()
    if path is None:
        log.warning("no CJK font found: chart labels will not show Chinese")
        return None
    try:
        font_manager.fontManager.addfont(path)
        return str(font_manager.FontProperties(fname=path).get_name())
    except (OSError, RuntimeError, ValueError):
        log.warning("the CJK font %s could not be loaded", path)
        return None


def _draw(ax: Any, chart: Chart) -> None:
    positions = list(range(len(chart.labels)))
    count = max(len(chart.series), 1)
    width = 0.8 / count
    for index, (name, values) in enumerate(chart.series.items()):
        color = COLORS[index % len(COLORS)]
        if chart.kind == "line":
            ax.plot(positions, values, marker="o", label=name, color=color)
            continue
        offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
        bar = ax.barh if chart.kind == "barh" else ax.bar
        bar(offsets, values, width, label=name, color=color)
    ticks = ax.set_yticks if chart.kind == "barh" else ax.set_xticks
    ticks(positions, chart.labels)
    if chart.unit == "件":  # counts: whole numbers on the value axis
        values = ax.xaxis if chart.kind == "barh" else ax.yaxis
        values.set_major_locator(MaxNLocator(integer=True))
    if chart.kind == "barh":
        ax.invert_yaxis()  # the first row of the table on top
    elif max((len(label) for label in chart.labels), default=0) * len(chart.labels) > 40:
        ax.tick_params(axis="x", labelrotation=40)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")


def png(chart: Chart) -> bytes:
    family = cjk_family()
    style: dict[str, Any] = {"axes.unicode_minus": False, "font.size": 9}
    if family:
        style["font.family"] = [family, "sans-serif"]
    height = 3.2 if chart.kind != "barh" else max(2.6, 0.26 * len(chart.labels) + 1.0)
    with plt.rc_context(style):  # type: ignore[arg-type]
        # A bare Figure (no pyplot window manager) and fixed margins (tight_layout measures
        # every label twice): a third of the time per chart.
        fig = Figure(figsize=(7.2, height), dpi=DPI)
        ax = fig.add_subplot()
        _draw(ax, chart)
        ax.set_title(chart.title, fontsize=11)
        ax.grid(axis="x" if chart.kind == "barh" else "y", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
        if len(chart.series) > 1:
            ax.legend(frameon=False)
        fig.subplots_adjust(**_margins(chart, height))
        out = BytesIO()
        fig.savefig(out, format="png", pil_kwargs={"compress_level": 3})
    return out.getvalue()


def _margins(chart: Chart, height: float) -> dict[str, float]:
    """Room for the labels, in fractions of the figure: the longest category name on the left
    of a horizontal bar chart, the slanted names under a vertical one."""
    longest = max((len(label) for label in chart.labels), default=0)
    left, bottom = 0.08, 0.12
    if chart.kind == "barh":
        left = min(0.45, 0.04 + 0.017 * longest)
        bottom = 0.35 / height
    elif longest * len(chart.labels) > 40:
        bottom = min(0.5, (0.25 + 0.075 * longest) / height)
    return {"left": left, "right": 0.97, "bottom": bottom, "top": 1 - 0.35 / height}


def chart_content(key: str, chart: Chart) -> dict[str, Any]:
    """The chart as the report's snapshot keeps it: its data and its picture (base64 PNG)."""
    return {
        "key": key,
        "title": chart.title,
        "kind": chart.kind,
        "labels": chart.labels,
        "series": chart.series,
        "png": base64.b64encode(png(chart)).decode(),
    }
