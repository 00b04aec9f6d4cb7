"""The benchmark: how long a finance team waits, and how much memory it takes, on a big register.

    .venv/bin/python scripts/bench.py [--size large|small] [--customers F] [--invoices F]
        [--repeat N] [--skip-reports] [--reports N] [--out bench/results/latest.json]

Users feel three waits: the button that recomputes the register, the document batch, and opening
and saving the workbook. This script builds the synthetic register of :meth:`DemoSize.large`
(10,000 customers, 500,000 invoices…) once, caches it under ``bench/results/`` keyed by size and
by the code that writes it (building it takes minutes and is set-up, not a figure), then measures
each step in a fresh Python process so that one step's memory and caches never flatter the next:

- the floor: python-calamine reading the same sheets and nothing else;
- reading the file into validated tables (``FileWorkbook.read`` + ``load_register``);
- validation alone; rating and limits; ageing and alerts (with the credit hold); writing back;
- the full ``credit-register run`` as a user runs it (the CLI on a copy of the file);
- 1,000 credit reports (when ``doc_usecases.report_docs`` exists);
- importing an invoice export as large as the register's invoice sheet (500,000 rows in a
  Kingdee layout: a title, Chinese headers, customers by name, currencies by name, new invoice
  numbers; built once and cached beside the register) with ``credit-register import``, against
  its own floor: python-calamine reading the export and the register, plus the project's writer
  appending those rows to the invoice sheet (``FileWorkbook.apply``), one after the other.

Memory: tracemalloc slows pandas down several times, and psutil is not a dependency, so each step
reads the kernel's own figures. Linux lets a process reset its peak RSS (``/proc/self/clear_refs``
← ``5``); after the set-up the step's process resets it, runs the step, and reports the peak
(``VmHWM``) and what the step added over the set-up's resident size. Elsewhere it falls back to
``getrusage`` max RSS (a peak since the process started, set-up included). The full run's memory is
the CLI child's max RSS from ``wait4``: the whole process, as the user's machine sees it.

Times are wall-clock seconds; with ``--repeat N`` each step runs N times (a fresh process each time)
and targets are judged on the median, the honest figure, with the best shown beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import importlib
import importlib.util
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
REPORTS_WANTED = 1000
#: the source files whose code decides the built workbook's bytes: the cache key includes them
#: the sources a cached register depends on (globs under the package): a change rebuilds it
BUILD_SOURCES = ("tools/**/*.py", "core/schema.py", "core/dashboard.py", "policy/**/*.py")


@dataclasses.dataclass(frozen=True)
class Step:
    key: str
    label: str


STEPS: tuple[Step, ...] = (
    Step("floor", "python-calamine read (floor)"),
    Step("read", "read file into validated tables"),
    Step("validation", "validation alone"),
    Step("rating", "rating and limits"),
    Step("ageing_alerts", "ageing and alerts"),
    Step("write", "write results back"),
    Step("full_run", "full `credit-register run`"),
    Step("reports", "1,000 credit reports"),
    Step("import_floor", "read export + register, write (floor)"),
    Step("import", "`credit-register import` of the export"),
)

MB = 1024.0 * 1024.0
GB_LIMIT_MB = 2048.0


# --------------------------------------------------------------------------- memory, in-process


def _proc_status_kb(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return float(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Reset this process's peak RSS (Linux); False where the kernel does not offer it."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return _proc_status_kb("VmHWM") is not None


def _max_rss_mb(usage: resource.struct_rusage) -> float:
    # Linux reports kilobytes, macOS bytes
    return usage.ru_maxrss / (MB if sys.platform == "darwin" else 1024.0)


def _measure(run: Callable[[], object]) -> dict[str, Any]:
    """Wall time and peak memory of ``run()``, the set-up already done in this process."""
    gc.collect()
    resettable = _reset_peak()
    before_kb = _proc_status_kb("VmRSS") or 0.0
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    if resettable:
        peak_kb = _proc_status_kb("VmHWM") or 0.0
        return {
            "seconds": seconds,
            "peak_mb": peak_kb / 1024.0,
            "added_mb": max(peak_kb - before_kb, 0.0) / 1024.0,
            "memory_method": "VmHWM after reset (/proc/self/clear_refs)",
        }
    peak_mb = _max_rss_mb(resource.getrusage(resource.RUSAGE_SELF))
    return {
        "seconds": seconds,
        "peak_mb": peak_mb,
        "added_mb": None,
        "memory_method": "getrusage max RSS (since process start)",
    }


# --------------------------------------------------------------------------- the steps (child)


def _loaded(workbook: Path, today: dt.date) -> Any:
    from credit_register.adapters.xlsx import FileWorkbook
    from credit_register.app.pipeline import load_register

    book = FileWorkbook(workbook)
    return load_register(book.read(), book.label, today=today)


def _step_floor(workbook: Path, today: dt.date, scratch: Path) -> dict[str, Any]:
    import python_calamine

    def read() -> None:
        book = python_calamine.CalamineWorkbook.from_path(str(workbook))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)

    return _measure(read)


def _step_read(workbook: Path, today: dt.date, scratch: Path) -> dict[str, Any]:
    # imports are start-up, not reading
    for module in ("credit_register.app.pipeline", "credit_register.adapters.xlsx"):
        importlib.import_module(module)

    return _measure(lambda: _loaded(workbook, today))


def _step_validation(workbook: Path, today: dt.date, scratch: Path) -> dict[str, Any]:
    from credit_register.adapters.xlsx import FileWorkbook
    from credit_register.core.reader import load
    from credit_register.policy import policy_from_table
    from credit_register.validation import validate

    book = FileWorkbook(workbook)
    register = load(book.read(), book.label, today=today)
    policy, _ = policy_from_table(register.tables.get("policy"), book.label)
    register.base_currency = policy.base_currency
    return _measure(lambda: validate(register, base_currency=policy.base_currency, today=today))


def _step_rating(workbook: Path, today: dt.date, scratch: Path) -> dict[str, Any]:
    from credit_register.core.schema import RATINGS
    from credit_register.engines import rating, receivables

    loaded = _loaded(workbook, today)
    register, policy = loaded.register, loaded.policy
    items = receivables.open_items(register, policy, register.as_of)
    exposure = receivables.exposure_by_customer(register, policy, register.as_of, items)
    table = register.tables.get(RATINGS.key)
    previous = None if table is None or table.frame.empty else table.frame
    return _measure(
        lambda: rating.rate(
            register,
            policy,
            as_of=register.as_of,
            items=items,
            exposure=exposure["exposure_base"],
            previous=previous,
            exposure_frame=exposure,  # the limit's need reads the history, as a run does
        )
    )


def _step_ageing_alerts(workbook: Path, today: dt.date, scratch: Path) -> dict[str, Any]:
    from credit_register.core.schema import ALERTS, RATINGS
    from credit_register.engines import rating, receivables
    from credit_register.engines.credit_hold import run_alerts

    loaded = _loaded(workbook, today)
    register, policy, as_of = loaded.register, loaded.policy, loaded.register.as_of
    # the grades the alerts read come from the rating step, measured on its own
    items = receivables.open_items(register, policy, as_of)
    exposure = receivables.exposure_by_customer(register, policy, as_of, items)
    tables = {s.key: register.tables.get(s.key) for s in (RATINGS, ALERTS)}
    previous = {k: None if t is None or t.frame.empty else t.frame for k, t in tables.items()}
    ratings = rating.rate(
        register,
        policy,
        as_of=as_of,
        items=items,
        exposure=exposure["exposure_base"],
        previous=previous[RATINGS.key],
    )
    del items, exposure

    def age_and_alert() -> None:
        items = receivables.open_items(register, policy, as_of)
        exposure = receivables.exposure_by_customer(register, policy, as_of, items)
        aged = receivables.ageing(register, policy, as_of, items)
        # the alerts and the credit hold they feed (and that feeds them its own alerts)
        run_alerts(
            register, policy, as_of, items, exposure, ratings, previous[ALERTS.key], aged=aged
        )

    return _measure(age_and_alert)


def _step_write(workbook: Path, today: dt.date, scratch: Path) -> dict[str, Any]:
    from credit_register.adapters.xlsx import FileWorkbook
    from credit_register.app.pipeline import compute
    from credit_register.app.writeback import results_changes
    from credit_register.core.schema import AGEING, ALERTS, OPEN_ITEMS, RATINGS

    copy = scratch / "credit_register.xlsm"
    shutil.copyfile(workbook, copy)
    results = compute(_loaded(copy, today))
    changes = results_changes(
        results, dt.datetime.now(), sheets=(RATINGS, AGEING, OPEN_ITEMS, ALERTS)
    )
    del results
    return _measure(lambda: FileWorkbook(copy).apply(changes))


def _step_reports(workbook: Path, today: dt.date, scratch: Path, count: int) -> dict[str, Any]:
    from credit_register.app.pipeline import compute

    report_docs = importlib.import_module("credit_register.app.document_actions").report_docs
    results = compute(_loaded(workbook, today))
    ids = [str(i) for i in results.ratings["customer_id"].head(count)]
    out_dir = scratch / "reports"
    out_dir.mkdir()
    figures = _measure(lambda: report_docs(results, ids, out_dir=out_dir))
    figures["count"] = len(ids)
    return figures


def _export_rows(workbook: Path) -> list[list[Any]]:
    """The benchmark export's data rows as the import writes them: the register's invoices under
    new numbers (the export is made from the same rows, see ``_export``)."""
    import python_calamine

    rows = (
        python_calamine.CalamineWorkbook.from_path(str(workbook))
        .get_sheet_by_name("应收发票")
        .to_python(skip_empty_area=False)
    )
    # the seven columns the export carries, the register's other invoice columns blank
    return [
        ["N" + str(row[0]), *(None if cell == "" else cell for cell in row[1:7]), None, None, None]
        for row in rows[1:]
    ]


def _step_import_floor(workbook: Path, today: dt.date, scratch: Path) -> dict[str, Any]:
    """Reading the export and the register (calamine, one thread, every sheet) and appending the
    export's rows to the invoice sheet with the project's own writer, one after the other."""
    import python_calamine

    from credit_register.adapters.xlsx import FileWorkbook
    from credit_register.core.port import Changes

    copy = scratch / "credit_register.xlsm"
    shutil.copyfile(workbook, copy)
    export = _export(workbook)
    rows = _export_rows(workbook)

    def floor() -> None:
        for path in (export, copy):
            book = python_calamine.CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        FileWorkbook(copy).apply(Changes(append={"invoices": rows}))

    return _measure(floor)


CHILD_STEPS: dict[str, Callable[[Path, dt.date, Path], dict[str, Any]]] = {
    "floor": _step_floor,
    "read": _step_read,
    "validation": _step_validation,
    "rating": _step_rating,
    "ageing_alerts": _step_ageing_alerts,
    "write": _step_write,
    "import_floor": _step_import_floor,
}


# --------------------------------------------------------------------------- running (parent)


def _in_fresh_process(step: str, workbook: Path, today: dt.date, reports: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"bench-{step}-") as scratch:
        done = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--child-step",
                step,
                "--workbook",
                str(workbook),
                "--today",
                today.isoformat(),
                "--scratch",
                scratch,
                "--reports",
                str(reports),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"step {step} failed:\n{done.stderr[-4000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _cli_command() -> list[str]:
    script = Path(sys.executable).with_name("credit-register")
    if script.exists():
        return [str(script)]
    return [
        sys.executable,
        "-c",
        "import sys; from credit_register.cli import main; sys.exit(main())",
    ]


def _full_run(workbook: Path, *command: str) -> dict[str, Any]:
    """``credit-register run`` (or another command) on a copy, as a user types it: start-up and
    imports included."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as scratch:
        copy = Path(scratch) / "credit_register.xlsm"
        shutil.copyfile(workbook, copy)
        start = time.perf_counter()
        child = subprocess.Popen(
            [*_cli_command(), *(command or ("run",)), str(copy), *_arguments(command)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
        if child.stderr:
            child.stderr.close()
    # 0 = done, 1 = done with data errors listed, 3 = done with orders on hold
    if child.returncode not in (0, 1, 3):
        what = " ".join(command or ("run",))
        raise RuntimeError(f"credit-register {what} failed ({child.returncode}):\n{stderr[-4000:]}")
    return {
        "seconds": seconds,
        "peak_mb": _max_rss_mb(usage),
        "added_mb": None,
        "memory_method": "wait4 max RSS of the CLI process",
        "exit_code": child.returncode,
    }


def _arguments(command: tuple[str, ...]) -> list[str]:
    """What follows the register on the command line: the export, for an import."""
    return [str(_EXPORT_PATH[0])] if command == ("import",) else []


#: the export of the run in progress (set once it is built or found in the cache)
_EXPORT_PATH: list[Path] = []

#: the headers of a Kingdee 应收单列表 export, in the order the register's invoice sheet holds
#: the same facts (number, date, customer, currency, amount, due date, paid)
KINGDEE_HEADERS = ("单据编号", "业务日期", "客户", "币别", "价税合计", "到期日", "已收金额")
#: currency codes as a Kingdee user's export names them
_CURRENCY_NAMES = {"CNY": "人民币", "USD": "美元", "EUR": "欧元", "JPY": "日元", "SGD": "新加坡元"}


def _export(workbook: Path) -> Path:
    """The benchmark's invoice export, built from the register's invoices once and cached beside
    it: a report title and a unit line above Kingdee's Chinese headers, customers by name,
    currencies by name, every invoice under a new number (so the import appends as many rows as
    the register holds)."""
    import python_calamine
    import xlsxwriter

    path = workbook.with_name(workbook.stem + "_export.xlsx")
    if path.exists():
        return path
    book = python_calamine.CalamineWorkbook.from_path(str(workbook))
    names = {r[0]: r[1] for r in book.get_sheet_by_name("客户").to_python()[1:]}
    invoices = book.get_sheet_by_name("应收发票").to_python(skip_empty_area=False)[1:]
    temp = path.with_name(f".{path.name}.tmp")
    out = xlsxwriter.Workbook(str(temp), {"constant_memory": True})
    sheet = out.add_worksheet("应收单列表")
    date = out.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["应收单列表"])
    sheet.write_row(1, 0, ["金额单位：元"])
    sheet.write_row(
        2, 0, ["单据编号", "业务日期", "客户", "币别", "价税合计", "到期日", "已收金额", "备注"]
    )
    for at, (number, customer, issued, due, currency, amount, paid, *_) in enumerate(invoices, 3):
        sheet.write_string(at, 0, "N" + str(number))
        if isinstance(issued, dt.date):
            sheet.write_datetime(at, 1, issued, date)
        sheet.write_string(at, 2, str(names.get(customer, customer)))
        sheet.write_string(at, 3, _CURRENCY_NAMES.get(str(currency), str(currency)))
        sheet.write_number(at, 4, amount)
        if isinstance(due, dt.date):
            sheet.write_datetime(at, 5, due, date)
        if paid != "":
            sheet.write_number(at, 6, paid)
    out.close()
    os.replace(temp, path)
    return path


def _reports_available() -> bool:
    try:
        spec = importlib.util.find_spec("credit_register.app.document_actions")
    except ImportError:
        return False
    if spec is None:
        return False
    return hasattr(importlib.import_module("credit_register.app.document_actions"), "report_docs")


def _summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    seconds = [r["seconds"] for r in runs]
    added = [r["added_mb"] for r in runs if r.get("added_mb") is not None]
    summary: dict[str, Any] = {
        "status": "measured",
        "seconds_best": round(min(seconds), 3),
        "seconds_median": round(statistics.median(seconds), 3),
        "runs": [round(s, 3) for s in seconds],
        "peak_mb": round(max(r["peak_mb"] for r in runs), 1),
        "added_mb": round(max(added), 1) if added else None,
        "memory_method": runs[0]["memory_method"],
    }
    if "count" in runs[0]:
        summary["count"] = runs[0]["count"]
    return summary


# --------------------------------------------------------------------------- the register


def _size(args: argparse.Namespace) -> Any:
    from credit_register.tools.demo import DemoSize

    base = DemoSize.large() if args.size == "large" else DemoSize()

    def scaled(value: int, factor: float) -> int:
        return max(1, round(value * factor))

    def scaled_story(value: int | None, factor: float) -> int | None:
        # None means "what the story gives", which scales with the customers by itself
        return None if value is None else scaled(value, factor)

    return dataclasses.replace(
        base,
        customers=scaled(base.customers, args.customers),
        statements=scaled_story(base.statements, args.customers),
        orders=scaled(base.orders, args.customers),
        bureau_reports=scaled_story(base.bureau_reports, args.customers),
        invoices=scaled(base.invoices, args.invoices),
        payments=scaled_story(base.payments, args.invoices),
    )


def _code_version() -> str:
    import credit_register

    package = Path(credit_register.__file__).parent
    digest = hashlib.sha256(credit_register.__version__.encode())
    for pattern in BUILD_SOURCES:
        for source in sorted(package.glob(pattern)):
            digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def _register(size: Any, as_of: dt.date, cache: Path) -> tuple[Path, float | None]:
    """The cached benchmark register (built when missing) and the build's seconds, if built."""
    from credit_register.tools.build import build_workbook
    from credit_register.tools.demo import demo_tables

    size_key = hashlib.sha256(
        json.dumps([dataclasses.asdict(size), as_of.isoformat()], sort_keys=True).encode()
    ).hexdigest()[:12]
    # a Python identifier: the workbook's macro imports a module of the file's name
    path = cache / f"register_{size_key}_{_code_version()}.xlsm"
    if path.exists():
        return path, None
    cache.mkdir(parents=True, exist_ok=True)
    print(
        f"building the benchmark register {path.name} (set-up, not measured)…",
        file=sys.stderr,
        flush=True,
    )
    start = time.perf_counter()
    build_workbook(path, tables=demo_tables(size, as_of), as_of=as_of, overwrite=True)
    return path, time.perf_counter() - start


def _counts(size: Any) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(size).items() if k != "seed"} | {"seed": size.seed}


# --------------------------------------------------------------------------- targets, output


def _targets(steps: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    def seconds(key: str) -> float | None:
        step = steps.get(key, {})
        return step.get("seconds_median") if step.get("status") == "measured" else None

    floor = seconds("floor")
    import_floor = seconds("import_floor")
    run = steps.get("full_run", {})
    imported = steps.get("import", {})
    # fewer reports (a small register, --reports N) are held to the same pace: 60 s per 1,000
    count = steps.get("reports", {}).get("count", REPORTS_WANTED)
    reports_text = (
        "1,000 credit reports < 60 s"
        if count == REPORTS_WANTED
        else f"{count:,} credit reports < {60.0 * count / REPORTS_WANTED:.2f} s"
    )
    rows = [
        (
            "full_run",
            "full run ≤ 2 × calamine floor",
            seconds("full_run"),
            None if floor is None else 2 * floor,
            "s",
        ),
        (
            "full_run_stretch",
            "full run ≤ 1.5 × calamine floor (stretch)",
            seconds("full_run"),
            None if floor is None else 1.5 * floor,
            "s",
        ),
        ("rating", "rating and limits < 2 s", seconds("rating"), 2.0, "s"),
        ("ageing_alerts", "ageing and alerts < 1 s", seconds("ageing_alerts"), 1.0, "s"),
        ("reports", reports_text, seconds("reports"), 60.0 * count / REPORTS_WANTED, "s"),
        (
            "full_run_memory",
            "peak memory of the full run < 2 GB",
            run.get("peak_mb") if run.get("status") == "measured" else None,
            GB_LIMIT_MB,
            "MB",
        ),
        (
            "import",
            "import ≤ 2 × its floor",
            seconds("import"),
            None if import_floor is None else 2 * import_floor,
            "s",
        ),
        (
            "import_memory",
            "peak memory of the import < 2 GB",
            imported.get("peak_mb") if imported.get("status") == "measured" else None,
            GB_LIMIT_MB,
            "MB",
        ),
    ]
    targets = []
    for key, text, figure, limit, unit in rows:
        if figure is None or limit is None:
            status = "NOT MEASURED"
        else:
            status = "PASS" if figure <= limit else "MISSED"
        targets.append(
            {
                "key": key,
                "target": text,
                "figure": figure,
                "limit": None if limit is None else round(limit, 3),
                "unit": unit,
                "status": status,
            }
        )
    return targets


def _machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory_gb: float | None = None
    with contextlib.suppress(ValueError, OSError, AttributeError):
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1)
    load: list[float] | None = None
    with contextlib.suppress(OSError, AttributeError):
        # other work on the machine slows every figure: say how busy it was
        load = [round(x, 2) for x in os.getloadavg()]
    return {
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "cpu": cpu,
        "load_average": load,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f} MB" if unit == "MB" else f"{value:,.2f} s"


def table_text(result: dict[str, Any]) -> str:
    """The printed table: each step's figures, then each target with PASS/MISSED."""
    m = result["machine"]
    size = result["size"]
    lines = [
        f"Machine: {m['cores']} cores, {m['memory_gb']} GB, {m['cpu']}, Python {m['python']}, "
        f"{m['system']}; load average at the start {m.get('load_average')}",
        f"Register: {size['customers']:,} customers, {size['invoices']:,} invoices, "
        f"{size['payments'] or 0:,} payments ({Path(result['workbook']['path']).name}, "
        f"{result['workbook']['megabytes']} MB)",
        "",
        f"{'step':<36} {'median':>10} {'best':>10} {'peak RSS':>10} {'step adds':>10}",
    ]
    for step in STEPS:
        row = result["steps"][step.key]
        label = step.label
        if row.get("count") not in (None, REPORTS_WANTED):
            label = f"{row['count']:,} credit reports"
        if row["status"] != "measured":
            lines.append(f"{label:<36} {row['status']}")
            continue
        added = row["added_mb"]
        lines.append(
            f"{label:<36} {_figure(row['seconds_median'], 's'):>10} "
            f"{_figure(row['seconds_best'], 's'):>10} {_figure(row['peak_mb'], 'MB'):>10} "
            f"{_figure(added, 'MB') if added is not None else '—':>10}"
        )
    lines += ["", f"{'target':<40} {'figure':>10} {'limit':>10}  result"]
    for t in result["targets"]:
        lines.append(
            f"{t['target']:<40} {_figure(t['figure'], t['unit']):>10} "
            f"{_figure(t['limit'], t['unit']):>10}  {t['status']}"
        )
    return "\n".join(lines)


def markdown_table(result: dict[str, Any]) -> str:
    """The README's benchmark table of a result, so the published figures are a run's."""
    m, size = result["machine"], result["size"]
    lines = [
        f"Measured {result['when'][:10]} on {m['cores']} cores, {m['memory_gb']} GB, {m['cpu']}, "
        f"Python {m['python']} ({m['system']}; load average at the start "
        f"{m.get('load_average')}); register of {size['customers']:,} customers, "
        f"{size['invoices']:,} invoices, {size['payments'] or 0:,} payments "
        f"({result['workbook']['megabytes']} MB); median of {result['repeat']} run(s) per step.",
        "",
        "| Step | Median | Best | Peak RSS | Step adds | Target | Result |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    by_step = {
        "full_run": ["full_run", "full_run_stretch", "full_run_memory"],
        "import": ["import", "import_memory"],
        "rating": ["rating"],
        "ageing_alerts": ["ageing_alerts"],
        "reports": ["reports"],
    }
    targets = {t["key"]: t for t in result["targets"]}
    for step in STEPS:
        row = result["steps"][step.key]
        label = step.label
        if row.get("count") not in (None, REPORTS_WANTED):
            label = f"{row['count']:,} credit reports"
        goals = [targets[k] for k in by_step.get(step.key, []) if k in targets]
        target = "; ".join(t["target"] for t in goals) or "—"
        verdict = "; ".join(f"**{t['status']}**" for t in goals) or "—"
        if row["status"] != "measured":
            lines.append(f"| {label} | {row['status']} | | | | {target} | {verdict} |")
            continue
        added = _figure(row["added_mb"], "MB") if row["added_mb"] is not None else "—"
        lines.append(
            f"| {label} | {_figure(row['seconds_median'], 's')} | "
            f"{_figure(row['seconds_best'], 's')} | {_figure(row['peak_mb'], 'MB')} | {added} | "
            f"{target} | {verdict} |"
        )
    return "\n".join(lines)


def run_bench(args: argparse.Namespace) -> dict[str, Any]:
    from credit_register.tools.demo import DEMO_AS_OF

    size = _size(args)
    workbook, build_seconds = _register(size, DEMO_AS_OF, args.cache_dir)
    if not args.skip_import:
        print("building the benchmark export (set-up, not measured)…", file=sys.stderr, flush=True)
        _EXPORT_PATH[:] = [_export(workbook)]
    today = dt.date.today()
    steps: dict[str, dict[str, Any]] = {}
    for step in STEPS:
        if step.key == "reports" and args.skip_reports:
            steps[step.key] = {"status": "skipped (--skip-reports)"}
            continue
        if step.key == "reports" and not _reports_available():
            steps[step.key] = {"status": "not available yet"}
            continue
        if step.key in ("import", "import_floor") and args.skip_import:
            steps[step.key] = {"status": "skipped (--skip-import)"}
            continue
        if args.only and step.key not in args.only:
            steps[step.key] = {"status": "skipped (--only)"}
            continue
        runs = []
        for n in range(args.repeat):
            print(f"  {step.label} ({n + 1}/{args.repeat})…", file=sys.stderr, flush=True)
            if step.key == "full_run":
                runs.append(_full_run(workbook))
            elif step.key == "import":
                runs.append(_full_run(workbook, "import"))
            else:
                runs.append(_in_fresh_process(step.key, workbook, today, args.reports))
        steps[step.key] = _summarise(runs)
    return {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": _machine(),
        "size": {
            "name": args.size,
            "customers_factor": args.customers,
            "invoices_factor": args.invoices,
            **_counts(size),
        },
        "as_of": DEMO_AS_OF.isoformat(),
        "today": today.isoformat(),
        "repeat": args.repeat,
        "workbook": {
            "path": str(workbook),
            "megabytes": round(workbook.stat().st_size / MB, 1),
            "code_version": _code_version(),
            "build_seconds": None if build_seconds is None else round(build_seconds, 1),
        },
        "steps": steps,
        "targets": _targets(steps),
    }


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--size",
        choices=["large", "small"],
        default="large",
        help="large: DemoSize.large() (default); small: the shipped demo's size",
    )
    parser.add_argument(
        "--customers",
        type=float,
        default=1.0,
        help="scale customers, statements, orders and bureau reports (default 1)",
    )
    parser.add_argument(
        "--invoices", type=float, default=1.0, help="scale invoices and payments (default 1)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs per step, each in a fresh process (best and median shown)",
    )
    parser.add_argument("--skip-reports", action="store_true", help="leave out the reports step")
    parser.add_argument(
        "--skip-import", action="store_true", help="leave out the import and its floor"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=[step.key for step in STEPS],
        help="measure only these steps (the others are reported as skipped)",
    )
    parser.add_argument(
        "--reports",
        type=int,
        default=REPORTS_WANTED,
        help=f"how many credit reports (default {REPORTS_WANTED:,}; the target is for 1,000)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=RESULTS / "latest.json",
        help="the JSON result (default bench/results/latest.json)",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=RESULTS,
        help="where the built register is cached (default bench/results)",
    )
    parser.add_argument(
        "--markdown",
        type=Path,
        metavar="RESULT_JSON",
        help="print the README table of a result file and stop",
    )
    # one measured step in this (fresh) process: the parent's business, not the user's
    parser.add_argument(
        "--child-step", choices=[*sorted(CHILD_STEPS), "reports"], help=argparse.SUPPRESS
    )
    parser.add_argument("--workbook", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.child_step == "reports":
        figures = _step_reports(args.workbook, args.today, args.scratch, args.reports)
        print(json.dumps(figures))
        return 0
    if args.child_step:
        figures = CHILD_STEPS[args.child_step](args.workbook, args.today, args.scratch)
        print(json.dumps(figures))
        return 0
    if args.markdown:
        print(markdown_table(json.loads(args.markdown.read_text(encoding="utf-8"))))
        return 0
    if args.repeat < 1:
        build_parser().error("--repeat must be at least 1")
    result = run_bench(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table_text(result))
    print(f"\n(written to {args.out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
