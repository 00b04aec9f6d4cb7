"""Financial ratios of the customers' statements, Altman Z″ and the emerging-market score.

The financial pillar of the scorecard, the capacity terms of the credit limit and the calibration
on the bankruptcy data all read a statement through this one module, so a ratio means the same
thing everywhere. Ratios are fractions (a debt ratio of 82 % is ``0.82``), the unit the Policy's
band edges use. Every ratio is computed for every statement at once (no loop over customers);
a ratio whose inputs are missing, or whose denominator is zero, is unknown (NaN), never an error:
the scorecard leaves an unknown factor out.

Decisions (the spec is silent on them):

- Flow figures (revenue, cost of sales, EBIT, net profit, interest, operating cash flow) of a
  statement covering ``period_months`` other than 12 are annualised (× 12 / months) before they
  are set against balance-sheet figures or used as annual revenue; margins are unaffected.
- Interest cover is unknown when the interest expense is zero or blank: a debt-free company is
  neither rewarded nor punished by an infinite ratio; the factor is simply left out.
- Z″ uses book equity / total liabilities as X4 (Altman 2000, non-manufacturers). The
  emerging-market score (EMS = Z″ + 3.25) has its *own* scale of bond-rating equivalents; it is a
  separate function so nobody adds 3.25 and then applies the Z″ zones (1.10 / 2.60).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from credit_register.policy.model import ZScoreZones

#: the financial factors of the Policy, in its order; each is a column of ``statement_ratios``
RATIO_KEYS: tuple[str, ...] = (
    "roa",
    "debt_ratio",
    "wc_ta",
    "current_ratio",
    "quick_ratio",
    "re_ta",
    "ebit_ta",
    "equity_tl",
    "net_margin",
    "gross_margin",
    "interest_cover",
    "ocf_cl",
)

#: Altman Z″ (2000) coefficients for X1 … X4
Z_COEFFICIENTS = (6.56, 3.26, 6.72, 1.05)
#: the constant Altman's EMS adds to Z″ (never to be mixed with the Z″ zones)
EMS_CONSTANT = 3.25
#: bond-rating equivalents of the EMS (Altman 2005): the lowest EMS of each rating
EMS_RATINGS: tuple[tuple[str, float], ...] = (
    ("AAA", 8.15),
    ("AA+", 7.60),
    ("AA", 7.30),
    ("AA-", 7.00),
    ("A+", 6.85),
    ("A", 6.65),
    ("A-", 6.40),
    ("BBB+", 6.25),
    ("BBB", 5.85),
    ("BBB-", 5.65),
    ("BB+", 5.25),
    ("BB", 4.95),
    ("BB-", 4.75),
    ("B+", 4.50),
    ("B", 4.15),
    ("B-", 3.75),
    ("CCC+", 3.20),
    ("CCC", 2.50),
    ("CCC-", 1.75),
)
EMS_DEFAULT_RATING = "D"

_FLOWS = (
    "revenue",
    "cost_of_sales",
    "profit_before_tax",
    "interest_expense",
    "ebit",
    "net_profit",
    "operating_cash_flow",
)


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, unknown where either is missing or the denominator is zero."""
    num = numerator.astype("float64")
    den = denominator.astype("float64")
    return (num / den.where(den != 0)).replace([np.inf, -np.inf], np.nan)


def completed(financials: pd.DataFrame) -> pd.DataFrame:
    """Statements with the derived lines filled where blank and flows annualised.

    EBIT = profit before tax + interest expense; equity = total assets − total liabilities;
    ``working_capital`` = current assets − current liabilities; ``tangible_net_worth`` = equity −
    intangible assets (blank intangibles count as none).
    """
    out = financials.copy()
    for key in (
        *_FLOWS,
        "cash",
        "receivables",
        "inventory",
        "current_assets",
        "intangible_assets",
        "total_assets",
        "current_liabilities",
        "total_liabilities",
        "equity",
        "retained_earnings",
    ):
        out[key] = out[key].astype("float64")
    out["ebit"] = out["ebit"].fillna(out["profit_before_tax"] + out["interest_expense"])
    out["equity"] = out["equity"].fillna(out["total_assets"] - out["total_liabilities"])
    months = pd.to_numeric(out["period_months"], errors="coerce").astype("float64")
    scale = (12.0 / months.where(months > 0)).fillna(1.0)
    for key in _FLOWS:
        out[key] = out[key] * scale
    out["working_capital"] = out["current_assets"] - out["current_liabilities"]
    out["tangible_net_worth"] = out["equity"] - out["intangible_assets"].fillna(0.0)
    return out


def statement_ratios(financials: pd.DataFrame) -> pd.DataFrame:
    """The Policy's financial ratios for every statement (same index as ``financials``).

    >>> f = pd.DataFrame({"customer_id": ["A"], "period_end": [pd.Timestamp("2025-12-31")],
    ...     "period_months": [12], "revenue": [1000.0], "cost_of_sales": [700.0],
    ...     "profit_before_tax": [60.0], "interest_expense": [20.0], "ebit": [None],
    ...     "net_profit": [45.0], "cash": [50.0], "receivables": [150.0], "inventory": [100.0],
    ...     "current_assets": [400.0], "intangible_assets": [20.0], "total_assets": [1000.0],
    ...     "current_liabilities": [250.0], "total_liabilities": [600.0], "equity": [None],
    ...     "retained_earnings": [200.0], "operating_cash_flow": [50.0]})
    >>> r = statement_ratios(f).iloc[0]
    >>> float(r.debt_ratio), float(r.current_ratio), float(r.quick_ratio), float(r.interest_cover)
    (0.6, 1.6, 1.2, 4.0)
    """
    return _ratios_of(completed(financials))


def _ratios_of(s: pd.DataFrame) -> pd.DataFrame:
    """``statement_ratios`` of statements ``completed`` already filled in."""
    ta, cl, tl = s["total_assets"], s["current_liabilities"], s["total_liabilities"]
    ratios = pd.DataFrame(
        {
            "roa": _ratio(s["net_profit"], ta),
            "debt_ratio": _ratio(tl, ta),
            "wc_ta": _ratio(s["working_capital"], ta),
            "current_ratio": _ratio(s["current_assets"], cl),
            "quick_ratio": _ratio(s["current_assets"] - s["inventory"], cl),
            "re_ta": _ratio(s["retained_earnings"], ta),
            "ebit_ta": _ratio(s["ebit"], ta),
            "equity_tl": _ratio(s["equity"], tl),
            "net_margin": _ratio(s["net_profit"], s["revenue"]),
            "gross_margin": _ratio(s["revenue"] - s["cost_of_sales"], s["revenue"]),
            "interest_cover": _ratio(s["ebit"], s["interest_expense"]),
            "ocf_cl": _ratio(s["operating_cash_flow"], cl),
        },
        index=s.index,
    )
    ratios["zscore"] = altman_z2(s)
    return ratios


def altman_z2(statements: pd.DataFrame) -> pd.Series:
    """Altman Z″ = 6.56·X1 + 3.26·X2 + 6.72·X3 + 1.05·X4 (non-manufacturers, book equity).

    X1 = working capital / TA, X2 = retained earnings / TA, X3 = EBIT / TA, X4 = equity / TL.
    Takes statements as ``completed`` returns them; unknown when any X is unknown.

    >>> s = pd.DataFrame({"working_capital": [150.0], "total_assets": [1000.0],
    ...     "retained_earnings": [200.0], "ebit": [80.0], "equity": [400.0],
    ...     "total_liabilities": [600.0]})
    >>> round(float(altman_z2(s).iloc[0]), 4)  # 0.984 + 0.652 + 0.5376 + 0.7
    2.8736
    """
    ta = statements["total_assets"]
    x1 = _ratio(statements["working_capital"], ta)
    x2 = _ratio(statements["retained_earnings"], ta)
    x3 = _ratio(statements["ebit"], ta)
    x4 = _ratio(statements["equity"], statements["total_liabilities"])
    a, b, c, d = Z_COEFFICIENTS
    return (a * x1 + b * x2 + c * x3 + d * x4).rename("zscore")


def zscore_zone(zscore: pd.Series, zones: ZScoreZones) -> pd.Series:
    """``safe`` / ``grey`` / ``distress`` by the Z″ edges of the Policy (never for an EMS)."""
    return zones.zone(zscore)


def emerging_market_score(zscore: pd.Series) -> pd.Series:
    """Altman's EMS = Z″ + 3.25, to be read only with ``ems_rating`` (its own scale)."""
    return (zscore.astype("float64") + EMS_CONSTANT).rename("ems")


def ems_rating(ems: pd.Series) -> pd.Series:
    """The bond-rating equivalent of an EMS: the best rating whose floor the score reaches.

    >>> ems_rating(pd.Series([8.2, 5.9, 3.25, 1.0, None])).tolist()
    ['AAA', 'BBB', 'CCC+', 'D', nan]
    """
    values = ems.astype("float64").to_numpy()
    floors = np.array([f for _, f in reversed(EMS_RATINGS)])
    labels = np.array([EMS_DEFAULT_RATING, *(r for r, _ in reversed(EMS_RATINGS))], dtype=object)
    found = labels[np.searchsorted(floors, values, side="right")]
    found[np.isnan(values)] = np.nan
    return pd.Series(found, index=ems.index, name="ems_rating", dtype=object)


def latest_statements(financials: pd.DataFrame) -> pd.DataFrame:
    """Each customer's latest statement (by period end) with its ratios and Z″, indexed by
    customer id, plus ``<ratio>_change``: the change against the statement before (NaN for a
    customer with a single statement)."""
    if financials.empty:
        cols = [
            *completed(financials).columns,
            *RATIO_KEYS,
            "zscore",
            *(f"{k}_change" for k in RATIO_KEYS),
        ]
        return pd.DataFrame(columns=cols, index=pd.Index([], name="customer_id", dtype="str"))
    statements = completed(financials)
    full = pd.concat([statements, _ratios_of(statements)], axis=1)
    full = full.sort_values(
        ["customer_id", "period_end", "_row"] if "_row" in full else ["customer_id", "period_end"],
        kind="stable",
    )
    grouped = full.groupby("customer_id", sort=False)
    latest = grouped.tail(1).set_index("customer_id")
    previous = grouped.nth(-2).set_index("customer_id")
    for key in RATIO_KEYS:
        latest[f"{key}_change"] = latest[key] - previous[key].reindex(latest.index)
    return latest
