"""The monthly run on the demo register, as the credit manager presses the buttons: the engine
issues' acceptance lines, end to end through the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from credit_register.adapters.xlsx import FileWorkbook
from credit_register.cli import main
from credit_register.core.port import Changes
from credit_register.core.reader import load
from credit_register.tools.demo.cast import (
    BROKEN_PROMISE_CUSTOMER,
    DEFAULTED_CUSTOMER,
    GOOD_PAYERS,
    SLOW_PAYERS,
)

AS_OF = "2026-10-31"


def sheet(path: Path, tab: str) -> list[dict[str, object]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(tab).to_python()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(v != "" for v in row)]


@pytest.fixture
def ran(demo_copy: Callable[..., Path]) -> Path:
    path = demo_copy()
    assert main(["run", str(path), "--as-of", AS_OF]) == 0
    return path


def test_every_valid_customer_is_rated_with_drivers(ran: Path) -> None:
    ratings = sheet(ran, "评级")
    assert len(ratings) == 60
    assert len({r["信用等级"] for r in ratings}) >= 5
    assert all(r["主要因素"] for r in ratings)
    defaulted = next(r for r in ratings if r["客户编号"] == DEFAULTED_CUSTOMER)
    assert defaulted["信用等级"] == "C"
    assert "失信被执行人" in str(defaulted["否决项"])
    assert str(defaulted["额度约束"]).startswith("否决项｜")


def test_rating_twice_appends_nothing_and_a_changed_statement_appends_what_changed(
    ran: Path,
) -> None:
    history = len(sheet(ran, "变更日志"))
    assert main(["rate", str(ran), "--as-of", AS_OF]) == 0
    assert len(sheet(ran, "变更日志")) == history

    # a good payer's latest statement turns to a heavy loss
    book = FileWorkbook(ran)
    financials = load(
        book.read(), ran.name, today=__import__("datetime").date(2026, 11, 28)
    ).tables["financials"]
    frame = financials.frame
    mine = frame.loc[frame["customer_id"] == GOOD_PAYERS[0]].sort_values("period_end")
    row = int(mine["_row"].iloc[-1])
    total_assets = float(mine["total_assets"].iloc[-1])
    book.apply(
        Changes(
            cells={
                "financials": {
                    financials.cell("net_profit", row): -0.3 * total_assets,
                    financials.cell("retained_earnings", row): -0.4 * total_assets,
                    financials.cell("ebit", row): -0.25 * total_assets,
                }
            }
        )
    )
    before = {r["客户编号"]: r for r in sheet(ran, "评级")}
    assert main(["rate", str(ran), "--as-of", AS_OF]) == 0
    after = {r["客户编号"]: r for r in sheet(ran, "评级")}
    new_rows = sheet(ran, "变更日志")[history:]
    changed = {
        (customer, field)
        for customer in after
        for field, column in (("信用等级", "信用等级"), ("建议额度", "建议额度"))
        if before[customer][column] != after[customer][column]
    }
    assert changed, "the loss changes the customer's grade or limit"
    assert {(r["客户编号"], r["字段"]) for r in new_rows} == changed
    assert all(r["客户编号"] == GOOD_PAYERS[0] for r in new_rows)


def test_slow_payers_are_warned_and_the_defaulted_customer_is_blocked(ran: Path) -> None:
    alerts = sheet(ran, "预警")
    overdue = {
        r["客户编号"] for r in alerts if r["指标"] in ("最长逾期天数", "逾期占比", "逾期金额")
    }
    assert set(SLOW_PAYERS) <= overdue
    blocked = {r["客户编号"] for r in alerts if r["级别"] == "禁止"}
    assert DEFAULTED_CUSTOMER in blocked
    assert any(
        r["客户编号"] == BROKEN_PROMISE_CUSTOMER and "承诺" in str(r["指标"]) for r in alerts
    )


def test_a_closed_alert_stays_closed(ran: Path) -> None:
    alerts = sheet(ran, "预警")
    target = next(r for r in alerts if r["客户编号"] == DEFAULTED_CUSTOMER)
    book = FileWorkbook(ran)
    table = load(book.read(), ran.name, today=__import__("datetime").date(2026, 11, 28)).tables[
        "alerts"
    ]
    row = int(table.frame.loc[table.frame["alert_id"] == target["预警编号"], "_row"].iloc[0])
    book.apply(
        Changes(
            cells={
                "alerts": {
                    table.cell("status", row): "已关闭",
                    table.cell("comment", row): "已提起诉讼",
                }
            }
        )
    )
    assert main(["run", str(ran), "--as-of", AS_OF]) == 0
    again = next(r for r in sheet(ran, "预警") if r["预警编号"] == target["预警编号"])
    assert again["处理状态"] == "已关闭"
    assert again["处理意见"] == "已提起诉讼"


def test_check_order_holds_over_the_limit_and_releases_a_small_one(
    ran: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = GOOD_PAYERS[0]
    assert (
        main(["check-order", str(ran), "--customer", good, "--amount", "10000", "--as-of", AS_OF])
        == 0
    )
    assert "RELEASE" in capsys.readouterr().out
    assert (
        main(
            ["check-order", str(ran), "--customer", good, "--amount", "50000000", "--as-of", AS_OF]
        )
        == 3
    )
    out = capsys.readouterr().out
    assert "HOLD" in out and "超过核定额度" in out
    history = len(sheet(ran, "变更日志"))
    assert (
        main(
            [
                "check-order",
                str(ran),
                "--customer",
                good,
                "--amount",
                "50000000",
                "--override",
                "--reason",
                "总经理特批",
                "--as-of",
                AS_OF,
            ]
        )
        == 0
    )
    assert str(sheet(ran, "变更日志")[history]["原因"]).startswith("总经理特批")


def test_approve_writes_the_limit_and_history(ran: Path) -> None:
    good = GOOD_PAYERS[0]
    proposed = next(r for r in sheet(ran, "评级") if r["客户编号"] == good)["建议额度"]
    assert main(["approve", str(ran), "--customer", good, "--reason", "年度评审"]) == 0
    customer = next(r for r in sheet(ran, "客户") if r["客户编号"] == good)
    assert customer["核定额度"] == proposed
    last = sheet(ran, "变更日志")[-1]
    assert (last["客户编号"], last["原因"], last["新值"]) == (good, "年度评审", proposed)


def test_demo_runs_the_whole_monthly_cycle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no shipped workbook here: the demo builds its own
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    documents = tmp_path / "demo" / "documents"
    contracts = sorted(documents.glob("contract_C*.docx"))
    notes = sorted(documents.glob("contract_note_*.docx"))
    assert len(contracts) == len(notes) == 4  # three grades and a foreign buyer on its own terms
    grades = {
        r["客户编号"]: r["信用等级"]
        for r in sheet(tmp_path / "demo" / "credit_register.xlsm", "评级")
    }
    assert len({grades[p.name.split("_")[1]] for p in contracts}) == 3  # three different grades
    assert (documents / "handover_C00007_20261031" / "01_cover_memo.docx").exists()
    assert len(list(documents.glob("credit_report_*.docx"))) == 5
    letters = list(documents.glob("letter_*.docx"))
    assert letters
    logged = [
        r
        for r in sheet(tmp_path / "demo" / "credit_register.xlsm", "沟通记录")
        if r["类型"] == "催收" and r["记录人"] != "" and "函" in str(r["摘要"])
    ]
    assert len(logged) >= len(letters)
    assert len(list(documents.glob("review_pack_*.docx"))) == 1
    assert list((documents / "outbox").glob("*.eml"))
