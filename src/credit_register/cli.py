"""The command line: the same use cases as the workbook's buttons, on the workbook file.

Exit codes: 0 success, 1 validation errors found (the run still wrote what it could), 2 the
command could not run (a message says why: file open in Excel, busy, not a workbook, bad option
or setting), 3 an order held by the credit check. A user never sees a traceback: unexpected
failures are logged to a file of the user's own whose path is printed.

Every command that writes the register runs inside ``FileWorkbook.session``: it holds the
register's lock from before it reads until after it writes, so two commands on one file never
compute on the same stale read (a second one waits, then is refused naming the first).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import shutil
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from credit_register import __version__
from credit_register.adapters.error_log import write_error_log
from credit_register.adapters.services import document_services
from credit_register.adapters.xlsx import FileWorkbook
from credit_register.app import usecases
from credit_register.app.usecases import EXIT_FAILED, ActionRequest, ActionResult
from credit_register.core.dashboard import as_of_problem
from credit_register.core.issues import Issue
from credit_register.core.port import WorkbookError
from credit_register.core.text import Language, pick
from credit_register.importing.date_order import ORDERS as DATE_ORDERS
from credit_register.importing.layout import KINDS as IMPORT_KINDS


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc
    problem = as_of_problem(day)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{problem[0]} ({problem[1]})")
    return day


#: an amount typed on the command line larger than this is a typo, not an order
MAX_ARGUMENT_AMOUNT = 1e15


def _amount(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"不是数字 (not a number): {text!r}") from exc
    if not math.isfinite(value) or abs(value) > MAX_ARGUMENT_AMOUNT:
        raise argparse.ArgumentTypeError(
            f"金额须为有限且不超过 {MAX_ARGUMENT_AMOUNT:,.0f} 的数 "
            f"(an amount must be finite and at most {MAX_ARGUMENT_AMOUNT:,.0f}): {text!r}"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="credit-register",
        description="客户资信管理 Credit Register: validate, rate and monitor customer credit "
        "from the register workbook.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "init", help="create a register workbook (.xlsm) with every sheet and button"
    )
    p.add_argument("path", type=Path)
    p.add_argument(
        "--lang", choices=["zh", "en"], default="zh", help="workbook language (default zh)"
    )
    p.add_argument("--demo", action="store_true", help="fill it with the demo register")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = sub.add_parser("validate", help="check every cell; write the Issues sheet")
    p.add_argument("path", type=Path)
    p.add_argument("--json", action="store_true", help="print the issues as JSON")
    p.add_argument("--as-of", type=_date, help="as-of date (default: the Dashboard's, else today)")

    p = sub.add_parser("run", help="validate and run every engine; write the output sheets")
    p.add_argument("path", type=Path)
    p.add_argument("--as-of", type=_date, help="as-of date (default: the Dashboard's, else today)")

    p = sub.add_parser("rate", help="rate every customer; write Ratings, Dashboard and History")
    p.add_argument("path", type=Path)
    p.add_argument("--as-of", type=_date, help="as-of date (default: the Dashboard's, else today)")

    p = sub.add_parser("approve", help="approve a customer's credit limit (a human decision)")
    p.add_argument("path", type=Path)
    p.add_argument("--customer", required=True, action="append", help="customer ID (repeatable)")
    p.add_argument(
        "--limit", type=_amount, help="limit in the customer's currency (default: the proposed one)"
    )
    p.add_argument("--reason", required=True, help="why (kept in History)")

    p = sub.add_parser("check-order", help="release or hold a new order against the credit limit")
    p.add_argument("path", type=Path)
    p.add_argument("--customer", required=True)
    p.add_argument("--amount", type=_amount, required=True)
    p.add_argument("--currency", help="the order's currency (default: the customer's)")
    p.add_argument("--override", action="store_true", help="release a held order (needs --reason)")
    p.add_argument("--reason", help="why the override (kept in History)")
    p.add_argument(
        "--payment",
        choices=("credit", "prepaid", "lc"),
        default="credit",
        help="how the order is paid: prepaid or a confirmed letter of credit carry no credit "
        "risk and are released whatever the hold reasons (still listed)",
    )
    p.add_argument("--as-of", type=_date, help="the date to check at (default: today)")

    p = sub.add_parser(
        "calibrate", help="fit the financial bands on your own defaults (a review sheet)"
    )
    p.add_argument("path", type=Path)
    p.add_argument("--apply", action="store_true", help="also replace the live Policy sheet")

    p = sub.add_parser("contract", help="contract draft(s) whose payment clauses follow the grade")
    p.add_argument("path", type=Path)
    p.add_argument("--customer", required=True, action="append", help="customer ID (repeatable)")
    p.add_argument(
        "--amount", type=_amount, help="the contract's amount, in the customer's currency"
    )
    p.add_argument(
        "--penalty-daily",
        type=_amount,
        help="agreed late-payment penalty per day, e.g. 0.0005 (default: the Policy's)",
    )
    _document_options(p)

    p = sub.add_parser("report", help="credit report(s) per customer, with charts")
    p.add_argument("path", type=Path)
    p.add_argument("--customer", required=True, action="append", help="customer ID (repeatable)")
    _document_options(p)

    p = sub.add_parser("letters", help="the collection letters due; each is logged as an activity")
    p.add_argument("path", type=Path)
    p.add_argument(
        "--delivered",
        type=_date,
        help="instead: record the latest batch of letters as delivered on this date",
    )
    p.add_argument("--reference", help="with --delivered: the registered-mail number or receipt")
    p.add_argument("--customer", action="append", help="with --delivered: only this customer")
    _document_options(p)

    p = sub.add_parser(
        "handover", help="the hand-over pack for counsel (step 4+ or in litigation): a folder"
    )
    p.add_argument("path", type=Path)
    p.add_argument("--customer", required=True, action="append", help="customer ID (repeatable)")
    _document_options(p)

    p = sub.add_parser("review", help="the monthly review pack, e-mailed with --send")
    p.add_argument("path", type=Path)
    p.add_argument("--month", help="YYYY-MM (default: the as-of date's month)")
    p.add_argument("--send", action="store_true", help="send by SMTP (default: .eml to the outbox)")
    p.add_argument("--force", action="store_true", help="send this month again")
    _document_options(p)

    p = sub.add_parser(
        "import",
        help="bring an ERP, accounting or CRM export (.xlsx/.xls/.csv) into the register",
        description="Rows keyed as the register keys them (invoice number, payment ID, ...) "
        "update in place; new ones are added; customers are matched by ID, USCC or name. "
        "The mapping used is saved on the Import mappings sheet.",
    )
    p.add_argument("path", type=Path, help="the register workbook")
    p.add_argument("source", type=Path, help="the export file (.xlsx, .xlsm, .xls or .csv)")
    p.add_argument(
        "--kind",
        choices=[*IMPORT_KINDS, "auto"],
        default="auto",
        help="what the export holds (default: told from its header)",
    )
    p.add_argument("--sheet", help="the export's sheet to read (default: the best fitting one)")
    p.add_argument("--mapping", help="apply the saved import mapping of this name")
    p.add_argument(
        "--save-mapping",
        metavar="NAME",
        help="save the mapping used as NAME (default: the "
        "--mapping name, else the export file's name)",
    )
    p.add_argument("--dry-run", action="store_true", help="show the counts; write nothing")
    p.add_argument("--as-of", type=_date, help="the export's date (default today)")
    p.add_argument(
        "--replace-open-items",
        action="store_true",
        help="for the customers in the file, close as paid the open invoices it does not list",
    )
    p.add_argument(
        "--date-order",
        choices=DATE_ORDERS,
        help="how the file writes 3/4/2026: dmy (day first) or mdy (month first); default: the "
        "saved mapping's, else what the file's own dates prove",
    )
    p.add_argument(
        "--currency",
        help="the currency of the file's amounts when it has no currency column (USD, 美元, ...)",
    )
    p.add_argument("--json", action="store_true", help="print every issue as JSON")

    p = sub.add_parser("demo", help="build the demo register and run the monthly cycle on it")
    p.add_argument("--out", type=Path, default=Path("out/demo"), help="folder (default out/demo)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument(
        "--force",
        action="store_true",
        help="replace a register already in the folder (a time-stamped backup is kept)",
    )

    from credit_register.server.arguments import add_serve_parser

    add_serve_parser(sub)
    return parser


def _document_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--out",
        type=Path,
        help="folder for the documents (default: documents/ beside the workbook)",
    )
    p.add_argument("--pdf", action="store_true", help="also convert to PDF (LibreOffice)")
    p.add_argument("--as-of", type=_date, help="as-of date (default: the Dashboard's, else today)")


#: an import's issues printed one by one before the rest are summed up by column (an export
#: with a wrong layout can reject every row; --json prints them all)
_IMPORT_SHOWN = 30


def _print_issues(
    result: ActionResult, label: str, as_json: bool = False, limit: int | None = None
) -> None:
    if as_json:
        payload = {
            "file": label,
            "errors": sum(i.severity == "error" for i in result.issues),
            "warnings": sum(i.severity == "warning" for i in result.issues),
            "issues": [i.as_dict(result.lang) for i in result.issues],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    shown = result.issues if limit is None else result.issues[:limit]
    for issue in shown:
        print(issue.format(result.lang))
    rest = result.issues[len(shown) :]
    if rest:
        print(_more(rest, result.lang))
    print(result.message)


def _more(rest: Sequence[Issue], lang: Language) -> str:
    """One line for the issues not printed: how many, by column of the file."""
    by_column = Counter(issue.cell.rstrip("0123456789") or "-" for issue in rest)
    parts = ", ".join(f"{column} {count:,}" for column, count in by_column.most_common(6))
    return pick(
        lang,
        f"… 另有 {len(rest):,} 条（按列：{parts}）；加 --json 列出全部",
        f"… {len(rest):,} more (by column: {parts}); --json lists them all",
    )


def cmd_init(args: argparse.Namespace) -> int:
    from credit_register.tools.build import build_workbook

    path: Path = args.path
    try:
        build_workbook(path, lang=args.lang, demo=args.demo, overwrite=args.force)
    except (ValueError, FileExistsError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    print(f"{path}: {'demo register' if args.demo else 'empty register'} ({args.lang})")
    return 0


def _simple(action: str) -> Callable[[argparse.Namespace], int]:
    def command(args: argparse.Namespace) -> int:
        month = getattr(args, "month", None)
        if month and not _is_month(month):
            print(f"月份格式应为 YYYY-MM (the month must be YYYY-MM): {month}", file=sys.stderr)
            return EXIT_FAILED
        request = ActionRequest(
            action,
            customer_ids=list(getattr(args, "customer", None) or []),
            amount=getattr(args, "amount", None),
            limit=getattr(args, "limit", None),
            reason=getattr(args, "reason", None),
            as_of=getattr(args, "as_of", None),
            apply=getattr(args, "apply", False),
            out_dir=getattr(args, "out", None),
            pdf=getattr(args, "pdf", False),
            month=month,
            send=getattr(args, "send", False),
            force=getattr(args, "force", False),
            penalty_daily=getattr(args, "penalty_daily", None),
            delivered=getattr(args, "delivered", None),
            reference=getattr(args, "reference", None),
            user=usecases.current_user(),
        )
        book = FileWorkbook(args.path)
        with _session(book, request):
            result = usecases.run_action(request, book, services=document_services())
        _print_issues(result, book.label, getattr(args, "json", False))
        for path in result.documents:
            print(f"  {path}")
        return result.exit_code

    return command


#: actions that only read the register (their documents are not recorded in it)
READ_ONLY_ACTIONS = frozenset({"contract", "report"})


def _session(book: FileWorkbook, request: ActionRequest) -> AbstractContextManager[None]:
    """The register's lock for an action that writes it; none for one that only reads (a read
    sees the old or the new file, never half of one: writes are atomic renames)."""
    if request.action in READ_ONLY_ACTIONS or (request.action == "review" and not request.send):
        return nullcontext()
    return book.session(request.action)


def _is_month(text: str) -> bool:
    try:
        dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        return False
    return len(text) == 7


def cmd_check_order(args: argparse.Namespace) -> int:
    if args.override and not (args.reason and args.reason.strip()):
        print("--override 需要 --reason (an override needs --reason)", file=sys.stderr)
        return EXIT_FAILED
    request = ActionRequest(
        "check_order",
        customer_ids=[args.customer],
        amount=args.amount,
        currency=args.currency,
        override=args.override,
        reason=args.reason,
        payment=args.payment,
        as_of=args.as_of,
        user=usecases.current_user(),
    )
    book = FileWorkbook(args.path)
    with _session(book, request):
        result = usecases.run_action(request, book, services=document_services())
    print(result.message)
    return result.exit_code


def cmd_import(args: argparse.Namespace) -> int:
    from credit_register.adapters.export_file import SourceError, read_export
    from credit_register.app.importing import ImportOptions

    try:
        sheets = read_export(args.source)
    except SourceError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    options = ImportOptions(
        path=args.source,
        sheets=sheets,
        kind=args.kind,
        sheet=args.sheet,
        mapping=args.mapping,
        save_mapping=args.save_mapping,
        dry_run=args.dry_run,
        replace_open_items=args.replace_open_items,
        date_order=args.date_order,
        currency=args.currency,
    )
    request = ActionRequest(
        "import", as_of=args.as_of, importing=options, user=usecases.current_user()
    )
    book = FileWorkbook(args.path)
    # a dry run only reads; an import holds the register's lock from its read to its write
    with nullcontext() if args.dry_run else book.session("import"):
        result = usecases.run_action(request, book, services=document_services())
    _print_issues(result, book.label, args.json, limit=None if args.json else _IMPORT_SHOWN)
    return result.exit_code


def cmd_demo(args: argparse.Namespace) -> int:
    """The monthly cycle on the shipped demo register, in a copy under ``--out``: validate, run,
    contract drafts (three grades and a foreign buyer on its own terms) with their review notes,
    reports for the five largest exposures, the collection letters due, the hand-over pack of
    the customer in litigation, the review pack and its e-mails in the outbox."""
    from credit_register.tools.build import build_workbook

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    target = out / "credit_register.xlsm"
    if target.exists() or target.is_symlink():
        if not args.force:
            print(
                f"{target} 已存在，未覆盖；用 --force 替换（会保留带时间戳的备份）或换一个 --out "
                f"({target} exists and was not overwritten: --force replaces it, keeping a "
                "time-stamped backup, or choose another --out)",
                file=sys.stderr,
            )
            return EXIT_FAILED
        _keep_backup(target)
    shipped = Path("workbook/credit_register.xlsm")
    if args.lang == "zh" and shipped.exists():
        _copy_new(shipped, target)
        print(f"copied the shipped demo register {shipped} → {target}")
    else:
        build_workbook(target, lang=args.lang, demo=True, overwrite=True)
        print(f"built the demo register → {target}")
    book = FileWorkbook(target)
    with book.session("demo"):
        code = _demo_cycle(book, out / "documents")
    print(
        f"done: open {target} in Excel; documents in {out / 'documents'}, e-mails in "
        f"{out / 'documents'}/outbox"
    )
    return code


def _keep_backup(target: Path) -> None:
    """Before ``demo --force`` replaces a register: refused while Excel has it open or another
    command writes it; else a time-stamped backup beside it."""
    from credit_register.adapters import register_lock
    from credit_register.adapters.xlsx.guard import check_writable, real_path

    check_writable(target, target.name)
    real = real_path(target)
    with register_lock.exclusive(real, "demo --force", wait_seconds=0):
        shutil.copy2(real, register_lock.backup_name(real, dt.datetime.now()))
        register_lock.prune_backups(real)
        target.unlink()  # a symbolic link itself, never the file it points at


def _copy_new(source: Path, target: Path) -> None:
    """Copy ``source`` to a new file ``target`` with the user's default mode (umask)."""
    with source.open("rb") as data, target.open("xb") as new:
        shutil.copyfileobj(data, new)


def _demo_cycle(book: FileWorkbook, documents: Path) -> int:
    """Every step of the demo's month, inside the one session the caller holds."""
    services = document_services()
    code = 0

    def step(title: str, request: ActionRequest) -> ActionResult:
        nonlocal code
        result = usecases.run_action(request, book, services=services)
        print(f"== {title}: {result.message}")
        for issue in result.issues[:20]:
            print("   " + issue.format(result.lang))
        if len(result.issues) > 20:
            print(f"   … {len(result.issues) - 20} more on the Issues sheet")
        code = max(code, result.exit_code)
        return result

    step("校验 validate", ActionRequest("validate"))
    step("运行 run", ActionRequest("run"))
    picks = usecases.demo_picks(book)
    for customer, amount, penalty in picks.contracts:
        step(
            f"合同 contract {customer}",
            ActionRequest(
                "contract",
                customer_ids=[customer],
                amount=amount,
                out_dir=documents,
                penalty_daily=penalty,
            ),
        )
    step("资信报告 reports", ActionRequest("report", customer_ids=picks.reports, out_dir=documents))
    step("催收函 letters", ActionRequest("letters", out_dir=documents))
    if picks.handover:
        step(
            "移交律师 handover",
            ActionRequest("handover", customer_ids=picks.handover, out_dir=documents),
        )
    step("月度评审 review", ActionRequest("review", out_dir=documents))
    return code


def cmd_serve(args: argparse.Namespace) -> int:
    from credit_register.server.app import serve_main

    return serve_main(args)


COMMANDS = {
    "init": cmd_init,
    "validate": _simple("validate"),
    "run": _simple("run"),
    "demo": cmd_demo,
    "serve": cmd_serve,
    "rate": _simple("rate"),
    "approve": _simple("approve"),
    "calibrate": _simple("calibrate"),
    "contract": _simple("contract"),
    "report": _simple("report"),
    "letters": _simple("letters"),
    "review": _simple("review"),
    "handover": _simple("handover"),
    "check-order": cmd_check_order,
    "import": cmd_import,
}


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except WorkbookError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        # the output was piped into a command that stopped reading (`| head`): not our failure
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as exc:
        details = traceback.format_exc()
        try:
            log_path = write_error_log(details)
        except OSError as why:
            print(
                f"内部错误：{type(exc).__name__}；详情无法写入日志（{why}） "
                f"(internal error: {type(exc).__name__}; the details could not be logged: {why})",
                file=sys.stderr,
            )
            return EXIT_FAILED
        print(
            f"内部错误，详情见 {log_path} (internal error; details in {log_path})",
            file=sys.stderr,
        )
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
