"""The use cases: one function per Dashboard button, the only place joining core and doors.

Every action is read → compute → write back over a ``WorkbookPort``, so the Excel button, the
command line and the add-in run the same code and write the same cells. A use case never raises
for bad user data: problems come back as ``Issue`` values, are written to the Issues sheet, and
summarised in ``ActionResult.message`` (short, in the workbook's language).
"""

from __future__ import annotations

import datetime as dt
import getpass
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from credit_register.app.outputs import output_frame
from credit_register.core import dashboard
from credit_register.core.issues import Issue, has_errors
from credit_register.core.port import CellValue, Changes, RawSheet, Selection, WorkbookPort
from credit_register.core.reader import load
from credit_register.core.register import Register
from credit_register.core.schema import (
    AGEING,
    ALERTS,
    CALIBRATION,
    CUSTOMERS,
    GRADES,
    HISTORY,
    ISSUES,
    POLICY,
    RATINGS,
    SHEETS,
    Language,
    Sheet,
    sheet_for_name,
)
from credit_register.engines import rating, receivables
from credit_register.engines.alerts import raise_alerts
from credit_register.engines.order_check import OrderDecision, check_order, override_history
from credit_register.engines.results import Results
from credit_register.policy import Policy, policy_from_table
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
    #: approve: the limit to approve (the customer's currency); None = the proposed limit
    limit: float | None = None
    #: check_order: release a held order (needs ``reason``)
    override: bool = False
    #: calibrate: replace the live Policy with the fitted one
    apply: bool = False
    #: documents: where to write them (default: ``documents`` beside the workbook)
    out_dir: Path | None = None
    #: documents: also convert to PDF through LibreOffice
    pdf: bool = False
    #: review: the month of the pack, ``YYYY-MM`` (default: the as-of date's month)
    month: str | None = None
    #: review: send by SMTP (else .eml files in the outbox); ``force``: send a month again
    send: bool = False
    force: bool = False
    #: contract: the agreed late-payment penalty per day (0.0005 = 0.05 %); None = the Policy's
    penalty_daily: float | None = None


@dataclass
class ActionResult:
    ok: bool
    message: str
    issues: list[Issue] = field(default_factory=list)
    exit_code: int = EXIT_OK
    documents: list[Path] = field(default_factory=list)
    #: the workbook's language, for printing the issues
    lang: Language = "zh"
    #: the order check's answer, for the command line
    decision: OrderDecision | None = None


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
    rule_issues = validate(
        register,
        base_currency=policy.base_currency,
        today=today,
        stale_months=policy.staleness.statement_months,
    )
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


# --------------------------------------------------------------------------- the engines


def compute(loaded: Loaded, now: dt.datetime | None = None) -> Results:
    """Every engine over the valid rows: receivables, rating, alerts (in that order, since
    rating uses exposure and the alerts use the grades)."""
    register, policy = loaded.register, loaded.policy
    as_of = register.as_of
    items = receivables.open_items(register, policy, as_of)
    exposure = receivables.exposure_by_customer(register, policy, as_of, items)
    aged = receivables.ageing(register, policy, as_of, items)
    previous_ratings = _previous_frame(register, RATINGS)
    ratings = rating.rate(
        register,
        policy,
        as_of=as_of,
        items=items,
        exposure=exposure["exposure_base"],
        previous=previous_ratings,
    )
    alerts, alert_history = raise_alerts(
        register,
        policy,
        as_of,
        items,
        exposure,
        ratings,
        _previous_frame(register, ALERTS),
        aged=aged,
        when=now,
    )
    when = now or dt.datetime.now()
    history = rating.rating_history(
        previous_ratings, ratings, when=when, user=current_user(), lang=register.lang
    )
    return Results(
        register=register,
        policy=policy,
        as_of=as_of,
        issues=loaded.issues,
        items=items,
        exposure=exposure,
        ageing=aged,
        ratings=ratings,
        alerts=alerts,
        rating_history=history,
        alert_history=alert_history,
    )


def aligned(changes: Changes, register: Register) -> Changes:
    """Appended rows come in schema column order; a user may have reordered (or added) the
    columns of that sheet, so each value goes under its own header."""
    for key, rows in changes.append.items():
        table = register.tables.get(key)
        if table is None or not table.positions or not rows:
            continue
        keys = [c.key for c in SHEETS[key].columns]
        if all(table.positions.get(k) == i for i, k in enumerate(keys)):
            continue
        width = max(table.positions.values()) + 1
        moved = []
        for row in rows:  # History rows or letters: a handful per run
            out: list[CellValue] = [None] * width
            for k, value in zip(keys, row, strict=False):
                if k in table.positions:
                    out[table.positions[k]] = value
            moved.append(out)
        changes.append[key] = moved
    return changes


def _previous_frame(register: Register, sheet: Sheet) -> pd.DataFrame | None:
    table = register.tables.get(sheet.key)
    return None if table is None or table.frame.empty else table.frame


def _table(results: Results, sheet: Sheet, data: pd.DataFrame) -> pd.DataFrame:
    register = results.register
    return output_frame(sheet, data, register.lang, register.tables.get(sheet.key))


def headline_cells(results: Results) -> dict[str, CellValue]:
    """The Dashboard's headline figures (base currency)."""
    cell = {f.key: f.cell for f in dashboard.HEADLINES}
    exposure = results.exposure
    whole = receivables.portfolio(results.items, results.policy, results.as_of)
    values: dict[str, CellValue] = {
        cell["total_exposure"]: round(float(exposure["exposure_base"].sum()), 2)
        if not exposure.empty
        else 0.0,
        cell["overdue_pct"]: 0.0
        if math.isnan(whole.overdue_share)
        else round(whole.overdue_share, 4),
        cell["dso"]: None if math.isnan(whole.dso) else round(whole.dso, 1),
    }
    severities = (
        results.alerts.loc[~results.alerts["status"].isin(["closed", "resolved"]), "severity"]
        if not results.alerts.empty
        else pd.Series(dtype=object)
    )
    for level in ("info", "warning", "block"):
        values[cell[f"alerts_{level}"]] = int((severities == level).sum())
    grades = results.ratings["grade"] if not results.ratings.empty else pd.Series(dtype=object)
    for grade in GRADES:
        values[cell[f"grade_{grade}"]] = int((grades == grade).sum())
    return values


def results_changes(
    results: Results, now: dt.datetime, *, sheets: tuple[Sheet, ...], outcome: str = ""
) -> Changes:
    """The output sheets of ``sheets``, the Issues sheet, History rows and Dashboard figures."""
    loaded = Loaded(results.register, results.policy, results.issues)
    changes = issues_changes(loaded)
    frames = {RATINGS.key: results.ratings, AGEING.key: results.ageing, ALERTS.key: results.alerts}
    for sheet in sheets:
        changes.tables[sheet.key] = _table(results, sheet, frames[sheet.key])
    # History records what this action wrote: no alert statuses when Alerts is not written
    history = [*results.rating_history] if RATINGS in sheets else []
    if ALERTS in sheets:
        history.extend(results.alert_history)
    if history:
        changes.append[HISTORY.key] = history
    outcome = outcome or summary(results.issues, results.register.lang)
    cells = dashboard_outcome(loaded, outcome, now)
    cells.update(headline_cells(results))
    changes.cells["dashboard"] = cells
    return changes


def _skipped(loaded: Loaded) -> str:
    """How many customers the engines left out because their rows have errors."""
    customers = loaded.register.tables.get(CUSTOMERS.key)
    if customers is None or "_error" not in customers.frame:
        return ""
    left_out = int(customers.frame["_error"].sum())
    if not left_out:
        return ""
    if loaded.lang == "zh":
        return f"；{left_out} 个客户因数据错误未参与计算（见问题表）"
    return f"; {left_out} customers left out for data errors (see Issues)"


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


def _engine_action(
    request: ActionRequest, port: WorkbookPort, today: dt.date, sheets: tuple[Sheet, ...]
) -> ActionResult:
    loaded = load_register(port.read(), port.label, today=today, as_of=request.as_of)
    register = loaded.register
    now = dt.datetime.now()
    results = compute(loaded, now)
    lang = loaded.lang
    rated = len(results.ratings)
    if lang == "zh":
        message = f"已评级 {rated} 个客户，{summary(loaded.issues, lang)}{_skipped(loaded)}"
    else:
        message = f"{rated} customers rated, {summary(loaded.issues, lang)}{_skipped(loaded)}"
    port.apply(aligned(results_changes(results, now, sheets=sheets, outcome=message), register))
    return ActionResult(ok=True, message=message, issues=loaded.issues, lang=lang)


def run_action_all(request: ActionRequest, port: WorkbookPort, today: dt.date) -> ActionResult:
    """运行: validate, rate, age, raise alerts; written back in one go.

    Rows with errors are left out of the engines and listed on the Issues sheet."""
    return _engine_action(request, port, today, (RATINGS, AGEING, ALERTS))


def rate_action(request: ActionRequest, port: WorkbookPort, today: dt.date) -> ActionResult:
    """评级: the Ratings sheet, the Dashboard figures, History rows for what changed."""
    return _engine_action(request, port, today, (RATINGS,))


def approve_action(request: ActionRequest, port: WorkbookPort, today: dt.date) -> ActionResult:
    """核定额度: a person approves limits; the only writer of ``approved_limit``."""
    loaded = load_register(port.read(), port.label, today=today, as_of=request.as_of)
    lang = loaded.lang
    if not request.customer_ids:
        return _refused(lang, "请先选择客户（或在控制台填写客户编号）", "select a customer first")
    ratings = _previous_frame(loaded.register, RATINGS)
    cells: dict[str, CellValue] = {}
    history: list[list[CellValue]] = []
    problems: list[Issue] = []
    now = dt.datetime.now()
    for customer_id in request.customer_ids:  # a handful of selected customers
        set_cells, rows, issues = rating.approve(
            loaded.register,
            ratings,
            customer_id,
            request.limit,
            request.reason or "",
            request.user or current_user(),
            now,
        )
        cells.update(set_cells)
        history.extend(rows)
        problems.extend(issues)
    if problems:
        return ActionResult(
            ok=False,
            message="; ".join(i.format(lang) for i in problems),
            issues=problems,
            exit_code=EXIT_FAILED,
            lang=lang,
        )
    changes = Changes(append={HISTORY.key: history}, cells={CUSTOMERS.key: cells})
    port.apply(aligned(changes, loaded.register))
    done = (
        f"已核定 {len(history)} 个客户的额度"
        if lang == "zh"
        else f"limit approved for {len(history)} customers"
    )
    return ActionResult(ok=True, message=done, lang=lang)


def check_order_action(request: ActionRequest, port: WorkbookPort, today: dt.date) -> ActionResult:
    """订单信用检查: RELEASE or HOLD with every reason; an override needs a reason."""
    loaded = load_register(port.read(), port.label, today=today, as_of=request.as_of)
    lang = loaded.lang
    if not request.customer_ids or request.amount is None:
        return _refused(lang, "请填写客户编号与订单金额", "give the customer and the order amount")
    register, policy = loaded.register, loaded.policy
    items = receivables.open_items(register, policy, register.as_of)
    exposure = receivables.exposure_by_customer(register, policy, register.as_of, items)
    decision = check_order(
        register,
        policy,
        register.as_of,
        items,
        exposure,
        request.customer_ids[0],
        request.amount,
        request.currency,
    )
    text = decision.text()
    changes = Changes(cells={"dashboard": {dashboard.HEADLINE_BY_KEY["order_result"].cell: text}})
    if request.override and not decision.release:
        if not (request.reason and request.reason.strip()):
            return _refused(lang, "放行被暂停的订单须填写原因", "an override needs a reason")
        changes.append[HISTORY.key] = [
            override_history(
                decision, request.reason, request.user or current_user(), dt.datetime.now()
            )
        ]
        port.apply(aligned(changes, register))
        released = (
            "已例外放行（已记入变更日志）" if lang == "zh" else "released by override (logged)"
        )
        return ActionResult(True, f"{text}\n{released}", lang=lang, decision=decision)
    port.apply(changes)
    return ActionResult(
        ok=decision.release,
        message=text,
        exit_code=EXIT_OK if decision.release else EXIT_HOLD,
        lang=lang,
        decision=decision,
    )


def calibrate_action(request: ActionRequest, port: WorkbookPort, today: dt.date) -> ActionResult:
    """校准: fit the financial bands on the register's own defaults, for review; the live
    Policy is replaced only when asked (``apply``)."""
    loaded = load_register(port.read(), port.label, today=today, as_of=request.as_of)
    lang = loaded.lang
    try:
        from credit_register.engines.calibration import calibrate
    except ImportError as missing:  # optbinning and scikit-learn come with an optional extra
        install = "pip install 'credit-register[calibrate]'"
        return _refused(
            lang,
            f"校准需要可选组件 {missing.name}，请先安装：{install}",
            f"calibration needs the optional {missing.name}; install it with: {install}",
        )
    rows, report = calibrate(loaded.register, loaded.policy)
    if not rows:
        return _refused(lang, str(report.get("problem_zh", "")), str(report.get("problem_en", "")))
    frame = pd.DataFrame(rows, columns=[c.key for c in POLICY.columns])
    changes = Changes(tables={CALIBRATION.key: output_frame(CALIBRATION, frame, lang)})
    if request.apply:
        changes.tables[POLICY.key] = output_frame(POLICY, frame, lang)
    port.apply(changes)
    figures = ", ".join(f"{k}={v}" for k, v in report.items() if isinstance(v, int | float))
    where = CALIBRATION.name(lang)
    message = (
        f"校准结果已写入“{where}”表（{figures}）"
        if lang == "zh"
        else f"fitted policy written to the {where} sheet ({figures})"
    )
    if request.apply:
        message += "；已替换信用政策" if lang == "zh" else "; the live Policy was replaced"
    return ActionResult(True, message, lang=lang)


# --------------------------------------------------------------------------- documents


def _documents_folder(request: ActionRequest, port: WorkbookPort) -> Path:
    """``--out``, else a ``documents`` folder beside the workbook (or the working folder)."""
    if request.out_dir is not None:
        return request.out_dir
    folder = getattr(port, "folder", None)
    return (Path(folder) if folder else Path.cwd()) / "documents"


def _documents_result(
    lang: Language, paths: list[Path], what_zh: str, what_en: str
) -> ActionResult:
    folder = paths[0].parent if paths else None
    if lang == "zh":
        message = f"已生成{what_zh} {len(paths)} 份" + (f"：{folder}" if folder else "")
    else:
        message = f"{len(paths)} {what_en} written" + (f" to {folder}" if folder else "")
    return ActionResult(True, message, documents=paths, lang=lang)


def _rated_customers(
    request: ActionRequest, port: WorkbookPort, today: dt.date
) -> tuple[Results, list[str]] | ActionResult:
    """The run's results and the requested customers, or the refusal to show: no customer
    chosen, or one that is unknown or left out for data errors."""
    loaded = load_register(port.read(), port.label, today=today, as_of=request.as_of)
    lang = loaded.lang
    if not request.customer_ids:
        return _refused(lang, "请先选择客户（或在控制台填写客户编号）", "select a customer first")
    results = compute(loaded)
    rated = set(results.ratings["customer_id"].astype(str)) if not results.ratings.empty else set()
    missing = [c for c in request.customer_ids if c not in rated]
    if missing:
        listed = ", ".join(missing)
        return _refused(
            lang,
            f"客户 {listed} 不存在或数据有误（见问题表）",
            f"customer {listed} is unknown or has data errors (see Issues)",
        )
    return results, list(request.customer_ids)


def contract_action(request: ActionRequest, port: WorkbookPort, today: dt.date) -> ActionResult:
    """合同草稿: payment clauses following the grade, for the selected customers."""
    from credit_register.app.document_actions import contract_docs

    found = _rated_customers(request, port, today)
    if isinstance(found, ActionResult):
        return found
    results, customers = found
    paths = contract_docs(
        results,
        customers,
        amount=request.amount,
        out_dir=_documents_folder(request, port),
        pdf=request.pdf,
        penalty_daily=request.penalty_daily,
    )
    return _documents_result(results.register.lang, paths, "合同草稿", "contract drafts")


def report_action(request: ActionRequest, port: WorkbookPort, today: dt.date) -> ActionResult:
    """资信报告: one credit report per selected customer."""
    from credit_register.app.document_actions import report_docs

    found = _rated_customers(request, port, today)
    if isinstance(found, ActionResult):
        return found
    results, customers = found
    folder = _documents_folder(request, port)
    paths = report_docs(results, customers, out_dir=folder, pdf=request.pdf)
    return _documents_result(results.register.lang, paths, "资信报告", "credit reports")


def letters_action(request: ActionRequest, port: WorkbookPort, today: dt.date) -> ActionResult:
    """催收函: every collection letter due; each is logged as an activity (evidence of demand)."""
    from credit_register.app.document_actions import letters_due

    loaded = load_register(port.read(), port.label, today=today, as_of=request.as_of)
    results = compute(loaded)
    paths, changes = letters_due(
        results,
        out_dir=_documents_folder(request, port),
        user=request.user or current_user(),
        when=results.as_of,
    )
    if changes:
        port.apply(aligned(changes, loaded.register))
    return _documents_result(loaded.lang, paths, "催收函", "collection letters")


def review_action(request: ActionRequest, port: WorkbookPort, today: dt.date) -> ActionResult:
    """月度评审: the review pack for the month, e-mailed (``send``) or put in the outbox."""
    from credit_register.adapters import mail
    from credit_register.app.document_actions import review_pack, send_review

    loaded = load_register(port.read(), port.label, today=today, as_of=request.as_of)
    results = compute(loaded)
    month = request.month or f"{results.as_of:%Y-%m}"
    folder = _documents_folder(request, port)
    pack = review_pack(results, month, out_dir=folder, pdf=request.pdf)
    report, changes = send_review(
        results,
        month,
        [pack],
        send=request.send,
        force=request.force,
        outbox=folder / "outbox",
        settings=mail.SmtpSettings(),
        user=request.user or current_user(),
    )
    if changes:
        port.apply(aligned(changes, loaded.register))
    lang = loaded.lang
    done = _documents_result(lang, [pack], "月度评审包", "review pack")
    failed = "; ".join(f"{who}: {why}" for who, why in report.failed.items())
    message = f"{done.message}\n{report.summary(lang)}" + (f"\n{failed}" if failed else "")
    return ActionResult(
        report.ok,
        message,
        documents=[pack, *report.written],
        exit_code=EXIT_OK if report.ok else EXIT_FAILED,
        lang=lang,
    )


def _refused(lang: Language, zh: str, en: str) -> ActionResult:
    return ActionResult(
        ok=False, message=f"{zh} ({en})" if lang == "zh" else en, exit_code=EXIT_FAILED, lang=lang
    )


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
    "rate": rate_action,
    "approve": approve_action,
    "check_order": check_order_action,
    "calibrate": calibrate_action,
    "contract": contract_action,
    "report": report_action,
    "letters": letters_action,
    "review": review_action,
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
    reason = _cell_value(board, dashboard.REASON.cell)
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
        reason=str(reason).strip() if reason not in (None, "") else None,
        user=current_user(),
    )


@dataclass
class DemoPicks:
    """Whom the demo's monthly cycle writes documents for."""

    #: (customer, annual contract amount, agreed daily penalty or None): the best grade, a
    #: middle one and the worst
    contracts: list[tuple[str, float | None, float | None]]
    #: the five largest exposures
    reports: list[str]


def demo_picks(port: WorkbookPort) -> DemoPicks:
    """Three customers of different grades for contract drafts (the middle one with a 0.05 % a
    day penalty, which the draft warns is above the reasonableness bound) and the five largest
    exposures for credit reports, read from the Ratings sheet the run just wrote."""
    loaded = load_register(port.read(), port.label, today=dt.date.today())
    ratings = loaded.register.tables[RATINGS.key].frame
    order = {g: i for i, g in enumerate(GRADES)}
    graded = ratings.assign(rank=ratings["grade"].map(order)).dropna(subset=["rank"])
    graded = graded.sort_values(["rank", "customer_id"])
    best, worst = graded.iloc[0], graded.iloc[-1]
    middle = graded.loc[~graded["grade"].isin([best["grade"], worst["grade"]])]
    chosen = [best, middle.iloc[len(middle) // 2] if len(middle) else best, worst]
    customers = loaded.register.frame(CUSTOMERS.key).set_index("customer_id")
    sales = pd.to_numeric(customers["expected_monthly_sales"], errors="coerce")
    contracts: list[tuple[str, float | None, float | None]] = []
    for i, row in enumerate(chosen):
        customer = str(row["customer_id"])
        # a framework contract for a year's expected sales, rounded to thousands
        yearly = sales.get(customer)
        amount = round(float(yearly) * 12, -3) if yearly is not None and yearly == yearly else None
        contracts.append((customer, amount, 0.0005 if i == 1 else None))
    largest = ratings.sort_values("exposure", ascending=False)["customer_id"].head(5)
    return DemoPicks(contracts=contracts, reports=[str(c) for c in largest])
