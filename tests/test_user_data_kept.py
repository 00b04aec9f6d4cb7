"""What the user wrote on the output sheets survives a run that cannot compute everything.

A renamed 客户 tab, or one bad cell in a customer's row, used to make ``run`` rewrite 评级 without
those customers and exit 0: the user's own column there was gone for good. Now a missing input
sheet leaves the engine sheets untouched, a customer left out for a data error keeps its rows
(marked "not computed: see Issues") and the user's columns, and ``run`` exits 1 so that a
scheduled job can tell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from credit_register.adapters.xlsx import FileWorkbook
from credit_register.app.outputs import NOT_COMPUTED
from credit_register.app.pipeline import load_register
from credit_register.cli import main
from credit_register.core.cells import column_letter
from credit_register.core.port import Changes
from credit_register.core.register import Register
from credit_register.core.schema import ALERTS, CUSTOMERS, RATINGS
from credit_register.tools.build import build_workbook
from credit_register.tools.demo import DEMO_AS_OF, demo_tables
from support.tampering import add_cell, rename_tab, set_cell_value
from support.zipparts import sheet_parts, zip_members

NOTE_HEADER = "我的备注"
#: a column right of every Ratings column, where a credit manager keeps notes
NOTE_COLUMN = column_letter(len(RATINGS.columns) + 3)


def cli(*args: str | Path) -> int:
    return main([str(a) for a in args])


def register_of(path: Path) -> Register:
    book = FileWorkbook(path)
    return load_register(book.read(), book.label, today=dt.date.today()).register


def with_notes(path: Path) -> dict[str, str]:
    """Run once, then write a note beside every rated customer on 评级 (the user's column)."""
    assert cli("run", path) == 0
    ratings = register_of(path).tables[RATINGS.key].frame
    notes = {str(c): f"跟进 {c}" for c in ratings["customer_id"]}
    add_cell(
        path,
        RATINGS.zh,
        f"{NOTE_COLUMN}1",
        f'<c r="{NOTE_COLUMN}1" t="inlineStr"><is><t>{NOTE_HEADER}</t></is></c>',
    )
    for customer, row in zip(ratings["customer_id"], ratings["_row"], strict=True):
        ref = f"{NOTE_COLUMN}{row}"
        add_cell(
            path,
            RATINGS.zh,
            ref,
            f'<c r="{ref}" t="inlineStr"><is><t>{notes[str(customer)]}</t></is></c>',
        )
    return notes


def notes_on_ratings(path: Path) -> dict[str, str]:
    table = register_of(path).tables[RATINGS.key]
    return {
        str(c): str(n)
        for c, n in zip(table.frame["customer_id"], table.extra[NOTE_HEADER], strict=True)
        if isinstance(n, str)
    }


def test_a_renamed_customers_tab_leaves_the_engine_sheets_and_the_users_column(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_copy()
    notes = with_notes(path)
    parts = sheet_parts(path)
    before = zip_members(path)
    rename_tab(path, CUSTOMERS.zh, "客户（旧）")
    capsys.readouterr()

    assert cli("run", path) == 1
    out = capsys.readouterr().out
    assert "缺失或没有可识别的表头" in out and "未计算" in out
    after = zip_members(path)
    for tab in (RATINGS.zh, "账龄", ALERTS.zh):
        assert after[parts[tab]] == before[parts[tab]], f"{tab} was rewritten"
    assert notes_on_ratings(path) == notes


def test_a_customer_with_a_bad_cell_keeps_its_rows_and_the_users_columns(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_copy()
    notes = with_notes(path)
    register = register_of(path)
    alerts = register.tables[ALERTS.key].frame
    customer = str(alerts["customer_id"].iloc[0])
    alert_row = int(alerts["_row"].iloc[0])
    comment = f"{column_letter(ALERTS.columns.index(ALERTS.column('comment')))}{alert_row}"
    FileWorkbook(path).apply(Changes(cells={ALERTS.key: {comment: "已电话催收，承诺月底付款"}}))
    customers = register.tables[CUSTOMERS.key].frame
    row = int(customers.loc[customers["customer_id"] == customer, "_row"].iloc[0])
    sales = column_letter(CUSTOMERS.columns.index(CUSTOMERS.column("expected_monthly_sales")))
    set_cell_value(path, CUSTOMERS.zh, f"{sales}{row}", "<is><t>一百万左右</t></is>")
    capsys.readouterr()

    assert cli("run", path) == 1  # a validation error was found
    out = capsys.readouterr().out
    assert f"客户!{sales}{row}" in out and "1 个客户因数据错误未参与计算" in out
    after = register_of(path)
    ratings = after.tables[RATINGS.key].frame.set_index("customer_id")
    assert ratings.loc[customer, "drivers"] == NOT_COMPUTED["zh"]
    earlier = register.tables[RATINGS.key].frame.set_index("customer_id")
    assert str(ratings.loc[customer, "grade"]) == str(earlier.loc[customer, "grade"])
    assert notes_on_ratings(path) == notes  # every note, the left-out customer's included
    assert customer in set(after.tables["ageing"].frame["customer_id"])  # still aged
    kept = after.tables[ALERTS.key].frame
    assert "已电话催收，承诺月底付款" in set(kept["comment"].dropna())


def test_a_deleted_header_leaves_the_engine_sheets_too(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_copy()
    notes = with_notes(path)
    set_cell_value(path, CUSTOMERS.zh, "A1", "<is><t>编号？</t></is>")  # the ID header retyped
    assert cli("run", path) == 1
    assert "未计算" in capsys.readouterr().out
    assert notes_on_ratings(path) == notes


def test_run_exits_1_when_validation_errors_were_found_even_with_no_customer_rated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = demo_tables()
    tables["customers"]["name"] = None  # a required cell blank in every customer's row
    path = build_workbook(tmp_path / "r.xlsm", tables=tables, as_of=DEMO_AS_OF)
    assert cli("run", path) == 1
    assert "已评级 0 个客户" in capsys.readouterr().out


def test_run_exits_0_on_a_clean_register(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli("run", demo_copy()) == 0
    assert "0 个错误" in capsys.readouterr().out
