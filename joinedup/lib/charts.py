"""Horizontal SVG bar charts for figures people compare, drawn by templates/includes/bar_chart.html
(no JavaScript). Every chart is shown with a table of the same figures, and each row's text says
its numbers, so colour never carries meaning alone."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

CHART_WIDTH = 600  # the longest bar, in SVG units
LABEL_HEIGHT = 22
BAR_HEIGHT = 18
BAR_GAP = 4
ROW_GAP = 14
# GOV.UK blue, orange and purple, one per series.
SERIES_COLOURS = ("#1d70b8", "#f47738", "#4c2c92")


@dataclass(frozen=True)
class Bar:
    top: int
    length: int
    colour: str


@dataclass(frozen=True)
class ChartRow:
    text: str
    text_top: int
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    rows: list[ChartRow]
    height: int


def bar_chart(
    rows: list[tuple[str, list[int | Decimal]]], scale: int | Decimal | None = None
) -> Chart:
    """One bar per series in each row (at most three series); `scale` is the value drawn at the
    full width (the largest value when None, so a percentage chart passes 100)."""
    if scale is None:
        scale = max((value for _, values in rows for value in values), default=0)
    chart_rows, top = [], 0
    for text, values in rows:
        bars, bar_top = [], top + LABEL_HEIGHT
        for series, value in enumerate(values):
            length = int(value * CHART_WIDTH / scale) if scale else 0
            bars.append(Bar(top=bar_top, length=length, colour=SERIES_COLOURS[series]))
            bar_top += BAR_HEIGHT + BAR_GAP
        chart_rows.append(ChartRow(text=text, text_top=top + LABEL_HEIGHT - 6, bars=bars))
        top = bar_top + ROW_GAP
    return Chart(rows=chart_rows, height=max(top, 1))
