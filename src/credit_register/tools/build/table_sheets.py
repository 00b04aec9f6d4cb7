"""One table sheet of the built workbook: headers, column formats, drop-downs and highlights.

- **Drop-downs** on every ``code`` and ``bool`` column a *person* types (input sheets, the Alerts
  user columns), in the workbook's language, error style "warning": a user may still paste the
  other language's label or the code key, which the reader accepts.
- **Highlights** (conditional formats) on the output sheets live outside the cell data, so the
  engine's rewrite of the rows keeps them.
- **Buttons where the selection is.** Customers and Ratings carry the buttons that act on
  selected customers (``core.dashboard.buttons_on``) in a row above the header labels: the header
  row is frozen, so the buttons stay in view while the user scrolls down to pick customers, and
  the header labels sit at the bottom of the taller row, under the buttons.
- **Row by row.** XlsxWriter runs in ``constant_memory`` mode, which needs rows in order: the
  values are prepared per column (:func:`.values.cell_values`) and written a row at a time.
"""

from __future__ import annotations

import pandas as pd
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from credit_register.core import dashboard
from credit_register.core.cells import column_letter
from credit_register.core.schema import AGEING as AGEING_SHEET
from credit_register.core.schema import (
    ALERTS,
    CUSTOMERS,
    ISSUES,
    RATINGS,
    Column,
    Language,
    Sheet,
)
from credit_register.core.text import pick
from credit_register.engines.alerts import FIGURE_FORMATS, INDICATORS
from credit_register.tools.build.formats import Styles
from credit_register.tools.build.values import (
    BOOL_LABELS,
    cell_values,
    column_fmt,
    column_width,
    display_width,
)
from credit_register.tools.build.vba import button_macro

#: drop-downs and conditional formats reach this far below the header, or to the data's end
VALIDATION_LAST_ROW = 10_000
HIGHLIGHT_LAST_ROW = 20_000
#: a header row with buttons: a row of buttons (22 pt) above two lines of labels
BUTTON_ROW_HEIGHT = 50
BUTTON_HEIGHT_PX = 26
#: long text a reader must see whole (a knock-out reason, the security asked for): wrapped, so
#: the row grows instead of the text being cut at the next column
WRAPPED = {
    RATINGS.key: ("knock_out", "security", "drivers", "data_gaps"),
    ALERTS.key: ("recommended_action", "comment"),
}
#: a limit whose validity ends within this many days of the rating's as-of date is highlighted
LIMIT_EXPIRY_NOTICE_DAYS = 30


def write_table_sheet(
    ws: Worksheet, styles: Styles, sheet: Sheet, lang: Language, frame: pd.DataFrame | None
) -> None:
    """Headers, column formats and widths, a frozen header row, the auto-filter, drop-downs and
    highlights, then the rows of ``frame``, if any."""
    n_rows = 0 if frame is None else len(frame)
    last_col = len(sheet.columns) - 1
    wrapped = WRAPPED.get(sheet.key, ())
    for index, column in enumerate(sheet.columns):
        look = styles.wrap_top if column.key in wrapped else styles.number(column_fmt(column))
        ws.set_column(index, index, column_width(column, lang), look)
    _add_buttons(ws, sheet, lang)
    for index, column in enumerate(sheet.columns):
        header_style = styles.user_header if column.role == "user" else styles.header
        ws.write_string(0, index, column.header(lang), header_style)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(n_rows, 1), last_col)

    _add_drop_downs(ws, sheet, lang, n_rows)
    _add_highlights(ws, styles, sheet, lang, n_rows)

    if frame is None or n_rows == 0:
        return
    columns = [cell_values(frame, column, lang) for column in sheet.columns]
    # constant-memory mode writes a row at a time, in order; the values are prepared per column
    for row_number, row in enumerate(zip(*columns, strict=True), start=1):
        ws.write_row(row_number, 0, row)


def _add_buttons(ws: Worksheet, sheet: Sheet, lang: Language) -> None:
    """The sheet's buttons side by side over the header row, each as wide as its caption."""
    actions = dashboard.buttons_on(sheet.key)
    if not actions:
        return
    ws.set_row(0, BUTTON_ROW_HEIGHT)  # before the row is written (constant-memory mode)
    left = 4
    for action in actions:
        caption = action.caption(lang)
        width = 7 * display_width(caption) + 24
        ws.insert_button(
            0,
            0,
            {
                "macro": button_macro(action.key),
                "caption": caption,
                "description": action.alt_text,
                "width": width,
                "height": BUTTON_HEIGHT_PX,
                "x_offset": left,
                "y_offset": 3,
            },
        )
        left += width + 6


def _add_drop_downs(ws: Worksheet, sheet: Sheet, lang: Language, n_rows: int) -> None:
    last_row = max(VALIDATION_LAST_ROW, n_rows + 1) - 1
    for index, column in enumerate(sheet.columns):
        if column.role not in ("input", "engine", "user"):
            continue
        labels = _choices(column, lang)
        if not labels:
            continue
        ws.data_validation(
            1,
            index,
            last_row,
            index,
            {
                "validate": "list",
                "source": labels,
                "error_type": "warning",
                "input_title": column.header(lang)[:32],
                "input_message": pick(lang, "请从列表中选择：", "Choose from the list: ")
                + " / ".join(labels),
                "error_title": column.header(lang)[:32],
                "error_message": (
                    "不在列表中；仍可保留（校验时会检查）。"
                    if lang == "zh"
                    else "Not in the list; you may keep it (Validate checks it)."
                ),
            },
        )


def _choices(column: Column, lang: Language) -> list[str]:
    if column.type == "bool":
        return list(BOOL_LABELS[lang])
    if column.type == "code":
        return [code.label(lang) for code in column.codes]
    return []


def _add_highlights(
    ws: Worksheet, styles: Styles, sheet: Sheet, lang: Language, n_rows: int
) -> None:
    """Conditional formats on the output sheets; they live outside the cell data, so the engine's
    rewrite of the rows keeps them."""
    last_row = max(HIGHLIGHT_LAST_ROW, n_rows + 1) - 1

    def highlight(key: str, criteria: str, value: object, style: Format) -> None:
        index = [c.key for c in sheet.columns].index(key)
        ws.conditional_format(
            1,
            index,
            last_row,
            index,
            {"type": "cell", "criteria": criteria, "value": value, "format": style},
        )

    if sheet.key == AGEING_SHEET.key:
        for key, style in (
            ("d1_30", styles.yellow),
            ("d31_60", styles.yellow),
            ("d61_90", styles.amber),
            ("d91_180", styles.amber),
            ("d181_365", styles.red),
            ("over_365", styles.red),
        ):
            highlight(key, ">", 0, style)
        highlight("overdue_pct", ">", 0.2, styles.red)
    elif sheet.key == ALERTS.key:
        severity = ALERTS.column("severity")
        for code_key, style in (("block", styles.red), ("warning", styles.amber)):
            label = next(c.label(lang) for c in severity.codes if c.key == code_key)
            highlight("severity", "==", f'"{label}"', style)
        _add_figure_formats(ws, styles, lang, last_row)
    elif sheet.key == RATINGS.key:
        highlight("grade", "==", '"C"', styles.red)
        highlight("utilization", ">", 1, styles.red)  # more used than approved
        for key, test, style in _ratings_date_rules(lang, styles):
            index = [c.key for c in sheet.columns].index(key)
            ws.conditional_format(
                1, index, last_row, index, {"type": "formula", "criteria": test, "format": style}
            )
    elif sheet.key == ISSUES.key:
        error = next(c.label(lang) for c in ISSUES.column("severity").codes if c.key == "error")
        highlight("severity", "==", f'"{error}"', styles.red)


def _ratings_date_rules(lang: Language, styles: Styles) -> list[tuple[str, str, Format]]:
    """On Ratings: the approved limit red once the customer's ``limit_valid_until`` (Customers
    sheet) has passed at the rating's as-of date, amber within the notice period; the next
    review date amber once passed. Formulas for row 2; Excel shifts them down the column."""

    def cell(sheet: Sheet, key: str) -> str:
        return column_letter([c.key for c in sheet.columns].index(key))

    as_of, limit, review = (cell(RATINGS, k) for k in ("as_of", "approved_limit", "next_review"))
    customers = f"'{CUSTOMERS.name(lang)}'!"
    ids, until = cell(CUSTOMERS, "customer_id"), cell(CUSTOMERS, "limit_valid_until")
    rating_id = cell(RATINGS, "customer_id")
    valid = f"INDEX({customers}${until}:${until},MATCH(${rating_id}2,{customers}${ids}:${ids},0))"
    has = f'${limit}2<>"",${as_of}2<>"",ISNUMBER({valid})'
    return [
        ("approved_limit", f"=AND({has},{valid}<${as_of}2)", styles.red),
        (
            "approved_limit",
            f"=AND({has},{valid}>=${as_of}2,{valid}<=${as_of}2+{LIMIT_EXPIRY_NOTICE_DAYS})",
            styles.amber,
        ),
        ("next_review", f'=AND(${review}2<>"",${as_of}2<>"",${review}2<${as_of}2)', styles.amber),
    ]


def _add_figure_formats(ws: Worksheet, styles: Styles, lang: Language, last_row: int) -> None:
    """Alerts' value and threshold are numbers whose meaning depends on the row's indicator: a
    share shows as a percentage, money with thousands separators, days as they are. A number
    format per row is a conditional format keyed on the indicator's label."""
    keys = [c.key for c in ALERTS.columns]
    indicator = column_letter(keys.index("indicator"))
    first, last = keys.index("value"), keys.index("threshold")
    for kind in ("pct", "amount"):
        labels = [INDICATORS[k].label(lang) for k, f in FIGURE_FORMATS.items() if f == kind]
        test = ",".join(f'${indicator}2="{label}"' for label in labels)
        ws.conditional_format(
            1,
            first,
            last_row,
            last,
            {"type": "formula", "criteria": f"=OR({test})", "format": styles.figure(kind)},
        )
