"""Rating a small register end to end (``tests/support/rating_story.py``): the Ratings rows,
History rows, approving a limit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from credit_register.core import schema
from credit_register.engines import rating
from credit_register.policy import DEFAULT_POLICY
from support.rating_story import AS_OF, register

WHEN = dt.datetime(2026, 10, 31, 9, 30)


def items() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "invoice_no": ["I1", "I2"],
            "customer_id": ["C1", "C2"],
            "invoice_date": [pd.Timestamp("2026-08-01"), pd.Timestamp("2026-01-01")],
            "due_date": [pd.Timestamp("2026-08-31"), pd.Timestamp("2026-01-31")],
            "amount": [100_000.0, 80_000.0],
            "paid": [100_000.0, 0.0],
            "settled_on": [pd.Timestamp("2026-08-31"), pd.NaT],
            "days_overdue": [0, 273],
            "disputed": [False, False],
        }
    )
    frame["amount_base"] = frame["amount"]
    frame["outstanding"] = frame["amount"] - frame["paid"]
    frame["outstanding_base"] = frame["outstanding"]
    return frame


def rated(reg: Any, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    exposure = pd.Series({"C1": 200_000.0, "C2": 80_000.0})
    out = rating.rate(
        reg, DEFAULT_POLICY, as_of=AS_OF, items=items(), exposure=exposure, previous=previous
    )
    return out.set_index("customer_id", drop=False)


def test_every_valid_customer_gets_a_row_with_grade_limit_and_drivers() -> None:
    out = rated(register())
    assert list(out.columns) == [c.key for c in schema.RATINGS.columns]
    assert out.index.tolist() == ["C1", "C2", "C3"]
    c1 = out.loc["C1"]
    # Z″ = 6.56·0.30 + 3.26·0.20 + 6.72·0.14 + 1.05·(6/4)
    assert c1["zscore"] == pytest.approx(round(1.968 + 0.652 + 0.9408 + 1.575, 2))
    assert c1["zscore_zone"] == "安全区"
    assert c1["utilization"] == pytest.approx(200_000 / 250_000)
    assert c1["drivers"] and c1["knock_out"] == ""
    assert c1["grade"] in ("AAA", "AA", "A")
    # the step cap: need 300,000 > 250,000 × 1.5? no — need binds
    assert c1["proposed_limit"] == 300_000
    assert c1["binding_rule"].startswith("经营需求 CNY 300,000｜需求 CNY 300,000")
    c2 = out.loc["C2"]
    assert c2["grade"] == "C" and c2["proposed_limit"] == 0
    assert c2["knock_out"] == "客户状态为诉讼；发票逾期超过180天"
    assert c2["binding_rule"].startswith("否决项｜") and c2["next_review"] == pd.Timestamp(AS_OF)
    assert out.loc["C3", "data_gaps"] == "无财务报表；近12个月无付款记录；无征信报告"


def test_rating_twice_logs_nothing_and_a_changed_statement_logs_exactly_its_changes() -> None:
    first = rated(register())
    history = rating.rating_history(None, first, when=WHEN, user="li", lang="zh")
    assert len(history) == 6  # grade and proposed limit of three new customers
    assert history[0][:6] == [WHEN, "li", "评级", "C1", "信用等级", None]
    second = rated(register(), previous=first)
    assert second["previous_grade"]["C1"] == first["grade"]["C1"]
    assert rating.rating_history(first, second, when=WHEN, user="li", lang="zh") == []
    # C1's statement turns bad (losses, more debt than assets): its grade and limit fall
    third = rated(register(liabilities=12_000_000, profit=-3_000_000), previous=second)
    rows = rating.rating_history(second, third, when=WHEN, user="li", lang="en")
    assert {(r[3], r[4]) for r in rows} == {("C1", "Grade"), ("C1", "Proposed limit")}
    grade_row = next(r for r in rows if r[4] == "Grade")
    assert grade_row[5:7] == [second.loc["C1", "grade"], third.loc["C1", "grade"]]


def test_approving_writes_the_limit_cell_and_a_history_row() -> None:
    reg = register()
    out = rated(reg)
    cells, history, issues = rating.approve(
        reg, out.reset_index(drop=True), "C1", None, "年度评审", "li", WHEN
    )
    assert issues == []
    column = reg.tables["customers"].cell("approved_limit", 2)
    assert cells == {column: 300_000.0}
    assert history == [[WHEN, "li", "核定额度", "C1", "核定额度", 250_000.0, 300_000.0, "年度评审"]]
    assert rating.approve(reg, None, "C9", 1.0, "x", "li", WHEN)[2][0].zh == "未找到客户“C9”"
    no_reason = rating.approve(reg, None, "C1", 1.0, " ", "li", WHEN)
    assert no_reason[0] == {} and no_reason[2][0].severity == "error"
