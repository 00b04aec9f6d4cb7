"""The use cases: one function per Dashboard button, the only place joining core and doors.

Every action is read → compute → write back over a ``WorkbookPort``, so the Excel button, the
command line and the add-in run the same code and write the same cells. A use case never raises
for bad user data: problems come back as ``Issue`` values, are written to the Issues sheet, and
summarised in ``ActionResult.message`` (short, in the workbook's language).
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from credit_register import dashboard
from credit_register.issues import Issue, has_errors
from credit_register.outputs import output_frame
from credit_register.policy import Policy, policy_from_table
from credit_register.port import CellValue, Changes, RawSheet, Selection, WorkbookPort
from credit_register.reader import load
from credit_register.register import Register
from credit_register.schema import ISSUES, Language, sheet_for_name
from credit_register.validation import validate

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_FAILED = 2
EXIT_HOLD = 3


@dataclass
class ActionRequest:
    action: str
    customer_ids: list[str] = field(default_factory=list)
    amount: float | None = None
    currency: str | None = None
    as_of: dt.date | None = None
    reason: str | None = None
    user: str | None = None


@dataclass
class ActionResult:
    ok: bool
    message: str
    issues: list[Issue] = field(default_factory=list)
    exit_code: int = EXIT_OK
    documents: list[Path] = field(default_factory=list)
    #: the workbook's language, for printing the issues
    lang: Language = "zh"


@dataclass
class Loaded:
    """A register read through a port, with its policy and every issue found."""

    register: Register
    policy: Policy
    issues: list[Issue]

    @property
    def lang(self) -> Language:
        return self.register.lang


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account, a container)
        return "unknown"


def load_register(
    raw: dict[str, RawSheet], label: str, *, today: dt.date, as_of: dt.date | None = None
) -> Loaded:
    """Read, type and validate a register; every problem found is in ``issues``."""
    register = load(raw, label, today=today)
    if as_of is not None:
        register.as_of = as_of
    policy, policy_issues = policy_from_table(register.tables.get("policy"), label)
    register.base_currency = policy.base_currency
    rule_issues = validate(register, base_currency=policy.base_currency, today=today)
    return Loaded(register, policy, [*register.issues, *policy_issues, *rule_issues])


def issues_changes(loaded: Loaded) -> Changes:
    """The Issues sheet as the last validation run left it."""
    lang = loaded.lang
    frame = pd.DataFrame(
        {
            "place": [i.place for i in loaded.issues],
            "severity": [i.severity for i in loaded.issues],
            "message": [i.message(lang) for i in loaded.issues],
        }
    )
    return Changes(tables={ISSUES.key: output_frame(ISSUES, frame, lang)})


def summary(issues: list[Issue], lang: Language) -> str:
    errors = sum(i.severity == "error" for i in issues)
    warnings = len(issues) - errors
    if lang == "zh":
        return f"{errors} 个错误，{warnings} 个警告"
    return f"{errors} errors, {warnings} warnings"


def dashboard_outcome(loaded: Loaded, outcome: str, now: dt.datetime) -> dict[str, CellValue]:
    errors = sum(i.severity == "error" for i in loaded.issues)
    cells: dict[str, CellValue] = {
        dashboard.HEADLINE_BY_KEY["last_run"].cell: now.replace(microsecond=0),
        dashboard.HEADLINE_BY_KEY["outcome"].cell: outcome,
        dashboard.HEADLINE_BY_KEY["errors"].cell: errors,
        dashboard.HEADLINE_BY_KEY["warnings"].cell: len(loaded.issues) - errors,
    }
    return cells


# --------------------------------------------------------------------------- actions


def validate_action(request: ActionRequest, port: WorkbookPort, today: dt.date) -> ActionResult:
    """校验数据: every problem, located, on the Issues sheet. Writes nothing else."""
    loaded = load_register(port.read(), port.label, today=today, as_of=request.as_of)
    port.apply(issues_changes(loaded))
    failed = has_errors(loaded.issues)
    return ActionResult(
        ok=not failed,
        message=summary(loaded.issues, loaded.lang),
        issues=loaded.issues,
        exit_code=EXIT_ERRORS if failed else EXIT_OK,
        lang=loaded.lang,
    )


def run_action_all(request: ActionRequest, port: WorkbookPort, today: dt.date) -> ActionResult:
    """运行: validate, then every engine the project has, written back in one go.

    Rows with errors are left out of the engines and listed on the Issues sheet."""
    loaded = load_register(port.read(), port.label, today=today, as_of=request.as_of)
    changes = issues_changes(loaded)
    now = dt.datetime.now()
    outcome = summary(loaded.issues, loaded.lang)
    changes.merge(Changes(cells={"dashboard": dashboard_outcome(loaded, outcome, now)}))
    port.apply(changes)
    return ActionResult(ok=True, message=outcome, issues=loaded.issues, lang=loaded.lang)


def not_available(request: ActionRequest, port: WorkbookPort, today: dt.date) -> ActionResult:
    action = dashboard.ACTION_BY_KEY.get(request.action)
    caption = f"{action.zh} ({action.en})" if action else request.action
    return ActionResult(
        ok=False,
        message=f"{caption}：此功能尚未提供 (not available in this version yet)",
        exit_code=EXIT_FAILED,
    )


ACTION_HANDLERS = {
    "validate": validate_action,
    "run": run_action_all,
}


def run_action(
    request: ActionRequest, port: WorkbookPort, *, today: dt.date | None = None
) -> ActionResult:
    """Run the button's use case on ``port``."""
    handler = ACTION_HANDLERS.get(request.action, not_available)
    return handler(request, port, today or dt.date.today())


# --------------------------------------------------------------------------- the Dashboard


def _find_sheet(raw: dict[str, RawSheet], key: str) -> RawSheet | None:
    for name, sheet in raw.items():
        found = sheet_for_name(name)
        if found is not None and found.key == key:
            return sheet
    return None


def _cell_value(sheet: RawSheet | None, cell: str) -> object:
    if sheet is None:
        return None
    col = ord(cell[0]) - ord("A")
    row = int(cell[1:]) - 1
    if row < len(sheet.rows) and col < len(sheet.rows[row]):
        return sheet.rows[row][col]
    return None


def _as_id(value: object) -> str:
    """A customer id as typed: Excel hands a typed ``1001`` back as ``1001.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _selected_customers(raw: dict[str, RawSheet], selection: Selection | None) -> list[str]:
    """Customer ids on the selected rows of any sheet that has a customer-id column."""
    if selection is None or selection.sheet not in raw:
        return []
    sheet = raw[selection.sheet]
    schema_sheet = sheet_for_name(selection.sheet)
    if schema_sheet is None or not sheet.rows:
        return []
    matched = [schema_sheet.match_header(h) for h in sheet.rows[0]]
    position = next(
        (i for i, c in enumerate(matched) if c is not None and c.key == "customer_id"), None
    )
    if position is None:
        return []
    ids = []
    for row in selection.rows:
        if 2 <= row <= len(sheet.rows) and position < len(sheet.rows[row - 1]):
            value = sheet.rows[row - 1][position]
            if value not in (None, ""):
                ids.append(_as_id(value))
    return list(dict.fromkeys(ids))


def request_from_dashboard(
    raw: dict[str, RawSheet], action: str, selection: Selection | None
) -> ActionRequest:
    """The request a button press means: the selected customers (else the Dashboard's customer
    cell), the order typed on the Dashboard, and the as-of date cell."""
    board = _find_sheet(raw, "dashboard")
    customers = _selected_customers(raw, selection)
    typed = _cell_value(board, dashboard.CUSTOMER.cell)
    if not customers and typed not in (None, ""):
        customers = [_as_id(typed)]
    amount = _cell_value(board, dashboard.ORDER_AMOUNT.cell)
    currency = _cell_value(board, dashboard.ORDER_CURRENCY.cell)
    as_of = _cell_value(board, dashboard.AS_OF.cell)
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    return ActionRequest(
        action=action,
        customer_ids=customers,
        amount=float(amount)
        if isinstance(amount, int | float) and not isinstance(amount, bool)
        else None,
        currency=str(currency).strip().upper() if currency not in (None, "") else None,
        as_of=as_of if isinstance(as_of, dt.date) else None,
        user=current_user(),
    )
