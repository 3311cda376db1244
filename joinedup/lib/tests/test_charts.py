"""The shared bar chart: lengths in proportion to the scale, rows stacked without overlap."""

from __future__ import annotations

from decimal import Decimal

from joinedup.lib.charts import CHART_WIDTH, SERIES_COLOURS, bar_chart


def test_without_a_scale_the_largest_value_fills_the_width() -> None:
    chart = bar_chart([("A", [10, 5]), ("B", [20, 0])])
    assert [[bar.length for bar in row.bars] for row in chart.rows] == [
        [CHART_WIDTH // 2, CHART_WIDTH // 4],
        [CHART_WIDTH, 0],
    ]
    assert [bar.colour for bar in chart.rows[0].bars] == list(SERIES_COLOURS[:2])
    assert chart.rows[1].text_top > chart.rows[0].bars[-1].top


def test_a_percentage_chart_is_drawn_against_its_scale() -> None:
    chart = bar_chart([("Shares", [Decimal("25"), Decimal("50"), Decimal("100")])], scale=100)
    assert [bar.length for bar in chart.rows[0].bars] == [150, 300, 600]


def test_nothing_to_draw_gives_empty_bars_not_an_error() -> None:
    assert [bar.length for bar in bar_chart([("None yet", [0, 0])]).rows[0].bars] == [0, 0]
    assert bar_chart([]).rows == []
