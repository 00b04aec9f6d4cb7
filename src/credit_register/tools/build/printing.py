"""How every sheet prints: a credit team prints the register for the credit committee's file.

Landscape A4, one page wide (as many pages down as the rows need), the header row repeated on
every page, and a footer naming the sheet and the page (``Ratings — 2 / 5``). Page setup lives
outside the cell data, so the headless writer, which rewrites only the rows, keeps it.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from credit_register.core.schema import Sheet

#: XlsxWriter's paper code for A4
A4 = 9
#: sheet name on the left, "page / pages" on the right (Excel's header and footer codes)
FOOTER = "&L&A&R&P / &N"


def set_up_printing(ws: Worksheet, sheet: Sheet) -> None:
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)  # one page wide, as many down as needed
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer(FOOTER)
    if sheet.columns:  # a table: its header on every page
        ws.repeat_rows(0)
