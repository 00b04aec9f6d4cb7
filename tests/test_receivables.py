"""Receivables, one story: a small register typed by hand, aged at a leap-year month end.

The story's rows live in ``tests/support/receivables_story.py`` (the alerts, order-check and join
tests reuse them). Every expected figure below is worked out by hand in the comment beside it
(policy defaults: LPR 3.0 % × 1.5 = 4.5 % a year, day count 365, ladder −7/7/30/60/90/120 days,
ageing edges 30/60/90/180/365, bills mature 180 days after receipt when no maturity is typed,
limitation 3 years). The register goes through the real reader, so the frames are typed as in
production.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from credit_register.core import schema
from credit_register.core.register import Register
from credit_register.engines.receivables import (
    OPEN_ITEM_COLUMNS,
    ageing,
    exposure_by_customer,
    open_items,
)
from credit_register.policy import DEFAULT_POLICY, Policy
from support.receivables_story import AS_OF, CUSTOMERS, INVOICES, PAYMENTS, D, make_register


@pytest.fixture(scope="module")
def register() -> Register:
    return make_register()


@pytest.fixture(scope="module")
def items(register: Register) -> pd.DataFrame:
    return open_items(register, DEFAULT_POLICY, AS_OF).set_index("invoice_no", drop=False)


def test_open_items_has_one_row_per_invoice_with_the_promised_columns(items: pd.DataFrame) -> None:
    assert tuple(items.columns) == OPEN_ITEM_COLUMNS
    assert list(items["invoice_no"]) == [r["invoice_no"] for r in INVOICES]


def test_blank_due_date_is_invoice_date_plus_terms_across_the_leap_day(items: pd.DataFrame) -> None:
    assert items.loc["I1", "due_date"] == pd.Timestamp("2028-03-01")


def test_partial_payment_leaves_the_rest_overdue_with_interest(items: pd.DataFrame) -> None:
    i1 = items.loc["I1"]
    assert (i1["paid"], i1["outstanding"]) == (4_000, 6_000)
    assert i1["days_overdue"] == 30  # 2028-03-01 → 2028-03-31
    assert i1["dunning_level"] == 2  # step 2 starts at due + 30
    # 6,000 × 4.5 % / 365 × 30 = 22.19
    assert i1["late_interest"] == pytest.approx(22.19)
    assert pd.isna(i1["settled_on"])


def test_leap_day_due_date_ages_and_expires_on_the_last_day_of_february(
    items: pd.DataFrame,
) -> None:
    i2 = items.loc["I2"]
    assert i2["days_overdue"] == 31  # 2028-02-29 → 2028-03-31
    assert i2["late_interest"] == pytest.approx(30.58)  # 8,000 × 4.5 % / 365 × 31
    # 2028-02-29 + 3 years: 2031 has no 29 February
    assert i2["limitation_expires"] == pd.Timestamp("2031-02-28")


def test_credit_note_is_owed_to_the_customer_and_never_overdue(items: pd.DataFrame) -> None:
    cn = items.loc["CN1"]
    assert (cn["outstanding"], cn["days_overdue"], cn["late_interest"]) == (-1_000, 0, 0)
    assert pd.isna(cn["dunning_level"]) and pd.isna(cn["limitation_expires"])


def test_over_payment_leaves_a_credit_and_a_settle_date(items: pd.DataFrame) -> None:
    i4 = items.loc["I4"]
    assert (i4["paid"], i4["outstanding"]) == (3_500, -500)
    assert i4["settled_on"] == pd.Timestamp("2028-03-25")  # 2,000 + 1,500 reach 3,000
    assert pd.isna(i4["dunning_level"])


def test_payment_after_the_as_of_date_is_not_counted(items: pd.DataFrame) -> None:
    i5 = items.loc["I5"]
    assert (i5["paid"], i5["outstanding"], i5["days_overdue"]) == (0, 2_000, 0)
    assert pd.isna(i5["dunning_level"])  # 19 days before due: before the reminder step


def test_paid_amount_column_counts_when_no_payment_is_logged(items: pd.DataFrame) -> None:
    i6 = items.loc["I6"]
    assert (i6["paid"], i6["outstanding"]) == (1_000, 0)
    assert pd.isna(i6["settled_on"])  # the date is not known


def test_disputed_invoice_stays_exposure_without_escalation_or_interest(
    items: pd.DataFrame,
) -> None:
    i7 = items.loc["I7"]
    assert i7["disputed"]
    assert i7["days_overdue"] == 122  # 2027-11-30 → 2028-03-31: 31 + 31 + 29 + 31
    assert i7["dunning_level"] == 1  # would be 5 (due + 120), stops at the first notice
    assert i7["late_interest"] == 0
    assert i7["outstanding_base"] == 14_000  # 2,000 USD × 7.0


def test_demand_restarts_limitation_but_an_email_does_not(items: pd.DataFrame) -> None:
    assert items.loc["I7", "limitation_expires"] == pd.Timestamp("2031-01-12")
    assert items.loc["I7", "last_demand"] == pd.Timestamp("2028-01-12")
    assert items.loc["I8", "limitation_expires"] == pd.Timestamp("2031-03-15")


def test_contract_rate_typed_once_applies_to_every_invoice_of_the_contract(
    items: pd.DataFrame,
) -> None:
    i8 = items.loc["I8"]
    assert i8["currency"] == "USD"  # blank: the customer's currency
    assert i8["days_overdue"] == 16
    assert i8["late_interest"] == pytest.approx(4.38)  # 1,000 × 10 % / 365 × 16, in USD


def test_the_sme_rule_applies_per_customer_only_when_we_are_an_sme(register: Register) -> None:
    sme = DEFAULT_POLICY.model_copy(
        update={"interest": DEFAULT_POLICY.interest.model_copy(update={"company_sme": True})}
    )
    sizes = [
        dict(c, enterprise_size=s) for c, s in zip(CUSTOMERS, ("large", "small", None), strict=True)
    ]
    large = make_register(customers=sizes)
    # I1: 6,000 owed 30 days; Alpha is a large enterprise, we are an SME: 0.05 % a day
    found = open_items(large, sme, AS_OF).set_index("invoice_no")
    assert found.loc["I1", "interest_basis"] == "sme_daily"
    assert found.loc["I1", "late_interest"] == pytest.approx(90.00)  # 6,000 × 0.05 % × 30
    # not an SME ourselves: the LPR default, 3.0 % × 1.5 = 4.5 % a year
    found = open_items(large, DEFAULT_POLICY, AS_OF).set_index("invoice_no")
    assert found.loc["I1", "interest_basis"] == "lpr_markup"
    assert found.loc["I1", "late_interest"] == pytest.approx(22.19)  # 6,000 × 4.5 % / 365 × 30
    # an SME, but the buyer's size is not large: the LPR default too
    found = open_items(register, sme, AS_OF).set_index("invoice_no")
    assert found.loc["I1", "late_interest"] == pytest.approx(22.19)


def test_exposure_per_customer(register: Register, items: pd.DataFrame) -> None:
    exposure = exposure_by_customer(register, DEFAULT_POLICY, AS_OF, items.reset_index(drop=True))
    alpha = exposure.loc["C001"]
    # 6,000 + 8,000 − 1,000 − 500 + 2,000 + 0; the matured bill is no longer exposure
    assert alpha["open_invoices_base"] == 14_500
    assert alpha["bills_base"] == 0
    assert (alpha["orders_base"], alpha["shipped_base"]) == (5_000, 1_000)
    assert alpha["exposure_base"] == 20_500
    assert alpha["overdue_base"] == 14_000
    assert alpha["net_exposure_base"] == 20_500  # not insured
    beta = exposure.loc["C002"]
    assert beta["open_invoices_base"] == 21_000  # (2,000 + 1,000 USD) × 7
    assert beta["bills_base"] == 3_500  # 500 USD bill maturing 2028-07-20
    assert beta["orders_base"] == 700  # 100 USD, the customer's currency
    assert beta["unapplied_base"] == 2_100  # 300 USD on account, deducted
    assert beta["exposure_base"] == 23_100  # 21,000 + 3,500 + 700 − 2,100
    # insured 10,000 USD = 70,000 CNY at 90 %: 23,100 − 0.9 × 23,100
    assert beta["net_exposure_base"] == pytest.approx(2_310)
    assert exposure.loc["C003", "exposure_base"] == 0


def test_bill_without_maturity_counts_for_the_policy_default(register: Register) -> None:
    payments = [dict(p) for p in PAYMENTS]
    payments[4] = {**payments[4], "bill_maturity": None, "payment_date": D(2027, 10, 5)}
    changed = make_register(payments=payments)
    found = open_items(changed, DEFAULT_POLICY, AS_OF)
    # 2027-10-05 + 180 days = 2028-04-02, still after the as-of date
    assert (
        exposure_by_customer(changed, DEFAULT_POLICY, AS_OF, found).loc["C002", "bills_base"]
        == 3_500
    )
    later = dt.date(2028, 4, 2)
    found = open_items(changed, DEFAULT_POLICY, later)
    assert (
        exposure_by_customer(changed, DEFAULT_POLICY, later, found).loc["C002", "bills_base"] == 0
    )


def test_ageing_sheet(register: Register, items: pd.DataFrame) -> None:
    aged = ageing(register, DEFAULT_POLICY, AS_OF, items.reset_index(drop=True))
    assert list(aged.columns) == [c.key for c in schema.AGEING.columns]
    assert list(aged["customer_id"]) == ["C001", "C002"]  # C003 owes nothing
    alpha = aged.iloc[0]
    assert alpha["name"] == "Alpha Trading"
    assert (alpha["not_due"], alpha["d1_30"], alpha["d31_60"]) == (500, 6_000, 8_000)
    assert (alpha["total"], alpha["overdue"]) == (14_500, 14_000)
    # overdue ÷ what Alpha owes (its positive balances: I1 6,000 + I2 8,000 + I5 2,000); the
    # credit note (−1,000) and I4's over-payment (−500) lower the total, not the share's base
    assert alpha["overdue_pct"] == pytest.approx(14_000 / 16_000)
    assert (alpha["max_days_overdue"], alpha["dunning_level"]) == (31, 2)
    assert alpha["late_interest"] == pytest.approx(52.77)  # 22.19 + 30.58
    # revenue of the last 90 days: 10,000 + 3,000 + 2,000 − 1,000 = 14,000
    assert alpha["dso"] == pytest.approx(93.2)  # 14,500 / 14,000 × 90
    beta = aged.iloc[1]
    assert (beta["d1_30"], beta["d91_180"], beta["total"]) == (7_000, 14_000, 21_000)
    assert beta["overdue_pct"] == 1.0
    assert (beta["max_days_overdue"], beta["dunning_level"]) == (122, 1)
    assert beta["late_interest"] == pytest.approx(30.66)  # 4.38 USD × 7
    assert beta["dso"] == pytest.approx(270.0)  # 21,000 / 7,000 × 90


def test_ageing_edges_come_from_the_policy(register: Register, items: pd.DataFrame) -> None:
    policy: Policy = DEFAULT_POLICY.model_copy(
        update={
            "ageing": DEFAULT_POLICY.ageing.model_copy(update={"edges": (31, 60, 90, 180, 365)})
        }
    )
    aged = ageing(register, policy, AS_OF, items.reset_index(drop=True))
    assert aged.iloc[0]["d1_30"] == 14_000  # 30 and 31 days now share the first bucket
