"""What we claim per invoice: the one table a letter and a hand-over memo state.

A debtor who recomputes a letter's interest must get the letter's figure, and a lawyer filing a
claim must see, per invoice, what is owed, since when, on what basis interest runs, at what rate,
how much has run to the date stated, and when the claim runs out. The receivables engine
computes those per invoice; this module only gathers them for the documents, so a letter, the
hand-over memo and the sheets never disagree.

Decisions: an invoice is claimed while more than half a cent of it is outstanding; the basis
and the annual rate are the engine's per-invoice ones (``interest_basis``, ``interest_rate`` on
the items) when the engine provides them, else what the engine applied: the contract's rate
typed on the Invoices sheet (``late_interest_rate``, once per contract), else the Policy's
default basis. Amounts stay in the invoice's currency: totals are per currency, never added
across currencies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from credit_register.core.register import Register
from credit_register.core.schema import Language
from credit_register.core.text import pick
from credit_register.documents.amounts import format_amount, format_pct, upper_in
from credit_register.engines import receivables
from credit_register.policy import Policy

#: the claim table's columns, in the order the hand-over memo shows them
CLAIM_COLUMNS: tuple[str, ...] = (
    "invoice_no",
    "customer_id",
    "contract_no",
    "invoice_date",
    "due_date",
    "currency",
    "amount",
    "paid",
    "outstanding",
    "outstanding_base",
    "days_overdue",
    "dunning_level",
    "disputed",
    "interest_basis",
    "interest_rate",
    "late_interest",
    "limitation_expires",
)


def invoice_claims(
    register: Register,
    policy: Policy,
    items: pd.DataFrame,
    customer_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The owed invoices (of ``customer_ids``, else all) with the claim's figures per invoice
    (``CLAIM_COLUMNS``), by customer, due date and number."""
    owed = items.loc[items["outstanding"].to_numpy(dtype=float, na_value=0.0) > receivables.CENT]
    if customer_ids is not None:
        owed = owed.loc[owed["customer_id"].isin(list(customer_ids))]
    owed = owed.sort_values(["customer_id", "due_date", "invoice_no"], kind="stable")
    if "interest_basis" not in owed or "interest_rate" not in owed:
        owed = owed.assign(**_basis_and_rate(register, policy, owed))
    disputed = owed["disputed"].astype(bool).to_numpy()
    # a disputed invoice runs no interest while the claim is open (the engine's rule)
    basis = np.where(disputed, "none", owed["interest_basis"].astype(object).to_numpy())
    rate = np.where(disputed, 0.0, owed["interest_rate"].to_numpy(dtype=float, na_value=np.nan))
    return owed.assign(interest_basis=basis, interest_rate=rate)[list(CLAIM_COLUMNS)].reset_index(
        drop=True
    )


def _basis_and_rate(
    register: Register, policy: Policy, owed: pd.DataFrame
) -> dict[str, np.ndarray]:
    """The basis and annual rate the engine applied to each owed invoice, where the items do
    not carry them: the contract's typed rate (any invoice of the contract), else the default."""
    invoices = register.frame("invoices")
    rows = owed["_row"].to_numpy()
    asked = np.isin(invoices["_row"].to_numpy(), rows)
    if receivables.CONTRACT_RATE in invoices:
        agreed = receivables._contract_rates(
            invoices[receivables.CONTRACT_RATE], invoices["contract_no"], asked
        )
        by_row = pd.Series(agreed, index=invoices["_row"].to_numpy()[asked])
        agreed = np.asarray(by_row.reindex(rows).to_numpy(dtype=float), dtype=np.float64)
    else:
        agreed = np.full(len(owed), np.nan)
    default = policy.interest.default_basis
    basis = np.where(np.isnan(agreed), default, "contract").astype(object)
    rate = np.where(np.isnan(agreed), receivables._annual_default_rate(policy), agreed)
    return {"interest_basis": basis, "interest_rate": rate}


def basis_text(basis: str, policy: Policy, lang: Language) -> str:
    """An invoice's interest basis as a letter's table names it (LPR: the 1-year loan prime rate
    at the time of breach, which the letter's note spells out).

    >>> from credit_register.policy import DEFAULT_POLICY as P
    >>> basis_text("lpr_markup", P, "zh"), basis_text("contract", P, "en")
    ('LPR上浮50%', 'contract rate')
    """
    markup = format_pct(policy.interest.markup, lang, 0)
    daily = format_pct(policy.interest.sme_daily, lang, 2)
    texts = {
        "contract": ("合同约定", "contract rate"),
        "lpr_markup": (f"LPR上浮{markup}", f"LPR + {markup}"),
        "sme_daily": (f"中小企业款项日{daily}", f"SME rule, {daily} a day"),
        "none": ("不计息", "no interest"),
    }
    zh, en = texts.get(basis, (basis, basis))
    return pick(lang, zh, en)


@dataclass(frozen=True)
class CurrencyTotal:
    """One currency's sums in a letter or a memo (never added to another currency's)."""

    currency: str
    outstanding: float
    interest: float

    @property
    def claimed(self) -> float:
        return round(self.outstanding + self.interest, 2)

    def context(self, lang: Language, base: str) -> dict[str, str]:
        """As a document prints it, the Chinese upper case naming a foreign currency."""
        return {
            "currency": self.currency,
            "outstanding": format_amount(self.outstanding, lang),
            "interest": format_amount(self.interest, lang),
            "claimed": format_amount(self.claimed, lang),
            "upper": upper_in(self.claimed, self.currency, base),
            "outstanding_upper": upper_in(self.outstanding, self.currency, base),
        }


def totals_by_currency(claims: pd.DataFrame, *, with_interest: bool = True) -> list[CurrencyTotal]:
    """Outstanding and interest summed per currency (in the order the currencies first appear)."""
    if claims.empty:
        return []
    interest = (
        claims["late_interest"].astype(float) if with_interest else 0.0 * claims["outstanding"]
    )
    sums = (
        pd.DataFrame({"outstanding": claims["outstanding"].astype(float), "interest": interest})
        .groupby(claims["currency"].astype(str), sort=False)
        .sum()
    )
    return [
        CurrencyTotal(str(cur), round(float(row.outstanding), 2), round(float(row.interest), 2))
        for cur, row in sums.iterrows()
    ]
