"""Early warnings on the receivables story (``tests/support/receivables_story.py``): which alerts
a run raises, and how the manager's status, owner and comment survive the next run."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from credit_register.core import schema
from credit_register.core.register import Register
from credit_register.engines.alerts import FIGURE_COLUMNS, raise_alerts
from credit_register.engines.receivables import exposure_by_customer, open_items
from credit_register.policy import DEFAULT_POLICY
from support.receivables_story import AS_OF, make_register


def run(
    register: Register,
    as_of: dt.date = AS_OF,
    previous: pd.DataFrame | None = None,
    ratings: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[list[Any]]]:
    items = open_items(register, DEFAULT_POLICY, as_of)
    exposure = exposure_by_customer(register, DEFAULT_POLICY, as_of, items)
    return raise_alerts(register, DEFAULT_POLICY, as_of, items, exposure, ratings, previous)


@pytest.fixture(scope="module")
def register() -> Register:
    return make_register()


@pytest.fixture(scope="module")
def first(register: Register) -> tuple[pd.DataFrame, list[list[Any]]]:
    return run(register)


def by_id(alerts: pd.DataFrame) -> pd.DataFrame:
    return alerts.set_index("alert_id")


def test_first_run_raises_every_breach_once(first: tuple[pd.DataFrame, list[list[Any]]]) -> None:
    alerts, history = first
    assert list(alerts.columns) == [c.key for c in schema.ALERTS.columns] + list(FIGURE_COLUMNS)
    assert set(alerts["alert_id"]) == {
        "C001-max_days_overdue",  # 31 days > 30: warning
        "C001-overdue_share",  # 14,000 / 16,000 owed > 20 %
        "C002-max_days_overdue",  # 122 days > 90: block
        "C002-overdue_share",  # 100 %
        # I7 fell due 2027-11-30: notify the insurer by 2028-01-29, already missed
        "C002-insurance_deadline-I7-notify",
        "C002-site_visit_missing",  # key account, no site visit logged
        "C003-limit_expired",  # limit valid until 2028-01-31
        # no statement on file: thin files, graded no better than BBB until statements come
        "C001-thin_file",
        "C002-thin_file",
        "C003-thin_file",
    }
    assert (alerts["status"] == "open").all()
    assert (alerts["raised_on"] == pd.Timestamp(AS_OF)).all()
    assert len(history) == len(alerts)
    assert all(row[5] == "" and row[6] == "open" for row in history)


def test_severity_value_threshold_and_action(first: tuple[pd.DataFrame, list[list[Any]]]) -> None:
    alerts = by_id(first[0])
    block = alerts.loc["C002-max_days_overdue"]
    assert (block["severity"], block["value"], block["threshold"]) == ("block", "122", "> 90")
    # its highest collections step is 1 (the disputed invoice stops there)
    assert block["recommended_action"] == "send a reminder; call the customer"
    warning = alerts.loc["C001-max_days_overdue"]
    assert (warning["severity"], warning["value"]) == ("warning", "31")
    assert warning["name"] == "Alpha Trading"
    share = alerts.loc["C001-overdue_share"]
    assert (share["value"], share["threshold"]) == ("87.5%", "> 20.0%")
    deadline = alerts.loc["C002-insurance_deadline-I7-notify"]
    assert deadline["value"] == "-62"  # 2028-01-29 is 62 days before the as-of date
    # missed: the cover may be lost (policy §7), a block
    assert (deadline["severity"], deadline["threshold"]) == ("block", "notify by 2028-01-29")
    assert deadline["recommended_action"] == "notify the insurer"
    # block first, then warnings; alerts of one severity by customer, then by id
    assert list(first[0]["alert_id"].iloc[:2]) == [
        "C002-insurance_deadline-I7-notify",
        "C002-max_days_overdue",
    ]


def test_the_users_columns_survive_and_a_closed_alert_stays_closed(
    register: Register, first: tuple[pd.DataFrame, list[list[Any]]]
) -> None:
    previous = first[0].copy()
    mine = previous["alert_id"] == "C001-overdue_share"
    previous.loc[mine, ["status", "owner", "comment"]] = ["in_progress", "Li", "called on 3/30"]
    closed = previous["alert_id"] == "C002-site_visit_missing"
    previous.loc[closed, "status"] = "已关闭"  # as typed in a Chinese workbook
    later = dt.date(2028, 4, 15)
    alerts, history = run(register, later, previous)
    alerts = by_id(alerts)
    assert tuple(alerts.loc["C001-overdue_share", ["status", "owner", "comment"]]) == (
        "in_progress",
        "Li",
        "called on 3/30",
    )
    assert alerts.loc["C001-overdue_share", "raised_on"] == pd.Timestamp(AS_OF)
    assert alerts.loc["C002-site_visit_missing", "status"] == "closed"
    # days overdue grew (31 → 46), still a warning: nothing changed status, nothing logged
    assert alerts.loc["C001-max_days_overdue", "value"] == "46"
    assert history == []


def test_a_closed_alert_reopens_when_its_severity_rises(
    register: Register, first: tuple[pd.DataFrame, list[list[Any]]]
) -> None:
    previous = first[0].copy()
    previous.loc[previous["alert_id"] == "C001-max_days_overdue", "status"] = "closed"
    alerts, history = run(register, dt.date(2028, 6, 30), previous)  # I2: 122 days, block
    row = by_id(alerts).loc["C001-max_days_overdue"]
    assert (row["status"], row["severity"]) == ("open", "block")
    reopened = [r for r in history if r[4] == "C001-max_days_overdue"]
    assert len(reopened) == 1
    assert reopened[0][3] == "C001" and reopened[0][5:7] == ["closed", "open"]
    assert "reopened" in reopened[0][7]


def test_a_gone_condition_is_resolved_not_deleted_and_comes_back_open(
    register: Register, first: tuple[pd.DataFrame, list[list[Any]]]
) -> None:
    previous = first[0].copy()
    gone = previous.iloc[[0]].assign(
        alert_id="C001-utilization",
        indicator="utilization",
        severity="warning",
        status="in_progress",
        owner="Wang",
    )
    previous = pd.concat([previous, gone], ignore_index=True)
    previous.loc[previous["alert_id"] == "C001-overdue_share", "status"] = "resolved"
    alerts, history = run(register, AS_OF, previous)
    alerts = by_id(alerts)
    assert tuple(alerts.loc["C001-utilization", ["status", "owner"]]) == ("resolved", "Wang")
    assert tuple(alerts.loc["C001-overdue_share", ["status", "raised_on"]]) == (
        "open",
        pd.Timestamp(AS_OF),
    )
    changes = {r[4]: (r[5], r[6]) for r in history}
    # History shows the statuses as the workbook names them
    assert changes == {
        "C001-utilization": ("in progress", "resolved"),
        "C001-overdue_share": ("resolved", "open"),
    }


def test_rating_and_bureau_signals(register: Register) -> None:
    ratings = pd.DataFrame(
        {
            "customer_id": ["C001", "C002"],
            "grade": ["BB", "A"],
            "previous_grade": ["AA", "A"],
            "next_review": pd.to_datetime(["2028-06-30", "2028-02-29"]),
        }
    )
    bureau = [
        {
            "customer_id": "C001",
            "agency": "X",
            "report_date": dt.date(2027, 1, 10),
            "score": 80,
            "lawsuits": 0,
        },
        {
            "customer_id": "C001",
            "agency": "X",
            "report_date": dt.date(2027, 9, 10),
            "score": 64,
            "lawsuits": 1,
            "enforcement": "yes",
        },
    ]
    alerts, _ = run(make_register(bureau=bureau), ratings=ratings)
    alerts = by_id(alerts)
    assert alerts.loc["C001-grade_down", "value"] == "AA→BB"  # three notches down
    assert alerts.loc["C002-review_overdue", "value"] == "2028-02-29"
    assert alerts.loc["C001-bureau_score_drop", "value"] == "20.0%"  # (80 − 64) / 80
    assert alerts.loc["C001-enforcement", "severity"] == "block"
    assert alerts.loc["C001-lawsuit", "value"] == "1"
    assert "C001-stale_bureau" not in alerts.index  # 2027-09-10 is within 12 months


def test_broken_promise_to_pay(register: Register) -> None:
    activities = [
        {
            "date": dt.date(2028, 3, 1),
            "customer_id": "C001",
            "type": "promise",
            "promise_date": dt.date(2028, 3, 20),
            "promise_amount": 2_000,
        },
        {
            "date": dt.date(2028, 3, 1),
            "customer_id": "C002",
            "type": "promise",
            "promise_date": dt.date(2028, 3, 25),
            "promise_amount": 100,
        },
    ]
    alerts = by_id(run(make_register(activities=activities))[0])
    # C001 paid 2,000 (P4) on 2028-03-05, between the promise and its date: kept. C002's
    # 300 on account came on 2028-03-01, the day it promised 100: kept too
    assert "C001-broken_promise-2028-03-20" not in alerts.index
    assert "C002-broken_promise-2028-03-25" not in alerts.index
    activities[1]["promise_amount"] = 500  # 300 paid of 500 promised
    alerts = by_id(run(make_register(activities=activities))[0])
    assert alerts.loc["C002-broken_promise-2028-03-25", "value"] == "200.00"
