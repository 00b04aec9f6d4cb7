"""The rating story: three customers (a sound state-owned one, one in legal action, a new one)
with statements, a bureau report and a site visit, rated at the end of October 2026.

``test_rating`` rates it end to end; the calibration test shows it is too thin to fit weights.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from credit_register.core import schema
from credit_register.core.port import RawSheet
from credit_register.core.reader import load
from credit_register.core.register import Register

AS_OF = dt.date(2026, 10, 31)


def statement(customer: str, liabilities: float, profit: float = 1_000_000) -> dict[str, Any]:
    return {
        "customer_id": customer,
        "period_end": "2025-12-31",
        "revenue": 20_000_000,
        "cost_of_sales": 15_000_000,
        "net_profit": profit,
        "profit_before_tax": 1_300_000,
        "interest_expense": 100_000,
        "current_assets": 6_000_000,
        "inventory": 1_000_000,
        "total_assets": 10_000_000,
        "current_liabilities": 3_000_000,
        "total_liabilities": liabilities,
        "retained_earnings": 2_000_000,
        "operating_cash_flow": 900_000,
    }


def register(liabilities: float = 4_000_000, profit: float = 1_000_000) -> Register:
    sheets: dict[str, list[dict[str, Any]]] = {
        "customers": [
            {
                "customer_id": "C1",
                "name": "好客户",
                "ownership": "soe",
                "since": "2015-01-01",
                "key_account": "是",
                "payment_terms_days": 30,
                "expected_monthly_sales": 200_000,
                "approved_limit": 250_000,
                "status": "active",
            },
            {
                "customer_id": "C2",
                "name": "违约客户",
                "ownership": "private",
                "since": "2020-01-01",
                "status": "legal",
                "expected_monthly_sales": 100_000,
            },
            {
                "customer_id": "C3",
                "name": "新客户",
                "since": "2026-09-01",
                "expected_monthly_sales": 50_000,
            },
        ],
        "financials": [statement("C1", liabilities, profit), statement("C2", 9_000_000)],
        "bureau": [
            {
                "customer_id": "C1",
                "agency": "X",
                "report_date": "2026-09-01",
                "score": 90,
                "score_max": 100,
                "overdue_records": 0,
                "lawsuits": 0,
                "enforcement": "否",
                "abnormal_operation": "否",
            }
        ],
        "activities": [{"date": "2026-06-01", "customer_id": "C1", "type": "site_visit"}],
    }
    raw = {}
    for key, rows in sheets.items():
        sheet = schema.SHEETS[key]
        header = [c.key for c in sheet.columns]
        raw[sheet.zh] = RawSheet(sheet.zh, [header, *[[r.get(h) for h in header] for r in rows]])
    return load(raw, "t.xlsm", today=AS_OF)
