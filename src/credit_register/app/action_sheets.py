"""Which sheets each action reads in full: what the Excel door fetches over COM for a click.

Reading the workbook through Excel is the slow part of a button (every value crosses to another
process), and History, Issues and Ageing only grow. So each action names the sheets whose rows it
uses; the Excel door reads those whole and every other register sheet by its header row (the
language of the workbook and the column order of History, where rows are appended, come from the
headers). Every action validates the register first, so every action reads every input sheet and
the Dashboard. An action not listed here (one a later version adds) reads everything.

``tests/test_excel_big.py`` runs the actions through a door that reads only these sheets and
through one that reads everything, and compares what they write: a sheet missing here fails it.
"""

from __future__ import annotations

from credit_register.core.schema import (
    AGEING,
    ALERTS,
    DASHBOARD,
    HISTORY,
    IMPORT_MAPPINGS,
    INPUT_SHEETS,
    OPEN_ITEMS,
    RATINGS,
)
from credit_register.importing.layout import KINDS as IMPORT_KINDS

#: what every action reads: it validates the register and reads the Dashboard's cells
_REGISTER = frozenset({DASHBOARD.key, *(sheet.key for sheet in INPUT_SHEETS)})
#: last run's ratings and alerts: the changes History records, the statuses and comments a user
#: wrote on Alerts (and any column a user added to an output sheet) carried over
_PREVIOUS = frozenset({RATINGS.key, ALERTS.key})

SHEETS_READ: dict[str, frozenset[str]] = {
    "validate": _REGISTER,
    # a column a user added to Ageing (by customer) or to Open items (by invoice) is carried over,
    # as on Ratings and Alerts, and so are an excluded customer's rows on both
    "run": _REGISTER | _PREVIOUS | {AGEING.key, OPEN_ITEMS.key},
    "rate": _REGISTER | _PREVIOUS,
    "approve": _REGISTER | {RATINGS.key},
    "check_order": _REGISTER,
    "calibrate": _REGISTER,
    # documents: last month's grades and the sent review packs are on History
    "contract": _REGISTER | _PREVIOUS | {HISTORY.key},
    "report": _REGISTER | _PREVIOUS | {HISTORY.key},
    "letters": _REGISTER | _PREVIOUS | {HISTORY.key},
    "review": _REGISTER | _PREVIOUS | {HISTORY.key},
    # the sheets an export can be imported into, the saved mappings, and History's column order
    "import": frozenset(
        {DASHBOARD.key, IMPORT_MAPPINGS.key, HISTORY.key, *(kind for kind in IMPORT_KINDS)}
    ),
}


def sheets_read(action: str) -> frozenset[str] | None:
    """The schema keys of the sheets ``action`` reads in full; ``None``: every sheet.

    >>> sorted(sheets_read("approve") - sheets_read("validate"))
    ['ratings']
    >>> sheets_read("some_later_action") is None
    True
    """
    return SHEETS_READ.get(action)
