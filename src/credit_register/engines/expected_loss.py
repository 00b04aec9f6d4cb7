"""Expected loss and concentration (policy §6a): what the book is likely to cost, and where the
risk sits.

Expected loss is a risk figure, kept apart from the accounting provision (``provisions``): per
customer EL = PD(grade) × LGD × EAD, with EAD its exposure today. The PD per grade and the LGD of
unsecured trade debt are Policy rows; credit insurance reduces the loss given default by the
share of the exposure it covers, so EL = PD × LGD × net exposure (exposure − cover % ×
min(exposure, insured limit), never below 0). The portfolio view adds EL by grade and the
concentration of the book: the ten largest exposures' share, the Herfindahl–Hirschman index
(Σ share², 0–1; above 0.18 a highly concentrated book in the usual reading), and the exposure
and EL by group, industry and country.

Everything is a grouped sum over the customers (no loop).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from credit_register.core.schema import GRADES
from credit_register.policy import Policy

#: the concentration tables' dimensions (Customers columns)
DIMENSIONS: tuple[str, ...] = ("group", "industry", "country")


def expected_loss(grade: pd.Series, net_exposure: pd.Series, policy: Policy) -> pd.Series:
    """EL = PD(grade) × LGD × net exposure per customer (base currency, rounded to the cent);
    NaN where the grade or the exposure is unknown."""
    pd_of = grade.map(policy.loss.pd).astype("float64")
    ead = net_exposure.reindex(grade.index).astype("float64").clip(lower=0.0)
    return (pd_of * policy.loss.lgd * ead).round(2)


@dataclass(frozen=True)
class Portfolio:
    """The book's expected loss and concentration (base currency)."""

    total_exposure: float
    total_el: float
    #: per grade AAA … C: customers, exposure, expected loss, EL / exposure
    by_grade: pd.DataFrame
    #: the ten largest exposures' share of the total
    top10_share: float
    #: Herfindahl–Hirschman index of the customers' exposure shares (0–1)
    hhi: float
    #: per dimension (group, industry, country): exposure, share, expected loss, largest first
    by: dict[str, pd.DataFrame]


def portfolio(ratings: pd.DataFrame, customers: pd.DataFrame) -> Portfolio:
    """:class:`Portfolio` from the Ratings rows (``grade``, ``exposure``, ``expected_loss``) and
    the Customers sheet (for group, industry, country)."""
    rated = ratings.drop_duplicates("customer_id").set_index("customer_id")
    exposure = rated["exposure"].astype("float64").fillna(0.0).clip(lower=0.0)
    el = rated["expected_loss"].astype("float64").fillna(0.0)
    total = float(exposure.sum())
    grades = pd.Categorical(rated["grade"], categories=list(GRADES), ordered=True)
    frame = pd.DataFrame({"grade": grades, "exposure": exposure, "el": el}, index=rated.index)
    by_grade = frame.groupby("grade", observed=False).agg(
        customers=("exposure", "size"), exposure=("exposure", "sum"), expected_loss=("el", "sum")
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        by_grade["el_rate"] = np.where(
            by_grade["exposure"] > 0, by_grade["expected_loss"] / by_grade["exposure"], np.nan
        )
        shares = exposure / total if total > 0 else exposure * np.nan
    top10 = float(shares.nlargest(10).sum()) if total > 0 else float("nan")
    hhi = float((shares**2).sum()) if total > 0 else float("nan")
    facts = customers.drop_duplicates("customer_id").set_index("customer_id").reindex(rated.index)
    by: dict[str, pd.DataFrame] = {}
    for dimension in DIMENSIONS:
        key = facts[dimension].astype("string").fillna("—")
        if dimension == "country":
            key = key.where(key != "—", "CN")
        table = (
            pd.DataFrame({dimension: key, "exposure": exposure, "expected_loss": el})
            .groupby(dimension)
            .sum()
            .sort_values("exposure", ascending=False)
        )
        table["share"] = table["exposure"] / total if total > 0 else np.nan
        by[dimension] = table
    return Portfolio(total, float(el.sum()), by_grade, top10, hhi, by)
