"""The figures behind the Dashboard's charts, written on every run.

The Dashboard carries native Excel charts (grades, ageing buckets, exposure by grade, the ten
largest exposures) bound to small blocks of cells (``core.dashboard.CHART_BLOCKS``; the grade
chart reads the headline counts). The engine writes those cells like any other Dashboard figure,
so the charts redraw in Excel itself, whichever door ran, with no picture to replace.
"""

from __future__ import annotations

import pandas as pd

from credit_register.core import dashboard
from credit_register.core.port import CellValue
from credit_register.core.schema import GRADES
from credit_register.engines.results import Results


def chart_cells(results: Results) -> dict[str, CellValue]:
    """Exposure by grade, the ageing buckets summed over customers, the ten largest exposures
    (names and amounts; blanks below when fewer customers), all in the base currency."""
    cells: dict[str, CellValue] = {}
    ratings = results.ratings
    if ratings.empty:
        ratings = pd.DataFrame({"grade": [], "exposure": [], "name": [], "customer_id": []})
    exposure = pd.to_numeric(ratings["exposure"], errors="coerce")
    by_grade = exposure.groupby(ratings["grade"]).sum()
    block = dashboard.EXPOSURE_BY_GRADE
    for index, grade in enumerate(GRADES):
        cells[block.figure_cell(index)] = round(float(by_grade.get(grade, 0.0)), 2)

    block = dashboard.AGEING_TOTALS
    for index, key in enumerate(dashboard.AGEING_BUCKETS):
        column = results.ageing.get(key)
        total = 0.0 if column is None else float(pd.to_numeric(column, errors="coerce").sum())
        cells[block.figure_cell(index)] = round(total, 2)

    block = dashboard.LARGEST
    largest = ratings.assign(_exposure=exposure).dropna(subset=["_exposure"])
    largest = largest.sort_values(["_exposure", "customer_id"], ascending=[False, True])
    top = largest.head(block.rows)
    names = top["name"].where(top["name"].notna(), top["customer_id"]).astype(str).tolist()
    amounts = [round(float(v), 2) for v in top["_exposure"]]
    for index in range(block.rows):
        cells[block.label_cell(index)] = names[index] if index < len(names) else None
        cells[block.figure_cell(index)] = amounts[index] if index < len(amounts) else None
    return cells
