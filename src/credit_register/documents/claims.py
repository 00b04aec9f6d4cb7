"""What we claim per invoice: the one table a letter and a hand-over memo state.

A debtor who recomputes a letter's interest must get the letter's figure, and a lawyer filing a
claim must see, per invoice, what is owed, since when, on what basis interest runs, at what rate,
how much has run to the date stated, and when the claim runs out. The receivables engine
computes those per invoice; this module only gathers them for the documents, so a letter, the
hand-over memo and the sheets never disagree.

Decisions: an invoice is claimed while more than half a cent of it is outstanding; the basis,
the annual rate, the interest to date and the limitation expiry are the engine's per-invoice
figures (``engines.late_interest``, ``engines.limitation``: the Open items sheet's). Amounts stay
in the invoice's currency: totals are per currency, never added across currencies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

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


def invoice_claims(items: pd.DataFrame, customer_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """The owed invoices of a run's ``items`` (of ``customer_ids``, else all) with the claim's
    figures per invoice (``CLAIM_COLUMNS``), by customer, due date and number."""
    owed = items.loc[items["outstanding"].to_numpy(dtype=float, na_value=0.0) > receivables.CENT]
    if customer_ids is not None:
        owed = owed.loc[owed["customer_id"].isin(list(customer_ids))]
    owed = owed.sort_values(["customer_id", "due_date", "invoice_no"], kind="stable")
    disputed = owed["disputed"].astype(bool).to_numpy()
    # a disputed invoice runs no interest while the claim is open (the engine's rule)
    basis = np.where(disputed, "none", owed["interest_basis"].astype(object).to_numpy())
    rate = np.where(disputed, 0.0, owed["interest_rate"].to_numpy(dtype=float, na_value=np.nan))
    return owed.assign(interest_basis=basis, interest_rate=rate)[list(CLAIM_COLUMNS)].reset_index(
        drop=True
    )


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
