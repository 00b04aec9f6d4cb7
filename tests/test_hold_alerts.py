"""The alerts of policy §4, §6 and §7 that the credit hold sits beside, on the credit-hold story
(``support.hold_story``, as of 2028-03-31): exposure without a limit, terms above the grade's or
the insurer's maximum, the group limit, the insurer named only for insured customers, a broken
promise made good, and the hold's own alert as the only one that says "stop shipments"."""

from __future__ import annotations

from typing import Any

import pandas as pd

from credit_register.app.pipeline import load_register
from credit_register.engines import credit_hold, receivables
from credit_register.policy import Policy
from support.hold_story import AS_OF, POLICY, TABLES, customer, invoice, ratings_for
from support.memory import MemoryWorkbook

D = AS_OF.__class__


def found(
    tables: dict[str, list[dict[str, Any]]] = TABLES,
    policy: Policy = POLICY,
    **ratings: dict[str, Any],
) -> pd.DataFrame:
    """Every finding of the story (and the hold's own), indexed by alert id."""
    loaded = load_register(MemoryWorkbook.of(tables).read(), "x", today=AS_OF, as_of=AS_OF)
    register = loaded.register
    items = receivables.open_items(register, policy, AS_OF)
    exposure = receivables.exposure_by_customer(register, policy, AS_OF, items)
    rated = ratings_for(exposure.index, **ratings)
    raised, _, _ = credit_hold.run_alerts(register, policy, AS_OF, items, exposure, rated, None)
    return raised.set_index("alert_id")


STORY = found()


def test_exposure_without_an_approved_limit_is_a_block() -> None:
    row = STORY.loc["K03-no_limit"]
    assert (row["severity"], row["value"]) == ("block", "5,000.00")
    assert row["recommended_action"] == "approve a limit"


def test_terms_longer_than_the_grades_maximum_are_alerted() -> None:
    # K13 is grade C on 30-day terms: cash in advance allows none; A allows 45 days
    row = STORY.loc["K13-terms_above_grade"]
    assert (row["severity"], row["value"], row["threshold"]) == (
        "warning",
        "30 days",
        "C maximum 0 days",
    )
    assert "K01-terms_above_grade" not in STORY.index  # grade A on 30 days
    longer = found(
        {**TABLES, "customers": [*TABLES["customers"], customer("K20", payment_terms_days=60)]}
    )
    assert longer.loc["K20-terms_above_grade", "threshold"] == "A maximum 45 days"


def test_terms_longer_than_the_insurers_maximum_are_alerted() -> None:
    assert "K12-insurer_terms" not in STORY.index  # 30 days, the insurer allows 60
    tables = {
        **TABLES,
        "customers": [
            *TABLES["customers"],
            customer("K21", payment_terms_days=90, insurer="Sinosure", insurer_max_terms_days=60),
        ],
    }
    row = found(tables).loc["K21-insurer_terms"]
    assert (row["severity"], row["value"], row["threshold"]) == (
        "warning",
        "90 days",
        "insurer's maximum 60 days",
    )
    assert row["recommended_action"] == "shorten the terms; notify the insurer"


def test_a_group_over_its_limit_is_alerted_on_each_member() -> None:
    # G1: 20,000 + 20,000 = 40,000 against 30,000 = 133.3 %
    row = STORY.loc["K10-group_limit-G1"]
    assert (row["severity"], row["value"]) == ("block", "G1 40,000.00 / 30,000.00 (133.3%)")
    assert "K11-group_limit-G1" in STORY.index
    near = found(policy=POLICY.model_copy(update={"group_limits": {"G1": 44_000.0}}))
    assert near.loc["K10-group_limit-G1", "severity"] == "warning"  # 90.9 % ≥ 90 %
    roomy = found(policy=POLICY.model_copy(update={"group_limits": {"G1": 50_000.0}}))
    assert "K10-group_limit-G1" not in roomy.index  # 80 %


def test_the_insurer_is_named_only_for_an_insured_customer() -> None:
    # 95 days overdue: collections step 4 (hand to collection, notify the insurer)
    late = D(2027, 12, 27)
    tables = {
        **TABLES,
        "customers": [
            *TABLES["customers"],
            customer("K22"),
            customer("K23", insured_limit=50_000, insurer="Sinosure", insurance_cover_pct=90),
        ],
        "invoices": [
            *TABLES["invoices"],
            invoice("I22", "K22", late, 1_000),
            invoice("I23", "K23", late, 1_000),
        ],
    }
    raised = found(tables)
    assert raised.loc["K22-max_days_overdue", "recommended_action"] == "hand to collection"
    assert (
        raised.loc["K23-max_days_overdue", "recommended_action"]
        == "hand to collection; notify the insurer"
    )


def test_a_broken_promise_made_good_is_no_longer_alerted() -> None:
    assert STORY.loc["K07-broken_promise-2028-03-10", "value"] == "6,000.00"
    # K08 promised 3,000 by 2028-03-10 and paid it on 2028-03-20: broken, then made good; its
    # only alert is the thin file every customer of the story has (it files no statements)
    assert [i for i in STORY.index if i.startswith("K08-")] == ["K08-thin_file"]


def test_only_the_credit_hold_alert_says_stop_shipments() -> None:
    stop = STORY["recommended_action"].str.contains("stop shipments")
    assert set(STORY.index[stop]) == {f"{c}-credit_hold" for c in STORY.loc[stop, "customer_id"]}
    assert set(STORY.loc[stop, "customer_id"]) == {
        "K02",
        "K03",
        "K04",
        "K05",
        "K07",
        "K09",
        "K10",
        "K11",
        "K12",
        "K13",
        "K14",
        "K15",
        "K16",
    }
    assert (STORY.loc[stop, "severity"] == "block").all()
    assert STORY.loc["K05-credit_hold", "value"] == "collections step 2 or above"
    assert STORY.loc["K14-credit_hold", "value"] == "grade C; knock-out"
