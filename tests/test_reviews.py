"""Review dates (policy §6): the last approval or review plus the grade's interval, kept from run
to run so that "review date passed" fires — and holds orders — until a review or an approval."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from credit_register.adapters.services import document_services
from credit_register.app.pipeline import load_register
from credit_register.app.usecases import ActionRequest, run_action
from credit_register.engines import limits, rating
from credit_register.policy import DEFAULT_POLICY
from support.hold_story import TABLES
from support.memory import MemoryWorkbook

T = pd.Timestamp
NAT = pd.NaT


def date_of(value: object) -> dt.date:
    assert isinstance(value, dt.date), value
    return value if not isinstance(value, dt.datetime) else value.date()


def test_next_review_from_the_last_review_kept_until_the_next() -> None:
    # intervals (policy defaults): AAA–A 12 months, BBB–BB 6, B–C 3; as of 2028-03-31, the
    # previous rating ran on 2028-02-29
    grade = pd.Series(["A", "BBB", "B", "BB", "A", "A", "C", "C"])
    previous = pd.Series(["A", "BBB", "B", "BB", "A", "A", "C", "B"])
    knocked = pd.Series([False, False, False, False, False, False, True, True])
    was_knocked = pd.Series([False, False, False, False, False, False, True, False])
    last_review = pd.Series(
        [T("2028-01-15"), NAT, NAT, T("2027-06-01"), T("2027-08-01"), T("2028-03-10"), NAT, NAT]
    )
    scheduled = pd.Series(
        [NAT, T("2028-06-30"), NAT, T("2027-12-01"), T("2028-02-01"), T("2028-02-01"),
         T("2028-02-29"), T("2028-05-31")]
    )  # fmt: skip
    got = limits.next_review(
        grade,
        previous,
        knocked,
        scheduled,
        dt.date(2028, 3, 31),
        DEFAULT_POLICY,
        last_review=last_review,
        scheduled_on=pd.Series(T("2028-02-29"), index=grade.index),
        was_knocked=was_knocked,
    )
    assert [d.date().isoformat() for d in got] == [
        "2029-01-15",  # approved 2028-01-15 + 12 months
        "2028-06-30",  # no review on record: the date scheduled before is kept, not moved on
        "2028-06-30",  # a first rating: the as-of date + 3 months
        "2027-12-01",  # 2027-06-01 + 6 months: passed, and it stays passed
        "2028-02-01",  # due at the last run (a knock-out pulled it in) after the last review
        "2029-03-10",  # ... until a review: 2028-03-10 + 12 months
        "2028-02-29",  # a knock-out seen before: the date it was due stays
        "2028-03-31",  # a new knock-out: at once
    ]


def test_the_review_alert_fires_once_the_date_passes_and_a_review_clears_it() -> None:
    port = MemoryWorkbook.of(TABLES)

    def run(day: dt.date) -> dict[str, dict[str, object]]:
        request = ActionRequest("run", as_of=day)
        assert run_action(request, port, today=day, services=document_services()).ok
        return {str(r["Customer ID"]): r for r in port.rows("ratings")}

    first = run(dt.date(2028, 3, 31))
    due = date_of(first["K01"]["Next review"])
    assert due > dt.date(2028, 3, 31)
    after = due + dt.timedelta(days=1)
    later = run(after)
    assert date_of(later["K01"]["Next review"]) == due  # not moved forward
    alerts = {str(r["Alert ID"]): r for r in port.rows("alerts")}
    assert alerts["K01-review_overdue"]["Value"] == due.isoformat()
    assert f"the review date {due.isoformat()} has passed" in str(later["K01"]["Hold reasons"])
    assert later["K01"]["Credit hold"] == "Yes"

    # the credit manager records the review the next day
    reviewed = after + dt.timedelta(days=1)
    activities = port.sheets[port.tab("activities")].rows
    header = activities[0]
    row = dict.fromkeys(header)
    row.update({"Date": reviewed, "Customer ID": "K01", "Type": "review", "Summary": "annual"})
    activities.append([row[h] for h in header])
    again = run(reviewed)
    assert date_of(again["K01"]["Next review"]) > reviewed
    alerts = {str(r["Alert ID"]): r for r in port.rows("alerts")}
    assert alerts["K01-review_overdue"]["Status"] == "resolved"


def test_the_last_review_is_the_later_of_an_approval_and_a_recorded_review() -> None:
    history = [
        {
            "timestamp": dt.datetime(2028, 1, 15, 10, 30),
            "user": "li",
            "action": "limit approved",
            "customer_id": "K01",
            "field": "Approved limit",
            "new": 120_000,
            "reason": "annual review",
        },
        # a grade change is not a review
        {"timestamp": dt.datetime(2028, 3, 1, 9, 0), "action": "rating", "customer_id": "K02"},
    ]
    reviews = [
        {"date": dt.date(2027, 12, 1), "customer_id": "K01", "type": "review"},
        {"date": dt.date(2028, 2, 10), "customer_id": "K03", "type": "review"},
        {"date": dt.date(2028, 4, 10), "customer_id": "K04", "type": "review"},  # after as-of
    ]
    tables = {**TABLES, "history": history, "activities": reviews}
    port = MemoryWorkbook.of(tables)
    loaded = load_register(port.read(), port.label, today=dt.date(2028, 3, 31))
    found = rating.last_review(loaded.register, pd.Timestamp("2028-03-31"))
    assert {k: v.date().isoformat() for k, v in found.items()} == {
        "K01": "2028-01-15",
        "K03": "2028-02-10",
    }
