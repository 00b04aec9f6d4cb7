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


def terms(**rows: dict[str, object]) -> pd.DataFrame:
    """Every term of the proposal for each named row of inputs (``BASE`` unless given)."""
    frame = pd.DataFrame([{**BASE, **row} for row in rows.values()], index=list(rows))
    policy = DEFAULT_POLICY.model_copy(update={"group_limits": {"G": 200_000.0}})
    return limits.propose_limits(frame, policy)


def propose(**rows: dict[str, object]) -> pd.DataFrame:
    return terms(**rows)[["proposed_limit", "binding_rule"]]


def outcome(got: pd.DataFrame, customer: str) -> list[object]:
    """One customer's proposed limit and the rule that bound it."""
    return one_row(got, customer).tolist()


def fields(got: pd.DataFrame, customer: str, *columns: str) -> list[object]:
    """One customer's figures in ``columns``."""
    return one_row(got, customer)[list(columns)].tolist()


def figure(got: pd.DataFrame, customer: str, column: str) -> float:
    return float(one_row(got, customer)[column])


def said(text: pd.Series, customer: str) -> str:
    """One customer's ``binding_rule`` text."""
    return str(text.loc[customer])


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


def test_a_cut_is_never_floored_c00059_falls_to_its_capacity_at_once() -> None:
    # C00059 in the demo: grade B, approved 1,430,000, working capital 259,060 → 5 % = 12,953;
    # the old "fall at most 50 %" floor proposed 710,000, far above what it can carry
    got = propose(
        c00059={
            "grade": "B",
            "previous_grade": "B",
            "approved_limit": 1_430_000.0,
            "expected_monthly_sales": 392_000.0,
            "working_capital": 259_060.0,
        },
        steady={"approved_limit": M, "previous_grade": "A"},  # need 150,000: cut at once too
        grade_c={"approved_limit": M, "previous_grade": "C", "grade": "C"},
    )
    assert outcome(got, "c00059") == [10_000.0, "capacity_wc"]  # 12,953 down to the step
    assert outcome(got, "steady") == [150_000.0, "need"]
    assert outcome(got, "grade_c") == [0.0, "grade_c"]  # C carries nothing


def test_need_is_the_larger_of_the_formula_on_actual_invoicing_and_the_normal_peak() -> None:
    got = terms(
        # typed 100,000 a month but invoicing 300,000: formula on 300,000 × (60 + 15) / 30
        invoicing={"monthly_invoicing": 300_000.0, "payment_terms_days": 60.0},
        # P90 of daily exposure 400,000 + 80,000 of open orders beats 100,000 × 45 / 30
        peak={"peak_exposure": 400_000.0, "open_orders": 80_000.0},
        # nothing typed, no history: capacity alone (need left out)
        unknown={"expected_monthly_sales": np.nan},
    )
    assert fields(got, "invoicing", "need_formula", "need") == [750_000.0, 750_000.0]
    assert fields(got, "peak", "need_formula", "need_history", "need") == [
        150_000.0,
        480_000.0,
        480_000.0,
    ]
    assert figure(got, "peak", "proposed_limit") == 480_000.0
    assert np.isnan(figure(got, "unknown", "need"))
    assert fields(got, "unknown", "proposed_limit", "binding_rule") == [
        1_200_000.0,
        "capacity_tnw",
    ]


def test_a_bureau_limit_of_zero_c00027_is_a_warning_not_a_limit_of_zero() -> None:
    got = terms(zero={"bureau_limit": 0.0}, advised={"bureau_limit": 90_000.0})
    assert fields(got, "zero", "proposed_limit", "binding_rule", "bureau_zero") == [
        150_000.0,
        "need",
        True,
    ]
    assert fields(got, "advised", "proposed_limit", "binding_rule", "bureau_zero") == [
        90_000.0,
        "bureau_cap",
        False,
    ]
    text = limits.explain(got, DEFAULT_POLICY, "zh")
    assert "征信建议额度为0：警示信号，未作上限" in said(text, "zero")
    assert "征信建议额度为0" not in said(text, "advised")


def test_a_rise_is_capped_only_against_an_approved_limit() -> None:
    got = propose(
        approved={"approved_limit": 100_000.0, "expected_monthly_sales": 200_000.0},
        none_yet={"expected_monthly_sales": 200_000.0},
    )
    assert outcome(got, "approved") == [150_000.0, "step_cap"]  # 100,000 + 50 %
    assert outcome(got, "none_yet") == [300_000.0, "need"]  # 200,000 × 45 / 30


def test_the_excess_over_limit_shows_what_to_reduce_and_a_good_customer_is_explained() -> None:
    got = terms(
        # good (A, nothing overdue), owes 700,000, working capital carries 12 % × 4 M = 480,000
        good={
            "exposure": 700_000.0,
            "overdue": 0.0,
            "peak_exposure": 700_000.0,
            "working_capital": 4 * M,
        },
        # the same with money overdue: an excess, but no "good customer" finding
        late={
            "exposure": 700_000.0,
            "overdue": 50_000.0,
            "peak_exposure": 700_000.0,
            "working_capital": 4 * M,
        },
        within={"exposure": 100_000.0, "overdue": 0.0},
    )
    assert fields(got, "good", "proposed_limit", "binding_rule", "excess_over_limit") == [
        480_000.0,
        "capacity_wc",
        220_000.0,
    ]
    assert one_row(got, "good")["good_below_exposure"]
    assert not one_row(got, "late")["good_below_exposure"]
    assert np.isnan(figure(got, "within", "excess_over_limit"))
    text = limits.explain(got, DEFAULT_POLICY, "zh")
    assert said(text, "good").startswith("营运资金 CNY 480,000｜需求 CNY 700,000")
    assert "低于当前敞口 CNY 700,000，超额 CNY 220,000：受营运资金 CNY 480,000约束" in said(
        text, "good"
    )
    assert "低于当前敞口" not in said(text, "late")
    english = limits.explain(got, DEFAULT_POLICY, "en")
    assert "below today's exposure CNY 700,000, excess CNY 220,000" in said(english, "good")


def test_the_row_shows_every_term_with_its_figure_and_currency() -> None:
    got = terms(
        row={
            "approved_limit": 200_000.0,
            "insured_limit": 100_000.0,
            "bureau_limit": 246_450.0,
            "expected_monthly_sales": M,
        }
    )
    shown = pd.Series(["EUR 30,000 × 8.2150 = CNY 246,450"], index=["row"])
    text = said(limits.explain(got, DEFAULT_POLICY, "zh", shown), "row")
    assert text == (
        "征信建议额度 CNY 246,450｜"
        "需求 CNY 1,500,000（按销售 CNY 1,500,000；常态敞口峰值+在途订单 —）；"
        "有形净资产能力 CNY 1,200,000；营运资金能力 CNY 1,200,000；营业收入能力 CNY 6,000,000；"
        "保险上限 CNY 300,000；征信上限 EUR 30,000 × 8.2150 = CNY 246,450；"
        "调整上限 CNY 300,000（核定额度+50%）"
    )


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
