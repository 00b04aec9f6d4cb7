"""Every limit rule binding in turn, the pace rules, terms and review dates — by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from credit_register.engines import limits
from credit_register.policy import DEFAULT_POLICY
from support.frames import one_row

M = 1_000_000.0
BASE = {
    "grade": "A",
    "previous_grade": None,
    "knocked": False,
    "expected_monthly_sales": 1e5,
    "payment_terms_days": 30.0,
    "approved_limit": np.nan,
    "insured_limit": np.nan,
    "tangible_net_worth": 10 * M,
    "working_capital": 10 * M,
    "revenue": 100 * M,
    "bureau_limit": np.nan,
    "group": None,
}


def propose(**rows: dict[str, object]) -> pd.DataFrame:
    frame = pd.DataFrame([{**BASE, **row} for row in rows.values()], index=list(rows))
    policy = DEFAULT_POLICY.model_copy(update={"group_limits": {"G": 200_000.0}})
    return limits.propose_limits(frame, policy)


def outcome(got: pd.DataFrame, customer: str) -> list[object]:
    """One customer's proposed limit and the rule that bound it."""
    return one_row(got, customer).tolist()


def test_each_rule_binds_in_turn() -> None:
    # grade A: 12 % of TNW, 12 % of WC, 6 % of revenue; need = sales × (30 + 15) / 30
    got = propose(
        need={"expected_monthly_sales": 100_000.0},  # 150,000
        tnw={"expected_monthly_sales": M, "tangible_net_worth": 5 * M},  # 600,000
        wc={"expected_monthly_sales": M, "working_capital": 4 * M},  # 480,000
        revenue={"expected_monthly_sales": M, "revenue": 5 * M},  # 300,000
        insured={"expected_monthly_sales": M, "insured_limit": 100_000.0},  # 100k + 200k A
        bureau={"bureau_limit": 123_456.0},  # → 120,000
        group_1={"group": "G"},
        group_2={"group": "G"},  # 300k pooled > 200k
        knock_out={"knocked": True, "grade": "C"},
        nothing={
            "expected_monthly_sales": np.nan,
            "tangible_net_worth": np.nan,
            "working_capital": np.nan,
            "revenue": np.nan,
        },
        rounded={"expected_monthly_sales": 103_703.0},  # 155,554.5
    )
    assert got["binding_rule"].to_dict() == {
        "need": "need",
        "tnw": "capacity_tnw",
        "wc": "capacity_wc",
        "revenue": "capacity_revenue",
        "insured": "insured",
        "bureau": "bureau_cap",
        "group_1": "group",
        "group_2": "group",
        "knock_out": "knock_out",
        "nothing": "no_basis",
        "rounded": "need",
    }
    assert got["proposed_limit"].to_dict() == {
        "need": 150_000,
        "tnw": 600_000,
        "wc": 480_000,
        "revenue": 300_000,
        "insured": 300_000,
        "bureau": 120_000,
        "group_1": 100_000,
        "group_2": 100_000,
        "knock_out": 0,
        "nothing": 0,
        "rounded": 150_000,
    }


def test_negative_net_worth_gives_no_capacity() -> None:
    got = propose(weak={"tangible_net_worth": -5 * M})
    assert outcome(got, "weak") == [0.0, "capacity_tnw"]


def test_for_b_and_c_never_above_the_insured_limit() -> None:
    got = propose(b={"grade": "B", "insured_limit": 50_000.0, "expected_monthly_sales": M})
    assert outcome(got, "b") == [50_000.0, "insured"]


def test_the_step_cap_holds_a_rise_to_half_above_the_approved_limit() -> None:
    got = propose(
        up={"approved_limit": 100_000.0, "expected_monthly_sales": 200_000.0, "previous_grade": "A"}
    )
    assert outcome(got, "up") == [150_000.0, "step_cap"]


def test_a_cut_is_spread_unless_the_grade_falls_to_bb_or_worse() -> None:
    got = propose(
        steady={"approved_limit": M, "previous_grade": "A"},  # need 150,000
        downgraded={"approved_limit": M, "previous_grade": "A", "grade": "BB"},
        grade_c={"approved_limit": M, "previous_grade": "C", "grade": "C"},
    )
    assert outcome(got, "steady") == [500_000.0, "step_cap"]  # at most −50 % a review
    assert outcome(got, "downgraded") == [150_000.0, "need"]  # the cut at once
    assert outcome(got, "grade_c") == [0.0, "grade_c"]  # C carries nothing


def test_terms_and_security_follow_the_grade() -> None:
    grades = pd.Series(["AAA", "BB", "B", "C"])
    zh = limits.terms_and_security(grades, DEFAULT_POLICY, "zh")
    assert zh["recommended_terms_days"].tolist() == [90, 30, "预付30%，余款15天", "款到发货"]
    assert zh["security"].tolist() == [
        "无",
        "超出保险限额部分需担保或保证金",
        "担保及所有权保留",
        "款到发货或信用证",
    ]
    en = limits.terms_and_security(grades, DEFAULT_POLICY, "en")
    assert en["recommended_terms_days"].tolist()[2] == "30% prepayment, balance 15 days"


def test_next_review_by_grade_at_once_after_knock_out_or_two_notches() -> None:
    as_of = dt.date(2026, 10, 31)
    grade = pd.Series(["A", "BBB", "B", "A", "BB", "A"])
    previous = pd.Series([None, "BBB", "B", "A", "A", "A"])
    knocked = pd.Series([False, False, False, True, False, False])
    scheduled = pd.Series([pd.NaT, pd.NaT, pd.NaT, pd.NaT, pd.NaT, pd.Timestamp("2027-02-28")])
    got = limits.next_review(grade, previous, knocked, scheduled, as_of, DEFAULT_POLICY)
    assert [d.date().isoformat() for d in got] == [
        "2027-10-31",
        "2027-04-30",
        "2027-01-31",
        "2026-10-31",
        "2026-10-31",
        "2027-02-28",
    ]


def test_binding_rules_are_shown_in_the_workbook_language() -> None:
    keys = pd.Series(["capacity_tnw", "step_cap"])
    assert limits.binding_label(keys, "zh").tolist() == ["有形净资产", "单次调整幅度"]
    assert limits.binding_label(keys, "en").tolist() == ["tangible net worth", "step cap"]
