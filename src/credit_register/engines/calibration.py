"""Fitting the financial scorecard to real outcomes: bands by weight of evidence, weights by
logistic regression.

Guessed bands are the weakest part of any scorecard, so the default financial bands were fitted on
public bankruptcy data (``scripts/calibrate_polish.py``, the README) and a credit
manager can refit them on the register's own history of defaults (``credit-register calibrate``).
The fitting is done by well-kept libraries, not by hand: ``optbinning`` finds the band edges
(optimal binning under a monotonic default-rate constraint, so a better ratio never earns fewer
points) and scikit-learn's logistic regression weighs the factors. Scores are always computed
through ``ratios`` and ``scorecard`` — the very code that rates customers — so the reported AUC is
the AUC of what the Ratings sheet shows.

Method:

1. Hold out a stratified, seeded share of the rows; fit on the rest only.
2. Per financial factor: optimal bins (at most ``MAX_BANDS``, each ≥ ``MIN_BAND_SHARE`` of the
   rows) with the default rate falling towards the better side; each band's weight of evidence
   WoE = ln(share of good / share of bad) (0.5 added to each count); points scale WoE linearly
   to 0 (worst band) … 100 (best band).
3. Logistic regression of default on the factors' WoE (unknown = 0, neutral); a factor's weight
   within the pillar is proportional to −coefficient × its WoE range (that makes the weighted sum
   of points proportional to the fitted log-odds). Factors with no data, a single band or a
   coefficient of the wrong sign keep no weight; factors absent from the data keep their current
   weight share.
4. ROC AUC on the hold-out rows, of the fitted financial pillar and of Altman Z″ on the same rows.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from optbinning import OptimalBinning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from credit_register.core.register import Register
from credit_register.engines import ratios, scorecard
from credit_register.policy.model import BandedFactor, Policy
from credit_register.policy.rows import policy_rows

MAX_BANDS = 5
MIN_BAND_SHARE = 0.05
#: fewest defaults (and non-defaults) a fit needs to mean anything
MIN_DEFAULTS = 10


def financial_score(latest: pd.DataFrame, policy: Policy) -> pd.Series:
    """The financial pillar score (0–100) of statements as ``ratios.latest_statements`` gives them,
    through the scorecard the Ratings sheet uses."""
    nobody = pd.DataFrame(False, index=latest.index, columns=list(scorecard.KNOCK_OUTS))
    card = scorecard.score({"financial": latest[list(ratios.RATIO_KEYS)]}, nobody, policy, "en")
    return card["financial_score"]


def auc(defaulted: pd.Series, safety: pd.Series) -> float:
    """ROC AUC of a score where higher means safer, on the rows that have a score (NaN without
    both classes)."""
    scored = safety.notna()
    if defaulted[scored].nunique() < 2:
        return math.nan
    return float(roc_auc_score(defaulted[scored].astype(int), -safety[scored].astype("float64")))


def _bands(values: pd.Series, bad: pd.Series, direction: str) -> tuple[list[float], np.ndarray]:
    """Band edges and each band's WoE for one factor on the training rows."""
    known = values.notna()
    x = values[known].to_numpy(dtype=float)
    y = bad[known].to_numpy(dtype=int)
    if len(x) == 0 or y.min() == y.max():
        return [], np.array([])
    binning = OptimalBinning(
        name=str(values.name),
        dtype="numerical",
        solver="cp",
        max_n_bins=MAX_BANDS,
        min_bin_size=MIN_BAND_SHARE,
        monotonic_trend="descending" if direction == "higher" else "ascending",
    )
    binning.fit(x, y)
    edges = [float(e) for e in np.asarray(binning.splits, dtype=float)]
    band = np.searchsorted(np.asarray(edges), x, side="right")
    bads = np.bincount(band, weights=y, minlength=len(edges) + 1) + 0.5
    goods = np.bincount(band, weights=1 - y, minlength=len(edges) + 1) + 0.5
    woe = np.log((goods / goods.sum()) / (bads / bads.sum()))
    return edges, woe


def _tidy_edges(edges: list[float], woe: np.ndarray) -> tuple[list[float], np.ndarray]:
    """Edges rounded for the Policy sheet (4 decimals); bands that rounding merges are joined."""
    rounded = [round(e, 4) for e in edges]
    keep_edges: list[float] = []
    keep_woe = [float(woe[0])]
    for edge, w in zip(rounded, woe[1:], strict=True):
        if keep_edges and edge <= keep_edges[-1]:
            keep_woe[-1] = (keep_woe[-1] + float(w)) / 2
            continue
        keep_edges.append(edge)
        keep_woe.append(float(w))
    return keep_edges, np.asarray(keep_woe)


def fit_financial(
    latest: pd.DataFrame, bad: pd.Series, policy: Policy
) -> tuple[Policy, dict[str, Any]]:
    """``policy`` with the financial bands and factor weights fitted on ``latest`` (ratios per
    row) against ``bad`` (1 = defaulted), and what was fitted per factor."""
    pillar = policy.pillars["financial"]
    fitted: dict[str, BandedFactor] = {}
    woe_columns: dict[str, pd.Series] = {}
    ranges: dict[str, float] = {}
    for key, factor in pillar.factors.items():  # a loop over a dozen factors
        if not isinstance(factor, BandedFactor):
            continue
        edges, woe = _bands(latest[key], bad, factor.direction)
        if not edges:
            continue
        edges, woe = _tidy_edges(edges, woe)
        low, high = float(woe.min()), float(woe.max())
        points = tuple(float(round(100 * (w - low) / (high - low))) for w in woe)
        fitted[key] = factor.model_copy(update={"edges": tuple(edges), "points": points})
        band = np.searchsorted(
            np.asarray(edges),
            latest[key].to_numpy(dtype=float),
            side="right" if factor.direction == "higher" else "left",
        )
        woe_columns[key] = pd.Series(
            np.where(latest[key].isna(), 0.0, woe[band]), index=latest.index
        )
        ranges[key] = high - low
    if not fitted:
        return policy, {"factors": {}}
    design = pd.DataFrame(woe_columns)
    model = LogisticRegression(C=1.0, max_iter=1000)
    model.fit(design.to_numpy(), bad.astype(int).to_numpy())
    strength = {
        k: max(0.0, -float(c)) * ranges[k]
        for k, c in zip(design.columns, model.coef_[0], strict=True)
    }
    absent = [k for k in pillar.factors if k not in fitted]
    free_share = 1.0 - sum(pillar.factors[k].weight for k in absent)
    total = sum(strength.values()) or 1.0
    factors = dict(pillar.factors)
    for key, factor in fitted.items():
        factors[key] = factor.model_copy(
            update={"weight": round(free_share * strength[key] / total, 4)}
        )
    # rounding must not break the 100 % sum: the largest weight takes the remainder
    weights = {k: f.weight for k, f in factors.items()}
    largest = max(weights, key=lambda k: weights[k])
    factors[largest] = factors[largest].model_copy(
        update={"weight": round(1.0 - sum(w for k, w in weights.items() if k != largest), 4)}
    )
    new_pillar = pillar.model_copy(update={"factors": factors})
    pillars = {**policy.pillars, "financial": new_pillar}
    report = {
        "factors": {
            k: {"edges": list(f.edges), "points": list(f.points), "weight": factors[k].weight}
            for k, f in fitted.items()
        }
    }
    return policy.model_copy(update={"pillars": pillars}), report


def evaluate(
    latest: pd.DataFrame, bad: pd.Series, policy: Policy, *, holdout: float, seed: int
) -> tuple[Policy, dict[str, Any]]:
    """Fit on a stratified, seeded part of the rows; AUCs on the held-out rest.

    The report has the row counts, the hold-out AUC of the fitted financial pillar, of the
    pillar under ``policy`` as given, and of Altman Z″, all on the same hold-out rows (those
    with a Z″ and a financial score), plus the fitted factors.
    """
    train, test = train_test_split(
        latest.index.to_numpy(), test_size=holdout, random_state=seed, stratify=bad.to_numpy()
    )
    fitted, factors = fit_financial(latest.loc[train], bad.loc[train], policy)
    held = latest.loc[test]
    fitted_score = financial_score(held, fitted)
    given_score = financial_score(held, policy)
    zscore = held["zscore"]
    same = fitted_score.notna() & given_score.notna() & zscore.notna()
    outcome = bad.loc[test][same]
    report: dict[str, Any] = {
        "rows": len(latest),
        "defaults": int(bad.sum()),
        "train_rows": len(train),
        "holdout_rows": int(same.sum()),
        "holdout_defaults": int(outcome.sum()),
        "auc_financial_fitted": auc(outcome, fitted_score[same]),
        "auc_financial_given": auc(outcome, given_score[same]),
        "auc_zscore": auc(outcome, zscore[same]),
        "auc_financial_fitted_train": auc(
            bad.loc[train], financial_score(latest.loc[train], fitted)
        ),
        **factors,
    }
    return fitted, report


def calibrate(
    register: Register,
    policy: Policy,
    *,
    holdout: float = 0.3,
    seed: int = 0,
) -> tuple[list[tuple[str, object, str, str]], dict[str, Any]]:
    """Fit the financial bands and weights on the register's own defaults.

    A customer's outcome is its ``defaulted`` flag; a defaulted customer is measured on its latest
    statement dated before its ``default_date`` (what was known before it failed), the others on
    their latest statement. Returns the fitted policy as Policy rows (for a review sheet; the live
    Policy is never replaced here) and the report (AUCs, counts; ``problem_zh``/``problem_en``
    when the history is too thin to fit).
    """
    customers = register.frame("customers")
    known = customers.loc[
        customers["defaulted"].notna(), ["customer_id", "defaulted", "default_date"]
    ].drop_duplicates("customer_id")
    statements = register.frame("financials").merge(known, on="customer_id", how="inner")
    before = statements["default_date"].isna() | (
        statements["period_end"] < statements["default_date"]
    )
    statements = statements.loc[
        before & (statements["period_end"] <= pd.Timestamp(register.as_of))
    ].drop(columns=["defaulted", "default_date"])
    latest = ratios.latest_statements(statements)
    bad = known.set_index("customer_id")["defaulted"].astype(bool).reindex(latest.index)
    defaults = int(bad.sum())
    if defaults < MIN_DEFAULTS or len(bad) - defaults < MIN_DEFAULTS:
        return [], {
            "rows": len(bad),
            "defaults": defaults,
            "problem_zh": f"违约客户与正常客户各需至少{MIN_DEFAULTS}家（且有违约前的财务报表），"
            f"现有违约{defaults}家、正常{len(bad) - defaults}家",
            "problem_en": f"at least {MIN_DEFAULTS} defaulted and {MIN_DEFAULTS} other customers "
            f"with statements before default are needed; found {defaults} and "
            f"{len(bad) - defaults}",
        }
    fitted, report = evaluate(latest, bad.astype(int), policy, holdout=holdout, seed=seed)
    return policy_rows(fitted, register.lang), report
