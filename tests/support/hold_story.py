"""The credit-hold story: a register typed by hand, one customer per reason a credit hold can
have (policy §4), as of 2028-03-31 with the default policy (ladder −7/7/30/60/90/120 days, the
insurer notified 60 days past due) and a group limit of 30,000 for G1. The Ratings rows (grade,
knock-out, proposal, review date) are typed too, so each customer shows one reason only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from credit_register.app.pipeline import Loaded, load_register
from credit_register.core.schema import Language
from credit_register.engines import alerts, credit_hold, receivables
from credit_register.engines.credit_hold import CreditHold
from credit_register.policy import DEFAULT_POLICY, Policy
from support.memory import MemoryWorkbook

AS_OF = dt.date(2028, 3, 31)
D = dt.date
POLICY = DEFAULT_POLICY.model_copy(update={"group_limits": {"G1": 30_000.0}})


def customer(cid: str, **fields: Any) -> dict[str, Any]:
    return {
        "customer_id": cid,
        "name": f"Customer {cid}",
        "currency": "CNY",
        "payment_terms_days": 30,
        "approved_limit": 100_000,
        "limit_valid_until": D(2028, 12, 31),
        "status": "active",
        **fields,
    }


def invoice(number: str, cid: str, due: dt.date, amount: float, **fields: Any) -> dict[str, Any]:
    return {
        "invoice_no": number,
        "customer_id": cid,
        "invoice_date": due - dt.timedelta(days=30),
        "due_date": due,
        "amount": amount,
        **fields,
    }


NOT_DUE = D(2028, 4, 20)
TABLES: dict[str, list[dict[str, Any]]] = {
    "customers": [
        customer("K01"),  # 20,000 owed, 11 days late (step 1): nothing holds it
        customer("K02", approved_limit=10_000),  # 12,000 owed
        customer("K03", approved_limit=None),  # no limit, 5,000 owed
        customer("K04", status="hold"),
        customer("K05"),  # step 2 on an undisputed invoice
        customer("K06"),  # the same invoice, disputed: a dispute stops the ladder at step 1
        customer("K07"),  # a broken promise
        customer("K08"),  # a broken promise, made good later
        customer("K09", limit_valid_until=D(2028, 3, 1)),
        customer("K10", group="G1"),  # G1: 20,000 + 20,000 against a group limit of 30,000
        customer("K11", group="G1"),
        customer(
            "K12",
            insured_limit=10_000,
            insurer="Sinosure",
            insurance_cover_pct=90,
            insurer_max_terms_days=60,
        ),  # a disputed invoice 76 days overdue: the notification was due on 2028-03-15
        customer("K13"),  # grade C
        customer("K14"),  # knock-out
        customer("K15"),  # proposed limit 0 (no basis)
        customer("K16"),  # review date passed
        customer("K17", currency="USD", approved_limit=20_000),  # 140,000 CNY
    ],
    "invoices": [
        invoice("I01", "K01", D(2028, 3, 20), 20_000),
        invoice("I02", "K02", NOT_DUE, 12_000),
        invoice("I03", "K03", NOT_DUE, 5_000),
        invoice("I05", "K05", D(2028, 2, 28), 8_000),  # 32 days: step 2 from due + 30
        invoice("I06", "K06", D(2028, 2, 28), 8_000, disputed="yes"),
        invoice("I07", "K07", D(2028, 3, 25), 6_000),  # 6 days late: step 0
        invoice("I08", "K08", NOT_DUE, 1_000),
        invoice("I10", "K10", NOT_DUE, 20_000),
        invoice("I11", "K11", NOT_DUE, 20_000),
        invoice("I12", "K12", D(2028, 1, 15), 9_000, disputed="yes"),
        invoice("I17", "K17", NOT_DUE, 1_000, currency="USD"),
    ],
    "payments": [
        # K08 paid its promised 3,000 on 2028-03-20, ten days after the promise date
        {
            "payment_id": "P08",
            "customer_id": "K08",
            "payment_date": D(2028, 3, 20),
            "amount": 3_000,
            "method": "transfer",
        },
    ],
    "activities": [
        {
            "date": D(2028, 3, 1),
            "customer_id": "K07",
            "type": "promise",
            "summary": "will pay by the 10th",
            "promise_date": D(2028, 3, 10),
            "promise_amount": 6_000,
        },
        {
            "date": D(2028, 3, 1),
            "customer_id": "K08",
            "type": "promise",
            "summary": "will pay by the 10th",
            "promise_date": D(2028, 3, 10),
            "promise_amount": 3_000,
        },
    ],
    "fx": [{"currency": "USD", "rate_to_base": 7.0, "as_of": AS_OF}],
}


#: the Ratings fields of the customers that stand for a rating reason
RATED: dict[str, dict[str, Any]] = {
    "K13": {"grade": "C", "proposed_limit": 0.0, "binding_rule": "grade C: no credit"},
    "K14": {
        "grade": "C",
        "knock_out": "enforcement (失信被执行人)",
        "proposed_limit": 0.0,
        "binding_rule": "knock-out",
    },
    "K15": {"proposed_limit": 0.0, "binding_rule": "no basis"},
    "K16": {"next_review": pd.Timestamp("2028-03-01")},
}


def ratings_for(ids: pd.Index, **changed: dict[str, Any]) -> pd.DataFrame:
    """The Ratings rows as typed for the story: grade A, a proposal of 100,000 and a review next
    year, except where a customer stands for a rating reason (``RATED``) or is ``changed``."""
    typical: dict[str, Any] = {
        "grade": "A",
        "previous_grade": "A",
        "knock_out": None,
        "proposed_limit": 100_000.0,
        "binding_rule": "need",
        "next_review": pd.Timestamp("2029-01-31"),
    }
    rows = [
        {"customer_id": cid, **typical, **RATED.get(cid, {}), **changed.get(cid, {})} for cid in ids
    ]
    return pd.DataFrame(rows)


def decided(
    tables: dict[str, list[dict[str, Any]]] = TABLES,
    policy: Policy = POLICY,
    lang: Language = "en",
    **ratings: dict[str, Any],
) -> tuple[Loaded, CreditHold]:
    """The story's decision; ``ratings``: customer → Ratings fields typed differently."""
    port = MemoryWorkbook.of(tables, lang)
    loaded = load_register(port.read(), port.label, today=AS_OF, as_of=AS_OF)
    register = loaded.register
    items = receivables.open_items(register, policy, AS_OF)
    exposure = receivables.exposure_by_customer(register, policy, AS_OF, items)
    rated = ratings_for(exposure.index, **ratings)
    found = alerts.findings(register, policy, AS_OF, items, exposure, rated)
    hold = credit_hold.decide(
        register, policy, AS_OF, items, exposure, rated, alerts.standing(found, None)
    )
    return loaded, hold
