"""The built workbook's look: number formats, header and highlight colours, made once per book.

**Formats as column formats.** Each column's number format is set with ``set_column``: Excel
gives a cell the user types the column's style, and so does the headless writer when it adds
rows. XlsxWriter also stamps the column's style on every written cell, so data cells carry it.
"""

from __future__ import annotations

from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

NUMBER_FORMATS: dict[str, str] = {
    "amount": "#,##0.00",
    "pct": "0.0%",
    "pct2": "0.00%",
    "int": "0",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "score": "0.0",
    "ratio": "0.00",
    "rate": "0.0000",
    "number": "0.00",
}

HEADER_FILL = "#DDEBF7"
USER_HEADER_FILL = "#FCE4D6"
INPUT_CELL_FILL = "#FFF2CC"
RED_FILL, RED_FONT = "#FFC7CE", "#9C0006"
AMBER_FILL, AMBER_FONT = "#FFEB9C", "#9C5700"
YELLOW_FILL = "#FFF9E5"
BLUE_FILL, BLUE_FONT = "#DDEBF7", "#1F3864"


class Styles:
    """The workbook's formats, made once (XlsxWriter formats belong to one workbook)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.header = book.add_format(
            {
                "bold": True,
                "bg_color": HEADER_FILL,
                "border": 1,
                "text_wrap": True,
                # at the bottom: a sheet with buttons has them in the top of its header row
                "valign": "bottom",
            }
        )
        self.user_header = book.add_format(
            {
                "bold": True,
                "bg_color": USER_HEADER_FILL,
                "border": 1,
                "text_wrap": True,
                "valign": "bottom",
            }
        )
        self.title = book.add_format({"bold": True, "font_size": 16})
        self.bold = book.add_format({"bold": True})
        self.label = book.add_format({"bold": True, "align": "right"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.red = book.add_format({"bg_color": RED_FILL, "font_color": RED_FONT})
        self.amber = book.add_format({"bg_color": AMBER_FILL, "font_color": AMBER_FONT})
        self.yellow = book.add_format({"bg_color": YELLOW_FILL})
        self.wrap_top = book.add_format({"text_wrap": True, "valign": "top"})
        #: the Dashboard's alert counts, coloured by severity as the Alerts sheet is
        self._severity = {
            level: book.add_format(
                {"bold": True, "bg_color": fill, "font_color": font, "border": 1, "num_format": "0"}
            )
            for level, fill, font in (
                ("info", BLUE_FILL, BLUE_FONT),
                ("warning", AMBER_FILL, AMBER_FONT),
                ("block", RED_FILL, RED_FONT),
            )
        }
        self._numbers: dict[str, Format] = {}
        self._inputs: dict[str | None, Format] = {}

    def number(self, fmt: str | None) -> Format | None:
        if fmt is None or fmt not in NUMBER_FORMATS:
            return None
        if fmt not in self._numbers:
            self._numbers[fmt] = self.book.add_format({"num_format": NUMBER_FORMATS[fmt]})
        return self._numbers[fmt]

    def figure(self, fmt: str) -> Format:
        """A number format alone, for a conditional format (the cell keeps its look)."""
        return self.book.add_format({"num_format": NUMBER_FORMATS[fmt]})

    def severity(self, level: str) -> Format:
        return self._severity[level]

    def user_input(self, fmt: str | None) -> Format:
        """A Dashboard cell the user fills: shaded and boxed, with its number format."""
        if fmt not in self._inputs:
            props: dict[str, Any] = {"bg_color": INPUT_CELL_FILL, "border": 1}
            if fmt in NUMBER_FORMATS:
                props["num_format"] = NUMBER_FORMATS[fmt]
            self._inputs[fmt] = self.book.add_format(props)
        return self._inputs[fmt]
