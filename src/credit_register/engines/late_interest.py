"""Late interest per invoice: which rate applies to it, and what has run to the as-of date
(policy §5).

A letter that claims late interest must say, for each invoice, on what basis: the rate the
contract agreed, else the default a court would apply — the 1-year LPR *at the time of breach*
plus the Policy's markup (Supreme People's Court interpretation on sales contracts, 2020
amendment, art. 18: 30–50 % above the LPR for breaches after 2019-08-20, the benchmark rate
before) — or, only where our company is an SME and the buyer a large enterprise or a public body,
the SME payment regulation's daily rate. One invoice, one basis, one figure: the Open items
sheet, the Ageing sheet's total and the letters all read the figures computed here.

Decisions (documented in the README too):

- The breach is the day after the due date: the LPR in force that day (the Policy's LPR table)
  applies for the invoice's whole overdue period, as the courts compute it.
- The SME rule needs both facts: ``company.sme`` on the Policy (or the older switch
  ``interest.default_basis`` = SME daily rate) and the customer's ``enterprise_size`` large
  (大型) or public body (机关事业单位). A customer of unknown size gets the LPR default.
- ``interest.default_basis`` = none claims no default interest (a contract rate still applies).
- Interest = outstanding × annual rate / ``interest.day_count`` × days overdue, rounded to the
  cent, in the invoice's currency; the SME daily rate is held as an annual one (× day count).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from credit_register.engines.joins import DAY, floats, take
from credit_register.policy import Policy

#: customers the SME payment rule makes pay the daily rate (enterprise_size codes)
SME_RULE_PAYERS: tuple[str, ...] = ("large", "public_body")

FloatArray = npt.NDArray[np.float64]


def contract_rates(
    typed_rates: pd.Series, contract_no: pd.Series, asked: npt.NDArray[np.bool_]
) -> FloatArray:
    """The agreed annual rate (fraction) of each ``asked`` invoice's contract; NaN where none is
    agreed. A rate typed on any invoice of a contract applies to all its invoices (the highest,
    when two rows disagree). Only the asked invoices (the owed few) look their contract up."""
    typed = floats(typed_rates) / 100
    contract = contract_no.to_numpy(dtype=object)
    typed_on = np.flatnonzero(~np.isnan(typed))
    typed_on = typed_on[pd.notna(contract[typed_on])]
    codes, agreed = pd.factorize(contract[typed_on])
    highest = np.full(len(agreed), -np.inf)
    np.maximum.at(highest, codes, typed[typed_on])
    rates = typed[asked]
    ask = np.isnan(rates)
    # the factorised contracts are unique and never blank: one plain lookup
    wanted = contract[np.flatnonzero(asked)[ask]]
    at_contract = np.asarray(pd.Index(agreed, dtype=object).get_indexer(wanted), dtype=np.int64)
    rates[ask] = take(highest, at_contract, np.nan)
    return np.asarray(rates, dtype=float)


def basis_and_rate(
    policy: Policy,
    contract_rate: FloatArray,
    due: npt.NDArray[np.datetime64],
    enterprise_size: npt.NDArray[np.object_],
) -> tuple[npt.NDArray[np.object_], FloatArray]:
    """Per invoice: the basis of its late interest (``contract``, ``lpr_markup``, ``sme_daily``
    or ``none``: ``schema.INTEREST_BASIS_CODES``) and the annual rate (fraction) it runs at."""
    interest = policy.interest
    company_sme = interest.company_sme or interest.default_basis == "sme_daily"
    sme = company_sme & np.isin(enterprise_size, SME_RULE_PAYERS)
    breach = due.astype("datetime64[D]") + DAY
    lpr = interest.lpr_on(breach) * (1 + interest.markup)
    default_basis = "none" if interest.default_basis == "none" else "lpr_markup"
    basis = np.where(sme, "sme_daily", default_basis).astype(object)
    rate = np.where(sme, interest.sme_daily * interest.day_count, lpr)
    rate = np.where(basis == "none", 0.0, rate)
    agreed = ~np.isnan(contract_rate)
    basis[agreed] = "contract"
    rate = np.where(agreed, contract_rate, rate)
    return basis, np.asarray(rate, dtype=float)


def accrued(
    outstanding: FloatArray, annual: FloatArray, days_overdue: npt.NDArray[np.int64], policy: Policy
) -> FloatArray:
    """Interest run to the as-of date: outstanding × annual rate / day count × days overdue,
    rounded to the cent (in the invoice's currency)."""
    return np.asarray(
        np.round(outstanding * annual / policy.interest.day_count * days_overdue, 2), dtype=float
    )
