"""The use cases: one function per Dashboard button, the only place joining core and doors.

Every action is read → compute → write back over a ``WorkbookPort``, so the Excel button, the
command line and the add-in run the same code and write the same cells. A use case never raises
for bad user data: problems come back as ``Issue`` values, are written to the Issues sheet, and
summarised in ``ActionResult.message`` (short, in the workbook's language).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from credit_register.app.outputs import output_frame
from credit_register.app.pipeline import (
    Loaded,
    compute,
    current_user,
    load_register,
    previous_frame,
)
from credit_register.app.requests import (
    EXIT_ERRORS,
    EXIT_FAILED,
    EXIT_HOLD,
    EXIT_OK,
    ActionRequest,
    ActionResult,
    refused,
)
from credit_register.app.writeback import (
    aligned,
    dashboard_outcome,
    issues_changes,
    results_changes,
    summary,
)
from credit_register.core import dashboard
from credit_register.core.issues import Issue, has_errors
from credit_register.core.port import (
    CellValue,
    Changes,
    DocumentServices,
    WorkbookPort,
    read_stream,
)
from credit_register.core.register import Register
from credit_register.core.schema import (
    AGEING,
    ALERTS,
    CALIBRATION,
    CUSTOMERS,
    HISTORY,
    INPUT_SHEETS,
    OPEN_ITEMS,
    POLICY,
    RATINGS,
    Language,
    Sheet,
)
from credit_register.core.text import pick
from credit_register.engines import rating
from credit_register.engines.order_check import check_order, override_history
from credit_register.engines.results import Results


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


def validate_action(
    request: ActionRequest, port: WorkbookPort, today: dt.date, services: DocumentServices
) -> ActionResult:
    """校验数据: every problem, located, on the Issues sheet. Writes nothing else."""
    loaded = load_register(read_stream(port), port.label, today=today, as_of=request.as_of)
    port.apply(aligned(issues_changes(loaded.issues, loaded.lang), loaded.register))
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
    loaded = load_register(read_stream(port), port.label, today=today, as_of=request.as_of)
    register = loaded.register
    now = dt.datetime.now()
    lang = loaded.lang
    unreadable = unreadable_inputs(register)
    if unreadable:
        return _engines_not_run(loaded, port, unreadable, sheets, now)
    results = compute(loaded, now)
    rated = len(results.ratings)
    if lang == "zh":
        message = f"已评级 {rated} 个客户，{summary(loaded.issues, lang)}{_skipped(loaded)}"
    else:
        message = f"{rated} customers rated, {summary(loaded.issues, lang)}{_skipped(loaded)}"
    port.apply(aligned(results_changes(results, now, sheets=sheets, outcome=message), register))
    # a scheduled job must tell a run with errors (0 customers rated included) from a clean one
    failed = has_errors(loaded.issues)
    return ActionResult(
        ok=not failed,
        message=message,
        issues=loaded.issues,
        exit_code=EXIT_ERRORS if failed else EXIT_OK,
        lang=lang,
    )


def unreadable_inputs(register: Register) -> list[str]:
    """The input sheets the workbook lacks, or whose header row is empty or lacks a required
    column (a renamed tab, a deleted header): computed without them, every customer would be
    rated on nothing or left out, so the engine sheets are not rewritten."""
    unreadable = []
    for sheet in INPUT_SHEETS:
        table = register.tables.get(sheet.key)
        if table is None:
            unreadable.append(sheet.name(register.lang))
        elif (
            not table.present
            or not table.positions
            or any(c.required and c.key not in table.positions for c in sheet.columns)
        ):
            unreadable.append(table.name)
    return unreadable


def _engines_not_run(
    loaded: Loaded,
    port: WorkbookPort,
    unreadable: list[str],
    sheets: tuple[Sheet, ...],
    now: dt.datetime,
) -> ActionResult:
    """An input sheet is missing or unreadable: only the Issues sheet and the Dashboard's outcome
    are written; the engine sheets keep what they hold, the user's columns included."""
    lang = loaded.lang
    tabs_zh = "、".join(f"“{name}”" for name in unreadable)
    tabs_en = ", ".join(f"'{name}'" for name in unreadable)
    kept_zh = "、".join(s.name("zh") for s in sheets)
    kept_en = ", ".join(s.name("en") for s in sheets)
    problem = Issue(
        loaded.register.label,
        unreadable[0],
        "",
        "error",
        f"工作表{tabs_zh}缺失或没有可识别的表头：本次未运行计算，{kept_zh}表保持原样；"
        "请恢复工作表名称与表头（没有数据的表保留表头行即可）",
        f"sheet {tabs_en} is missing or has no recognisable header row: nothing was computed "
        f"and the {kept_en} sheets were left as they were; restore the tab's name and header "
        "(a sheet without data needs only its header row)",
    )
    issues = [*loaded.issues, problem]
    message = pick(
        lang,
        f"未计算：工作表{tabs_zh}缺失或无法读取，{summary(issues, lang)}",
        f"nothing computed: sheet {tabs_en} missing or unreadable, {summary(issues, lang)}",
    )
    changes = issues_changes(issues, lang)
    changes.cells["dashboard"] = dashboard_outcome(issues, message, now)
    port.apply(aligned(changes, loaded.register))
    return ActionResult(ok=False, message=message, issues=issues, exit_code=EXIT_ERRORS, lang=lang)


def run_action_all(
    request: ActionRequest, port: WorkbookPort, today: dt.date, services: DocumentServices
) -> ActionResult:
    """运行: validate, rate, age, raise alerts; written back in one go.

    Rows with errors are left out of the engines and listed on the Issues sheet."""
    return _engine_action(request, port, today, (RATINGS, AGEING, OPEN_ITEMS, ALERTS))


def rate_action(
    request: ActionRequest, port: WorkbookPort, today: dt.date, services: DocumentServices
) -> ActionResult:
    """评级: the Ratings sheet, the Dashboard figures, History rows for what changed."""
    return _engine_action(request, port, today, (RATINGS,))


def approve_action(
    request: ActionRequest, port: WorkbookPort, today: dt.date, services: DocumentServices
) -> ActionResult:
    """核定额度: a person approves limits; the only writer of ``approved_limit``."""
    loaded = load_register(read_stream(port), port.label, today=today, as_of=request.as_of)
    lang = loaded.lang
    if not request.customer_ids:
        return refused(lang, "请先选择客户（或在控制台填写客户编号）", "select a customer first")
    ratings = previous_frame(loaded.register, RATINGS)
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


def check_order_action(
    request: ActionRequest, port: WorkbookPort, today: dt.date, services: DocumentServices
) -> ActionResult:
    """订单信用检查: RELEASE or HOLD with every reason, from the one credit-hold decision
    computed at today's date (``as_of`` only when asked: the Dashboard's date is for
    reporting); an override needs a reason."""
    loaded = load_register(read_stream(port), port.label, today=today, as_of=request.as_of or today)
    lang = loaded.lang
    if not request.customer_ids or request.amount is None:
        return refused(lang, "请填写客户编号与订单金额", "give the customer and the order amount")
    results = compute(loaded)
    register = loaded.register
    assert results.hold is not None  # compute always decides
    decision = check_order(
        register,
        results.hold,
        register.as_of,
        request.customer_ids[0],
        request.amount,
        request.currency,
        request.payment,
    )
    text = decision.text()
    changes = Changes(cells={"dashboard": {dashboard.HEADLINE_BY_KEY["order_result"].cell: text}})
    if request.override and not decision.release:
        if not (request.reason and request.reason.strip()):
            return refused(lang, "放行被暂停的订单须填写原因", "an override needs a reason")
        changes.append[HISTORY.key] = [
            override_history(
                decision, request.reason, request.user or current_user(), dt.datetime.now()
            )
        ]
        port.apply(aligned(changes, register))
        released = pick(lang, "已例外放行（已记入变更日志）", "released by override (logged)")
        return ActionResult(True, f"{text}\n{released}", lang=lang, decision=decision)
    port.apply(aligned(changes, register))
    return ActionResult(
        ok=decision.release,
        message=text,
        exit_code=EXIT_OK if decision.release else EXIT_HOLD,
        lang=lang,
        decision=decision,
    )


def calibrate_action(
    request: ActionRequest, port: WorkbookPort, today: dt.date, services: DocumentServices
) -> ActionResult:
    """校准: fit the financial bands on the register's own defaults, for review; the live
    Policy is replaced only when asked (``apply``)."""
    loaded = load_register(read_stream(port), port.label, today=today, as_of=request.as_of)
    lang = loaded.lang
    try:
        from credit_register.engines.calibration import calibrate
    except ImportError as missing:  # optbinning and scikit-learn come with an optional extra
        install = "pip install 'credit-register[calibrate]'"
        return refused(
            lang,
            f"校准需要可选组件 {missing.name}，请先安装：{install}",
            f"calibration needs the optional {missing.name}; install it with: {install}",
        )
    rows, report = calibrate(loaded.register, loaded.policy)
    if not rows:
        return refused(lang, str(report.get("problem_zh", "")), str(report.get("problem_en", "")))
    frame = pd.DataFrame(rows, columns=[c.key for c in POLICY.columns])
    changes = Changes(tables={CALIBRATION.key: output_frame(CALIBRATION, frame, lang)})
    if request.apply:
        changes.tables[POLICY.key] = output_frame(POLICY, frame, lang)
    port.apply(aligned(changes, loaded.register))
    figures = ", ".join(f"{k}={v}" for k, v in report.items() if isinstance(v, int | float))
    where = CALIBRATION.name(lang)
    message = (
        f"校准结果已写入“{where}”表（{figures}）"
        if lang == "zh"
        else f"fitted policy written to the {where} sheet ({figures})"
    )
    if request.apply:
        message += pick(lang, "；已替换信用政策", "; the live Policy was replaced")
    return ActionResult(True, message, lang=lang)


# --------------------------------------------------------------------------- documents


def _documents_folder(request: ActionRequest, port: WorkbookPort) -> Path:
    """``--out``, else a ``documents`` folder beside the workbook (or the working folder)."""
    if request.out_dir is not None:
        return request.out_dir
    return (port.folder or Path.cwd()) / "documents"


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
    loaded = load_register(read_stream(port), port.label, today=today, as_of=request.as_of)
    lang = loaded.lang
    if not request.customer_ids:
        return refused(lang, "请先选择客户（或在控制台填写客户编号）", "select a customer first")
    results = compute(loaded)
    rated = set(results.ratings["customer_id"].astype(str)) if not results.ratings.empty else set()
    missing = [c for c in request.customer_ids if c not in rated]
    if missing:
        listed = ", ".join(missing)
        return refused(
            lang,
            f"客户 {listed} 不存在或数据有误（见问题表）",
            f"customer {listed} is unknown or has data errors (see Issues)",
        )
    return results, list(request.customer_ids)


def contract_action(
    request: ActionRequest, port: WorkbookPort, today: dt.date, services: DocumentServices
) -> ActionResult:
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
        pdf=services.to_pdf if request.pdf else None,
        penalty_daily=request.penalty_daily,
    )
    return _documents_result(results.register.lang, paths, "合同草稿", "contract drafts")


def report_action(
    request: ActionRequest, port: WorkbookPort, today: dt.date, services: DocumentServices
) -> ActionResult:
    """资信报告: one credit report per selected customer."""
    from credit_register.app.document_actions import report_docs

    found = _rated_customers(request, port, today)
    if isinstance(found, ActionResult):
        return found
    results, customers = found
    folder = _documents_folder(request, port)
    pdf = services.to_pdf if request.pdf else None
    paths = report_docs(results, customers, out_dir=folder, pdf=pdf)
    return _documents_result(results.register.lang, paths, "资信报告", "credit reports")


def letters_action(
    request: ActionRequest, port: WorkbookPort, today: dt.date, services: DocumentServices
) -> ActionResult:
    """催收函: every collection letter due, each logged as an activity naming its invoices;
    with ``delivered``, instead records the latest batch's delivery (the evidence of demand)."""
    from credit_register.app.document_actions import letters_due

    loaded = load_register(read_stream(port), port.label, today=today, as_of=request.as_of)
    if request.delivered is not None:
        return _letters_delivered(request, port, loaded)
    results = compute(loaded)
    port.preflight()  # no letter is written that the register could not log
    paths, changes = letters_due(
        results,
        out_dir=_documents_folder(request, port),
        user=request.user or current_user(),
        when=results.as_of,
    )
    if changes:
        port.apply(aligned(changes, loaded.register))
    return _documents_result(loaded.lang, paths, "催收函", "collection letters")


def _letters_delivered(request: ActionRequest, port: WorkbookPort, loaded: Loaded) -> ActionResult:
    from credit_register.app.deliveries import mark_delivered

    assert request.delivered is not None
    lang = loaded.lang
    found = mark_delivered(
        loaded.register, request.delivered, request.reference, request.customer_ids
    )
    if found.problem:
        return ActionResult(False, found.problem, exit_code=EXIT_FAILED, lang=lang)
    port.apply(aligned(found.changes, loaded.register))
    listed = ", ".join(found.letters)
    message = (
        f"已登记 {len(found.letters)} 份催收函（{found.batch_day}）送达于 {request.delivered}："
        f"{listed}"
        if lang == "zh"
        else f"{len(found.letters)} letters of {found.batch_day} recorded as delivered on "
        f"{request.delivered}: {listed}"
    )
    return ActionResult(True, message, lang=lang)


def handover_action(
    request: ActionRequest, port: WorkbookPort, today: dt.date, services: DocumentServices
) -> ActionResult:
    """移交律师: the hand-over pack for counsel of each selected customer at collections step 4
    or beyond, or in litigation (a folder: index, cover memo, the letters already sent)."""
    from credit_register.app.handover import handover_pack
    from credit_register.documents.handover import handover_due

    found = _rated_customers(request, port, today)
    if isinstance(found, ActionResult):
        return found
    results, customers = found
    lang = results.register.lang
    early = [c for c in customers if not handover_due(results, c)]
    if early:
        listed = ", ".join(early)
        return refused(
            lang,
            f"客户 {listed} 尚未到移交阶段（催收级别未达4且不在诉讼中）",
            f"customer {listed} is not due for hand-over (below collections step 4 and not in "
            "litigation)",
        )
    folder = _documents_folder(request, port)
    paths: list[Path] = []
    for customer in customers:
        paths += handover_pack(
            results,
            customer,
            out_dir=folder,
            pdf=services.to_pdf if request.pdf else None,
            prepared_by=request.user or current_user(),
        )
    return _documents_result(lang, paths, "移交材料", "hand-over files")


def review_action(
    request: ActionRequest, port: WorkbookPort, today: dt.date, services: DocumentServices
) -> ActionResult:
    """月度评审: the review pack for the month, e-mailed (``send``) or put in the outbox."""
    from credit_register.app.document_actions import review_pack
    from credit_register.app.review_mail import send_review

    loaded = load_register(read_stream(port), port.label, today=today, as_of=request.as_of)
    results = compute(loaded)
    month = request.month or f"{results.as_of:%Y-%m}"
    folder = _documents_folder(request, port)
    if request.send:
        port.preflight()  # nothing is sent that the register could not record
    pack = review_pack(results, month, out_dir=folder, pdf=services.to_pdf if request.pdf else None)

    def record(rows: list[list[CellValue]]) -> None:
        port.record(aligned(Changes(append={HISTORY.key: rows}), loaded.register))

    if request.send:
        port.preflight()  # again, right before the first message: Excel may have opened it
    report, changes = send_review(
        results,
        month,
        [pack],
        send=request.send,
        force=request.force,
        outbox=folder / "outbox",
        mailer=services.mailer,
        user=request.user or current_user(),
        record=record,
    )
    if changes or request.send:
        # the deliveries recorded as they happened reach History with this write
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


def import_action(
    request: ActionRequest, port: WorkbookPort, today: dt.date, services: DocumentServices
) -> ActionResult:
    """导入数据: rows of an ERP, accounting or CRM export upserted into the input sheets."""
    from credit_register.app.importing import import_export

    return import_export(request, port, today)


def not_available(
    request: ActionRequest, port: WorkbookPort, today: dt.date, services: DocumentServices
) -> ActionResult:
    """An action this version does not know (every Dashboard button has a handler)."""
    return ActionResult(
        ok=False,
        message=f"{request.action}：此功能尚未提供 (not available in this version yet)",
        exit_code=EXIT_FAILED,
    )


#: a button's use case: the request, the workbook, today's date, the document services
Handler = Callable[[ActionRequest, WorkbookPort, dt.date, DocumentServices], ActionResult]

ACTION_HANDLERS: dict[str, Handler] = {
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
    "handover": handover_action,
    "import": import_action,
}


def run_action(
    request: ActionRequest,
    port: WorkbookPort,
    *,
    services: DocumentServices,
    today: dt.date | None = None,
) -> ActionResult:
    """Run the button's use case on ``port``; ``services`` are the door's PDF converter and
    mailer, for the document buttons."""
    handler = ACTION_HANDLERS.get(request.action, not_available)
    return handler(request, port, today or dt.date.today(), services)
