"""One writer at a time: concurrent commands on one register lose no work and repeat nothing.

``run`` and ``approve`` on one file at the same time lost the approval in 2 of 15 tries, and two
concurrent runs logged every History row twice, each command reporting success. Here real
processes of the command line run at once on one register of about 5,000 invoices (``make
stress`` does 20 pairs on 100,000).
"""

from __future__ import annotations

import collections
import datetime as dt
import importlib
import os
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from credit_register.adapters import register_lock
from credit_register.adapters.xlsx import FileWorkbook
from credit_register.app.pipeline import current_user, load_register
from credit_register.cli import main
from credit_register.core.register import Register
from credit_register.tools.build import build_workbook
from credit_register.tools.demo import DEMO_AS_OF, DemoSize, demo_tables

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def stress_script() -> Any:
    sys.path.insert(0, str(SCRIPTS))
    try:
        return importlib.import_module("stress")
    finally:
        sys.path.remove(str(SCRIPTS))


def register_of(path: Path) -> Register:
    book = FileWorkbook(path)
    return load_register(book.read(), book.label, today=dt.date.today()).register


def test_five_concurrent_run_approve_pairs_keep_every_approval_and_repeat_nothing(
    tmp_path: Path,
) -> None:
    path = build_workbook(
        tmp_path / "credit_register.xlsm",
        tables=demo_tables(DemoSize(invoices=5000), DEMO_AS_OF),
        as_of=DEMO_AS_OF,
    )
    result = stress_script().run_pairs(path, 5)

    assert [p["exit_code"] for p in result["processes"]] == [0] * 10, result["processes"]
    register = register_of(path)
    customers = register.tables["customers"].frame.set_index("customer_id")
    history = register.tables["history"].frame
    approvals = history.loc[history["reason"] == "stress test approval"]
    approved = collections.Counter(approvals["customer_id"].astype(str))
    assert len(approved) == 5 and set(approved.values()) == {1}  # each approval logged once
    for customer in approved:
        row = approvals.loc[approvals["customer_id"] == customer].iloc[0]
        limit = pd.to_numeric(customers["approved_limit"]).loc[customer]
        assert limit == pytest.approx(float(str(row["new"])))
    # five runs: the first logs each customer's grade and proposal, the later ones only what
    # an approval changed; no change is ever logged twice (the same words at another time)
    said = history[["user", "action", "customer_id", "field", "old", "new", "reason"]].astype(str)
    assert not said.duplicated().any(), said[said.duplicated(keep=False)]
    ours = history["user"] == current_user()  # not the demo's month-end History before them
    graded = (ours & (history["field"] == "信用等级")).sum()
    assert graded == len(register.tables["ratings"].frame)


def test_a_second_writer_is_refused_naming_the_first(
    demo_copy: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_copy()
    before = path.read_bytes()
    monkeypatch.setenv("CREDIT_REGISTER_WAIT_SECONDS", "0.5")
    with register_lock.exclusive(path, "run"):
        code = main(["approve", str(path), "--customer", "C00001", "--limit", "1", "--reason", "x"])
    assert code == 2
    message = capsys.readouterr().err
    assert "'run'" in message and f"process {os.getpid()}" in message
    assert path.read_bytes() == before


def test_a_bad_wait_setting_is_named(
    demo_copy: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CREDIT_REGISTER_WAIT_SECONDS", "soon")
    assert main(["run", str(demo_copy())]) == 2
    assert "CREDIT_REGISTER_WAIT_SECONDS='soon'" in capsys.readouterr().err
