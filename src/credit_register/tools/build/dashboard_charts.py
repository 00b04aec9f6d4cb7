"""The Dashboard's native Excel charts and the small blocks of cells they are bound to.

Four charts a credit committee looks at first: customers by grade, the ageing buckets, exposure
by grade, the ten largest exposures. Each is an Excel chart (XlsxWriter) whose series point at
Dashboard cells: the grade counts of the headlines, and the blocks of
``core.dashboard.CHART_BLOCKS`` that the engine fills on every run (``app.dashboard_charts``).
So the charts redraw in Excel itself after every run, through any door; the headless writer
only rewrites cells and leaves the chart parts as they are.
"""

from __future__ import annotations

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from credit_register.core import dashboard
from credit_register.core.cells import split_ref
from credit_register.core.schema import AGEING, GRADES, Language
from credit_register.tools.build.formats import Styles

#: where the charts stand: right of the chart data, two by two (0-based row, column)
_PLACES = ((2, 9), (2, 17), (19, 9), (19, 17))
_SIZE = {"x_scale": 1.0, "y_scale": 1.1}
_NAVY = "#1F3864"
#: the grade chart reads the headline counts (C20:C26), so its title is not a block's
_GRADE_COUNTS = {"zh": "客户等级分布", "en": "Customers by grade"}


def chart_block_cells(
    styles: Styles, lang: Language
) -> dict[tuple[int, int], tuple[object, Format | None]]:
    """The blocks' titles and fixed labels (grades, ageing buckets), by 0-based (row, column);
    the figures' cells get the amount format and stay blank until the first run."""
    cells: dict[tuple[int, int], tuple[object, Format | None]] = {}

    def put(address: str, value: object, style: Format | None) -> None:
        col, row = split_ref(address)
        cells[(row - 1, col)] = (value, style)

    fixed = {
        dashboard.EXPOSURE_BY_GRADE.key: list(GRADES),
        dashboard.AGEING_TOTALS.key: [
            AGEING.column(key).header(lang) for key in dashboard.AGEING_BUCKETS
        ],
    }
    for block in dashboard.CHART_BLOCKS:
        put(f"{dashboard.CHART_LABEL_COLUMN}{block.first_row}", block.title(lang), styles.bold)
        labels = fixed.get(block.key, [None] * block.rows)
        for index, label in enumerate(labels):
            put(block.label_cell(index), label, None)
            put(block.figure_cell(index), None, styles.number("amount"))
    return cells


def add_charts(book: Workbook, ws: Worksheet, lang: Language) -> None:
    """The four charts, bound to the Dashboard's own cells."""
    sheet = ws.get_name()

    def span(first: str, count: int) -> list[object]:
        col, row = split_ref(first)
        return [sheet, row - 1, col, row - 2 + count, col]

    grades = dashboard.EXPOSURE_BY_GRADE
    counts = dashboard.HEADLINE_BY_KEY["grade_AAA"].cell
    ageing, largest = dashboard.AGEING_TOTALS, dashboard.LARGEST
    charts = [
        (
            "column",
            _GRADE_COUNTS[lang],
            span(grades.label_cell(0), len(GRADES)),
            span(counts, len(GRADES)),
        ),
        (
            "column",
            ageing.title(lang),
            span(ageing.label_cell(0), ageing.rows),
            span(ageing.figure_cell(0), ageing.rows),
        ),
        (
            "column",
            grades.title(lang),
            span(grades.label_cell(0), grades.rows),
            span(grades.figure_cell(0), grades.rows),
        ),
        (
            "bar",
            largest.title(lang),
            span(largest.label_cell(0), largest.rows),
            span(largest.figure_cell(0), largest.rows),
        ),
    ]
    for (kind, title, categories, values), (row, col) in zip(charts, _PLACES, strict=True):
        chart = book.add_chart({"type": kind})
        chart.add_series(
            {
                "name": title,
                "categories": categories,
                "values": values,
                "fill": {"color": _NAVY},
                "data_labels": {"value": True, "num_format": "#,##0"},
            }
        )
        chart.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
        chart.set_legend({"none": True})
        if kind == "bar":  # the largest at the top
            chart.set_y_axis({"reverse": True})
        chart.set_x_axis({"num_font": {"size": 8}})
        ws.insert_chart(row, col, chart, _SIZE)
