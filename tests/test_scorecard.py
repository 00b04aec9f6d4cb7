"""The scorecard: thin files re-weighted, knock-outs, grades and drivers, figures by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from credit_register.engines import scorecard
from credit_register.policy import DEFAULT_POLICY
from credit_register.policy.model import PillarKey

IDS = pd.Index(["A", "B", "C", "D", "E"], name="customer_id")


def clean(index: pd.Index = IDS) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "enforcement": False,
            "abnormal_operation": False,
            "status": "active",
            "worst_days_overdue": 0.0,
        },
        index=index,
    )


def test_a_thin_file_is_scored_on_the_pillars_it_has_and_says_what_is_missing() -> None:
    ids = pd.Index(["A"])
    values: dict[PillarKey, pd.DataFrame] = {
        "bureau": pd.DataFrame(
            {"score": [0.90], "overdue_records": [0], "lawsuits": [2]}, index=ids
        ),
        "qualitative": pd.DataFrame(
            {
                "years": [4.0],
                "ownership": ["soe"],
                "key_account": pd.array([False], dtype="boolean"),
                "site_visit": [None],
            },
            index=ids,
        ),
    }
    card = scorecard.score(
        values, scorecard.knock_outs(clean(ids), DEFAULT_POLICY), DEFAULT_POLICY, "zh"
    ).iloc[0]
    # bureau: 0.6·100 + 0.2·100 + 0.2·30 = 86
    assert card["bureau_score"] == pytest.approx(86)
    # qualitative without the site visit: (0.40·70 + 0.25·90 + 0.15·60) / 0.80
    assert card["qualitative_score"] == pytest.approx(59.5 / 0.8)
    # pillars re-weighted: (20 % · 86 + 10 % · 74.375) / 30 %
    assert card["total_score"] == pytest.approx((0.2 * 86 + 0.1 * 74.375) / 0.3)
    assert card["grade"] == "AA"
    assert pd.isna(card["financial_score"]) and pd.isna(card["payment_score"])
    assert card["data_gaps"] == "无财务报表；近12个月无付款记录"


def test_each_knock_out_forces_grade_c_and_is_named() -> None:
    findings = clean()
    findings.loc["B", "enforcement"] = True
    findings.loc["C", "abnormal_operation"] = True
    findings.loc["D", "status"] = "legal"
    findings.loc["E", "worst_days_overdue"] = 181.0
    hit = scorecard.knock_outs(findings, DEFAULT_POLICY)
    strong: dict[PillarKey, pd.DataFrame] = {
        "bureau": pd.DataFrame({"score": 0.95, "overdue_records": 0, "lawsuits": 0}, index=IDS)
    }
    card = scorecard.score(strong, hit, DEFAULT_POLICY, "zh")
    assert card["total_score"].tolist() == [100.0] * 5
    assert card["grade"].tolist() == ["AAA", "C", "C", "C", "C"]
    assert card["knock_out"].tolist() == [
        "",
        "失信被执行人",
        "经营异常",
        "客户状态为诉讼",
        "发票逾期超过180天",
    ]
    drivers = card.loc["E", "drivers"]
    assert isinstance(drivers, str) and drivers.startswith("发票逾期超过180天；")
    # exactly 180 days is not beyond the limit
    findings.loc["E", "worst_days_overdue"] = 180.0
    assert not scorecard.knock_outs(findings, DEFAULT_POLICY).loc["E"].any()


def test_drivers_name_value_band_and_effect_largest_first() -> None:
    ids = pd.Index(["A"])
    values: dict[PillarKey, pd.DataFrame] = {
        "financial": pd.DataFrame({"debt_ratio": [0.82], "roa": [0.05]}, index=ids)
    }
    hit = scorecard.knock_outs(clean(ids), DEFAULT_POLICY)
    zh = scorecard.score(values, hit, DEFAULT_POLICY, "zh").iloc[0]
    # debt ratio 82 % is in (77.11 %, 87.45 %]: 17 points; ROA 5 % is in [4.16 %, 21.64 %): 79
    weights = 5.1 + 10.1
    assert zh["financial_score"] == pytest.approx((5.1 * 17 + 10.1 * 79) / weights)
    debt_effect = 5.1 / weights * (17 - 50)
    roa_effect = 10.1 / weights * (79 - 50)
    assert abs(debt_effect) < abs(roa_effect)
    assert zh["drivers"] == (
        f"总资产净利率 5%（≥4%，{roa_effect:+.1f}分）；资产负债率 82%（>77%，{debt_effect:+.1f}分）"
    )
    en = scorecard.score(values, hit, DEFAULT_POLICY, "en").iloc[0]
    assert en["drivers"].endswith(
        f"total liabilities / total assets 82% (>77%, {debt_effect:+.1f} pts)"
    )


def test_no_data_at_all_is_grade_c_with_every_gap_listed() -> None:
    ids = pd.Index(["A"])
    card = scorecard.score(
        {}, scorecard.knock_outs(clean(ids), DEFAULT_POLICY), DEFAULT_POLICY, "en"
    ).iloc[0]
    assert card["grade"] == "C" and pd.isna(card["total_score"])
    assert card["data_gaps"].count("; ") == 3
