"""Ratios and Altman Z″ on a statement worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from credit_register.engines import ratios
from credit_register.policy import DEFAULT_POLICY


def statement(**over: object) -> pd.DataFrame:
    row: dict[str, object] = {
        "customer_id": "A",
        "period_end": pd.Timestamp("2025-12-31"),
        "period_months": 12,
        "currency": None,
        "revenue": 1000.0,
        "cost_of_sales": 700.0,
        "profit_before_tax": 60.0,
        "interest_expense": 20.0,
        "ebit": None,
        "net_profit": 45.0,
        "cash": 50.0,
        "receivables": 150.0,
        "inventory": 100.0,
        "current_assets": 400.0,
        "intangible_assets": 20.0,
        "total_assets": 1000.0,
        "current_liabilities": 250.0,
        "total_liabilities": 600.0,
        "equity": None,
        "retained_earnings": 200.0,
        "operating_cash_flow": 50.0,
        "_row": 2,
    }
    row.update(over)
    return pd.DataFrame([row])


def test_every_ratio_of_a_hand_worked_statement() -> None:
    r = ratios.statement_ratios(statement()).iloc[0]
    assert r["roa"] == pytest.approx(45 / 1000)
    assert r["debt_ratio"] == pytest.approx(0.60)
    assert r["wc_ta"] == pytest.approx((400 - 250) / 1000)
    assert r["current_ratio"] == pytest.approx(1.6)
    assert r["quick_ratio"] == pytest.approx((400 - 100) / 250)
    assert r["re_ta"] == pytest.approx(0.20)
    assert r["ebit_ta"] == pytest.approx(0.08)  # EBIT blank: 60 + 20
    assert r["equity_tl"] == pytest.approx(400 / 600)  # equity blank: 1000 - 600
    assert r["net_margin"] == pytest.approx(0.045)
    assert r["gross_margin"] == pytest.approx(0.30)
    assert r["interest_cover"] == pytest.approx(4.0)
    assert r["ocf_cl"] == pytest.approx(0.20)
    # Z″ = 6.56·0.15 + 3.26·0.20 + 6.72·0.08 + 1.05·(400/600)
    assert r["zscore"] == pytest.approx(0.984 + 0.652 + 0.5376 + 0.7)


def test_zero_denominators_and_missing_inputs_are_unknown_not_errors() -> None:
    r = ratios.statement_ratios(
        statement(
            current_liabilities=0.0, interest_expense=0.0, inventory=None, retained_earnings=None
        )
    ).iloc[0]
    assert pd.isna(r["current_ratio"]) and pd.isna(r["interest_cover"])
    assert pd.isna(r["quick_ratio"]) and pd.isna(r["re_ta"]) and pd.isna(r["zscore"])


def test_a_half_year_statement_is_annualised_for_returns_not_for_margins() -> None:
    r = ratios.statement_ratios(statement(period_months=6)).iloc[0]
    assert r["roa"] == pytest.approx(0.09)
    assert r["net_margin"] == pytest.approx(0.045)


def test_zones_use_the_z2_edges_and_the_ems_has_its_own_scale() -> None:
    z = pd.Series([0.5, 1.10, 2.60, 2.61])
    assert ratios.zscore_zone(z, DEFAULT_POLICY.zscore).tolist() == [
        "distress",
        "grey",
        "grey",
        "safe",
    ]
    # the 3.25 trap: Z″ 0.5 is distress; its EMS 3.75 must not be read as "safe" (> 2.60)
    ems = ratios.emerging_market_score(pd.Series([0.5]))
    assert ems.iloc[0] == pytest.approx(3.75)
    assert ratios.ems_rating(ems).tolist() == ["B-"]
    assert ratios.zscore_zone(pd.Series([0.5]), DEFAULT_POLICY.zscore).tolist() == ["distress"]


def test_latest_statement_and_its_change_against_the_one_before() -> None:
    frames = pd.concat(
        [
            statement(period_end=pd.Timestamp("2024-12-31"), total_liabilities=500.0, _row=3),
            statement(_row=2),
        ],
        ignore_index=True,
    )
    latest = ratios.latest_statements(frames)
    assert latest.loc["A", "debt_ratio"] == pytest.approx(0.60)
    assert latest.loc["A", "debt_ratio_change"] == pytest.approx(0.10)
    assert latest.loc["A", "tangible_net_worth"] == pytest.approx(400 - 20)
    assert latest.loc["A", "working_capital"] == pytest.approx(150)
