"""The limit findings of issue 12 on the demo register, each named for the customer it was found on.

The demo register is the one a credit manager first sees; these are the proposals a reviewer
found unsignable, and what each must be now (policy §2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from credit_register.adapters.xlsx import FileWorkbook
from credit_register.app.pipeline import compute, load_register
from credit_register.documents.contract import contract_context
from credit_register.documents.contract_note import contract_note_context
from credit_register.documents.letters import Letter, letters_due
from credit_register.documents.report import report_context
from credit_register.documents.review import review_context
from credit_register.engines import rating
from credit_register.engines.results import Results
from credit_register.tools.demo import DEMO_AS_OF

GOOD = ("AAA", "AA", "A", "BBB")


@pytest.fixture(scope="module")
def demo(demo_master: dict[str, Path]) -> Results:
    book = FileWorkbook(demo_master["zh"])
    return compute(
        load_register(book.read(), book.label, today=DEMO_AS_OF), dt.datetime(2026, 11, 1)
    )


@pytest.fixture(scope="module")
def ratings(demo: Results) -> pd.DataFrame:
    return demo.ratings.set_index("customer_id")


def test_c00012_is_proposed_the_bureau_limit_converted_from_euro(ratings: pd.DataFrame) -> None:
    # the bureau advises EUR 230,000; at the FX sheet's 8.215 that is CNY 1,889,450 → 1,880,000
    row = ratings.loc["C00012"]
    assert row["proposed_limit"] == 1_880_000
    assert row["binding_rule"].startswith("征信建议额度 CNY 1,889,450｜")
    assert "征信上限 EUR 230,000 × 8.2150 = CNY 1,889,450" in row["binding_rule"]


def test_c00059_is_proposed_its_capacity_not_a_floor_of_half_its_old_limit(
    ratings: pd.DataFrame,
) -> None:
    row = ratings.loc["C00059"]
    assert row["grade"] == "B"
    assert row["proposed_limit"] == 10_000  # 5 % of working capital 259,060 = 12,953
    assert row["binding_rule"].startswith("营运资金 CNY 12,953｜")
    assert row["excess_over_limit"] == pytest.approx(row["exposure"] - 10_000, abs=0.01)


def test_c00027_bureau_limit_of_zero_is_flagged_not_silently_zero(ratings: pd.DataFrame) -> None:
    row = ratings.loc["C00027"]
    assert row["proposed_limit"] > 0
    assert "征信建议额度为0：警示信号，未作上限" in row["binding_rule"]


def test_c00009_thin_file_is_capped_at_bbb(ratings: pd.DataFrame) -> None:
    row = ratings.loc["C00009"]
    assert row["total_score"] >= 70  # would be A on payments and the bureau alone
    assert row["grade"] == "BBB"
    assert "无18个月内财务报表：等级上限BBB" in row["data_gaps"]


def test_no_good_customer_is_proposed_below_its_exposure_unexplained(
    demo: Results, ratings: pd.DataFrame
) -> None:
    overdue = demo.exposure["overdue_base"].reindex(ratings.index)
    good = ratings["grade"].isin(GOOD) & (overdue <= 0.005)
    below = ratings.loc[good & (ratings["proposed_limit"] < ratings["exposure"] - 0.005)]
    assert good.sum() > 20
    for customer, row in below.iterrows():
        # a capacity, the insurer or the bureau binds, and the row gives the figures
        assert row["binding_rule"].split(" ")[0] in (
            "有形净资产",
            "营运资金",
            "营业收入",
            "保险限额",
            "征信建议额度",
        ), customer
        excess = f"{row['exposure'] - row['proposed_limit']:,.0f}"
        assert f"超额 CNY {excess}：受" in row["binding_rule"], customer
        assert row["excess_over_limit"] == pytest.approx(
            row["exposure"] - row["proposed_limit"], abs=0.01
        )


def test_approving_c00012_with_the_proposal_keeps_its_euro_limit_near_the_bureau_advice(
    demo: Results,
) -> None:
    # before: the unconverted bureau limit made the proposal "CNY 230,000", and approving it
    # cut EUR 330,000 to EUR 27,000
    _cells, history, issues = rating.approve(
        demo.register, demo.ratings, "C00012", None, "年度评审", "li", dt.datetime(2026, 11, 1)
    )
    assert issues == []
    assert history[0][5:7] == [330_000.0, 228_000.0]  # CNY 1,880,000 / 8.215, to the 1,000 below


def test_c00015_contract_quotes_its_yen_limit_in_yen(demo: Results) -> None:
    # before: "CNY 80,000,000", 21 times the real amount
    contract = contract_context(demo, "C00015")
    assert contract["currency"] == "JPY"
    assert contract["credit_limit"] == "80,000,000.00"
    assert contract["credit_limit_upper"] == "日元捌仟万元整"
    # the base-currency equivalent is for the internal review note, not the buyer's draft
    note = contract_note_context(demo, "C00015")
    assert note["credit_limit_base"] == "CNY 3,744,000.00"  # 80,000,000 × 0.0468


def test_c00032_report_and_review_pack_show_the_ratings_utilization(demo: Results) -> None:
    # before: 747.2 % (CNY exposure over a USD limit) where Ratings and Alerts say 104.8 %
    assert report_context(demo, "C00032", with_charts=False)["limit"]["utilization"] == "104.8%"
    pack = review_context(demo, "2026-10")
    shown = {r["customer_id"]: r["utilization"] for r in pack["top_exposures"]}
    assert shown["C00032"] == "104.8%"


def test_a_foreign_customers_letter_never_adds_two_currencies(demo: Results) -> None:
    def rows(letter: Letter) -> list[dict[str, object]]:
        return [*letter.context["overdue"], *letter.context["falling_due"]]

    letters = letters_due(demo, DEMO_AS_OF)
    foreign = [x for x in letters if any(r["currency"] != "CNY" for r in rows(x))]
    assert foreign  # the demo has overdue customers billed in USD and SGD
    for letter in foreign:
        totals = [t["currency"] for t in letter.context["totals"]]
        assert len(totals) == len(set(totals))  # one total per currency
        assert set(totals) <= {r["currency"] for r in rows(letter)}


def test_the_review_pack_prices_the_book(demo: Results) -> None:
    pack = review_context(demo, "2026-10")
    assert pack["portfolio"]["expected_loss"] not in ("", "—", "未测算")
    assert [r["grade"] for r in pack["el_by_grade"]] == ["AAA", "AA", "A", "BBB", "BB", "B", "C"]
    assert len(pack["provision_matrix"]) == 7
    assert {r["dimension"] for r in pack["concentration"]} == {"集团", "行业", "国家"}
