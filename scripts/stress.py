"""Concurrent writers on one register: no approval lost, no History row duplicated.

    .venv/bin/python scripts/stress.py [--size large|small] [--customers F] [--invoices F]
        [--pairs N] [--out stress/latest.json]

A scheduled ``run`` and a colleague's ``approve`` on the same file at the same time used to lose
work: the approval (its limit and its History row) vanished in 2 of 15 tries, and two concurrent
runs logged every grade change twice. This script starts ``--pairs`` pairs of real
``credit-register run`` and ``credit-register approve`` processes on one copy of a register, all
at once, lets them finish (each waits for the register's lock), then reads the register back and
checks what a user would check:

- every approval is there: the customer's approved limit is the one approved, with exactly one
  History row for it;
- no History row says the same thing twice (same action, customer, field, old and new value);
- every process ended normally (0, or 1: validation issues listed).

The register is the benchmark's (``scripts/bench.py`` builds and caches it; the same options
scale it): ``make stress`` runs 20 pairs on 100,000 invoices; the test suite runs 5 pairs on
5,000. The figures (wall time, each process's time and peak memory) are printed and written as
JSON. Exit status 0 when every check holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def _load_bench() -> Any:
    """The benchmark script beside this one: its register builder and process helpers."""
    spec = importlib.util.spec_from_file_location("bench", Path(__file__).with_name("bench.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module
    spec.loader.exec_module(module)
    return module


bench = _load_bench()

ROOT = Path(__file__).resolve().parents[1]
APPROVED_REASON = "stress test approval"


def _customers(workbook: Path, count: int) -> list[str]:
    """``count`` customers of the register that approve can find (valid rows)."""
    from credit_register.adapters.xlsx import FileWorkbook
    from credit_register.app.pipeline import load_register

    book = FileWorkbook(workbook)
    loaded = load_register(book.read(), book.label, today=dt.date.today())
    ids = loaded.register.frame("customers")["customer_id"].dropna().astype(str).tolist()
    if len(ids) < count:
        raise SystemExit(f"the register has {len(ids)} customers, fewer than {count} pairs")
    return ids[:count]


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )


def run_pairs(workbook: Path, pairs: int) -> dict[str, Any]:
    """Start ``pairs`` run/approve pairs at once on ``workbook``; their outcome and figures."""
    customers = _customers(workbook, pairs)
    limits = {c: 1000.0 * (n + 7) * 13 for n, c in enumerate(customers)}
    env = {**os.environ, "CREDIT_REGISTER_WAIT_SECONDS": "3600"}
    cli = bench._cli_command()
    children: list[tuple[str, subprocess.Popen[bytes]]] = []
    start = time.perf_counter()
    for customer in customers:
        children.append(("run", _start([*cli, "run", str(workbook)], env)))
        approve = [
            *cli,
            "approve",
            str(workbook),
            "--customer",
            customer,
            "--limit",
            str(limits[customer]),
            "--reason",
            APPROVED_REASON,
        ]
        children.append((f"approve {customer}", _start(approve, env)))
    processes = []
    by_pid = {child.pid: (what, child) for what, child in children}
    while by_pid:
        pid, status, usage = os.wait4(-1, 0)
        if pid not in by_pid:
            continue
        what, child = by_pid.pop(pid)
        stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
        if child.stderr:
            child.stderr.close()
        child.returncode = os.waitstatus_to_exitcode(status)
        processes.append(
            {
                "what": what,
                "exit_code": child.returncode,
                "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
                "peak_mb": round(bench._max_rss_mb(usage), 1),
                "stderr": stderr[-2000:],
            }
        )
    wall = time.perf_counter() - start
    return {
        "pairs": pairs,
        "wall_seconds": round(wall, 1),
        "processes": processes,
        "checks": check_register(workbook, limits),
    }


def check_register(workbook: Path, limits: dict[str, float]) -> dict[str, Any]:
    """Read the register back: approvals kept, History without repeats."""
    from credit_register.adapters.xlsx import FileWorkbook
    from credit_register.app.pipeline import load_register

    book = FileWorkbook(workbook)
    register = load_register(book.read(), book.label, today=dt.date.today()).register
    customers = register.tables["customers"].frame.set_index("customer_id")
    history = register.tables["history"].frame
    approved = pd.to_numeric(customers["approved_limit"], errors="coerce")
    lost = [c for c, limit in limits.items() if not abs(approved.get(c, np.nan) - limit) <= 0.005]
    approvals = history.loc[history["reason"] == APPROVED_REASON, "customer_id"].astype(str)
    counted = collections.Counter(approvals)
    approval_rows = {c: counted.get(c, 0) for c in limits}
    said = history[["user", "action", "customer_id", "field", "old", "new", "reason"]].astype(str)
    repeated = int(said.duplicated().sum())
    return {
        "approvals_lost": lost,
        "approval_history_rows": approval_rows,
        "repeated_history_rows": repeated,
        "history_rows": len(history),
    }


def passed(result: dict[str, Any]) -> bool:
    checks = result["checks"]
    return (
        not checks["approvals_lost"]
        and all(n == 1 for n in checks["approval_history_rows"].values())
        and checks["repeated_history_rows"] == 0
        and all(p["exit_code"] in (0, 1) for p in result["processes"])
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--size", choices=["large", "small"], default="large")
    parser.add_argument("--customers", type=float, default=1.0, help="scale customers (bench)")
    parser.add_argument("--invoices", type=float, default=1.0, help="scale invoices (bench)")
    parser.add_argument("--pairs", type=int, default=20, help="run/approve pairs (default 20)")
    parser.add_argument("--cache-dir", type=Path, default=bench.RESULTS)
    parser.add_argument("--out", type=Path, help="write the result as JSON here")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from credit_register.tools.demo import DEMO_AS_OF

    size = bench._size(args)
    master, _ = bench._register(size, DEMO_AS_OF, args.cache_dir)
    with tempfile.TemporaryDirectory(prefix="stress-") as scratch:
        workbook = Path(scratch) / "credit_register.xlsm"
        shutil.copyfile(master, workbook)
        result = run_pairs(workbook, args.pairs)
    result["register"] = {"invoices": size.invoices, "customers": size.customers}
    result["ok"] = passed(result)
    peak = max(p["peak_mb"] for p in result["processes"])
    print(
        f"{args.pairs} run/approve pairs on {size.invoices:,} invoices: "
        f"{result['wall_seconds']} s wall, peak {peak:,.0f} MB per process; "
        f"approvals lost {len(result['checks']['approvals_lost'])}, repeated History rows "
        f"{result['checks']['repeated_history_rows']} → {'PASS' if result['ok'] else 'FAIL'}"
    )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        print(json.dumps(result, ensure_ascii=False))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
