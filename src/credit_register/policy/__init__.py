"""The credit policy: every weight, band, threshold, term and rate the engines use, in one place.

`spec/policy.md` is a *default* that a credit manager changes on the workbook's Policy sheet
(信用政策). The scorecard, the limit and terms engine, ageing, early warnings, collections, late
interest, insurance deadlines and the documents all read their figures from one ``Policy`` value,
so a threshold changed on the sheet changes every place that uses it, and nothing else in the
code spells a policy figure.

The sheet is a list of rows ``parameter | value | unit | note``. ``parameter`` is a stable dotted
English key (``weight.financial``, ``fin.debt_ratio.edge.2``, ``warn.max_days_overdue.block``...),
the same in a Chinese and an English workbook; ``note`` explains the row in the workbook's language.

Conventions (decided here, relied on by every engine):

* **Percent rows** (unit ``%``) show percent points on the sheet and hold *fractions* in the model:
  the sheet's ``40`` is ``0.40`` in ``Policy``; a band edge of a ratio shown in % (debt ratio
  55 %) is ``0.55``, so engines compare it with ratios computed as fractions. On the sheet a number
  in a % row always means percent points: ``40``, ``"40"`` and ``"40%"`` are all 40 %, and ``0.4``
  is 0.4 % (never guessed to be 40 %: 0.05 % a day is a real default). Excel hands a cell
  *formatted* as a percentage over as a fraction, so the Policy sheet's value column must not carry
  a % number format.
* **Number rows** accept ``1,000``, ``¥10,000``, ``15天``, ``15 days``, ``3.0%``: the row's own
  unit may be typed after the number; another unit is an error.
* **Band ladders**: a factor maps a value to points through edges ``edge.1 < edge.2 < ...`` and
  points ``points.1 ... points.n+1`` (``points.1`` below ``edge.1``, ``points.n+1`` beyond the last
  edge). A value exactly on an edge earns the *better* band: ``higher`` factors use ``[e1, e2)``,
  ``lower`` factors ``(e1, e2]``. Every edge and every points figure is its own row; a ladder is
  read as a whole: when any of its rows is on the sheet, the sheet's rows define it (so a fitted
  policy may have more or fewer bands), otherwise the default ladder is used.
* **Missing rows** take the default silently (an older workbook keeps working); **unknown rows**
  are a warning; **bad values** and broken structure (weights not summing to 100 %, edges not
  increasing, grade minimums out of order) are errors at the value cells and the default is used
  for that value or group, never a half-applied one.
* **Group limits** are optional rows ``group_limit.<group name>`` (amount in base currency), one
  per customer group (the Customers sheet's ``group`` column).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from credit_register.core.issues import Issue
from credit_register.core.register import Table
from credit_register.core.schema import (
    GRADES,
    OWNERSHIP,
    POLICY,
    SEVERITY,
    Code,
    Language,
    normalise_label,
)

Direction = Literal["higher", "lower"]
PillarKey = Literal["financial", "payment", "bureau", "qualitative"]
SeverityKey = Literal["info", "warning", "block"]
Comparison = Literal[">", ">=", "<="]

#: security a grade requires (the Ratings sheet's ``security``, the contract clauses)
SECURITY: tuple[Code, ...] = (
    Code("none", "无", "none"),
    Code(
        "guarantee_or_deposit",
        "超出保险限额部分需担保或保证金",
        "guarantee or deposit above the insured limit",
    ),
    Code("guarantee_and_title", "担保及所有权保留", "guarantee and retention of title"),
    Code("cash_in_advance", "款到发货或信用证", "cash in advance or letter of credit"),
)
#: which late-interest rate applies when a contract agrees none
INTEREST_BASIS: tuple[Code, ...] = (
    Code("lpr_markup", "一年期LPR加成", "1-year LPR plus markup"),
    Code("sme_daily", "中小企业日利率", "SME daily rate"),
    Code("none", "不计逾期利息", "no late interest"),
)
DIRECTIONS: tuple[Code, ...] = (
    Code("higher", "越高越好", "higher is better"),
    Code("lower", "越低越好", "lower is better"),
)
_SEVERITY_ORDER: tuple[SeverityKey, ...] = ("info", "warning", "block")


# =========================================================================== the model


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BandedFactor(_Frozen):
    """A scorecard factor that maps a measured value to points (0–100) through band edges."""

    kind: Literal["banded"] = "banded"
    #: share of the pillar (fraction; a pillar's factor weights sum to 1)
    weight: float
    direction: Direction
    #: strictly increasing, in the unit the ratio engine computes (fractions for % ratios)
    edges: tuple[float, ...]
    #: one more than ``edges``: ``points[0]`` below the first edge, ``points[-1]`` beyond the last
    points: tuple[float, ...]

    def score(self, values: pd.Series) -> pd.Series:
        """Points per value; NaN where the value is unknown (the factor is left out)."""
        measured = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        # an edge value earns the better band: [e1, e2) when higher is better, (e1, e2] when lower
        side: Literal["left", "right"] = "right" if self.direction == "higher" else "left"
        band = np.searchsorted(np.asarray(self.edges, dtype=float), measured, side=side)
        points = np.asarray(self.points, dtype=float)[band]
        points[np.isnan(measured)] = np.nan
        return pd.Series(points, index=values.index, name=values.name, dtype=float)


class CategoricalFactor(_Frozen):
    """A factor that gives points per category (ownership code, yes/no)."""

    kind: Literal["categorical"] = "categorical"
    weight: float
    #: category key → points; yes/no factors use the keys ``yes`` and ``no``
    points: dict[str, float]

    def score(self, categories: pd.Series) -> pd.Series:
        """Points per category; a boolean series counts as ``yes``/``no``; NaN when unknown."""
        keys = categories
        if pd.api.types.is_bool_dtype(categories):
            keys = categories.map({True: "yes", False: "no"})
        return keys.map(self.points).astype(float)


Factor = Annotated[BandedFactor | CategoricalFactor, Field(discriminator="kind")]


class Pillar(_Frozen):
    #: share of the total score (fraction; the four pillar weights sum to 1)
    weight: float
    factors: dict[str, Factor]


class KnockOuts(_Frozen):
    """Findings that force grade C whatever the score."""

    enforcement: bool
    abnormal_operation: bool
    legal_status: bool
    overdue: bool
    overdue_days: int


class ZScoreZones(_Frozen):
    """Altman Z″ (2000) zones: distress < grey_from ≤ grey ≤ safe_above < safe."""

    grey_from: float
    safe_above: float

    def zone(self, zscore: pd.Series) -> pd.Series:
        z = pd.to_numeric(zscore, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        zones = np.full(len(z), None, dtype=object)
        zones[z < self.grey_from] = "distress"
        zones[(z >= self.grey_from) & (z <= self.safe_above)] = "grey"
        zones[z > self.safe_above] = "safe"
        return pd.Series(zones, index=zscore.index, dtype="str")


class Limits(_Frozen):
    """Credit limit rules (policy §2); per-grade figures keyed by grade, fractions for %."""

    pct_tnw: dict[str, float]
    pct_wc: dict[str, float]
    pct_rev: dict[str, float]
    own_appetite: dict[str, float]
    step: float
    grace_days: int
    max_step_up: float
    cut_grade: str
    bureau_cap: bool


class GradeTerms(_Frozen):
    days: int
    #: share of an order paid before shipment (fraction; 1 = cash in advance)
    prepayment: float
    #: a key of ``SECURITY``
    security: str


class Threshold(_Frozen):
    op: Comparison
    value: float


class Indicator(_Frozen):
    """An early-warning indicator with a threshold per severity it can raise."""

    levels: dict[SeverityKey, Threshold]

    def severity(self, values: pd.Series) -> pd.Series:
        """The highest severity each value breaches; NaN where none is breached."""
        measured = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        found = np.full(len(measured), None, dtype=object)
        for level in _SEVERITY_ORDER:
            threshold = self.levels.get(level)
            if threshold is None:
                continue
            if threshold.op == ">":
                breached = measured > threshold.value
            elif threshold.op == ">=":
                breached = measured >= threshold.value
            else:
                breached = measured <= threshold.value
            found[breached] = level
        return pd.Series(found, index=values.index, dtype="str")


class Ageing(_Frozen):
    #: days-past-due edges between the overdue buckets (1–30, 31–60, ... > 365)
    edges: tuple[int, ...]
    dso_window_days: int


class Staleness(_Frozen):
    statement_months: int
    bureau_months: int


class Reviews(_Frozen):
    months: dict[str, int]
    site_visit_months: int
    distribution: tuple[str, ...]


class Insurance(_Frozen):
    notify_days: int
    claim_days: int


class Interest(_Frozen):
    lpr_1y: float
    lpr_as_of: dt.date
    markup: float
    sme_daily: float
    default_basis: str
    day_count: int

    @property
    def lpr_annual_rate(self) -> float:
        """The default annual late-interest rate: 1-year LPR plus the markup (3.0 % × 1.5)."""
        return self.lpr_1y * (1 + self.markup)


class Policy(_Frozen):
    """The whole credit policy. Percentages are fractions (0.4 for 40 %)."""

    base_currency: str
    pillars: dict[PillarKey, Pillar]
    knockouts: KnockOuts
    #: minimum total score per grade, AAA … B (C is everything below B's minimum)
    grade_min: dict[str, float]
    zscore: ZScoreZones
    limits: Limits
    terms: dict[str, GradeTerms]
    ageing: Ageing
    indicators: dict[str, Indicator]
    #: severity of the event indicators (new enforcement, stale statement, broken promise, ...)
    event_severity: dict[str, SeverityKey]
    staleness: Staleness
    reviews: Reviews
    insurance: Insurance
    #: days relative to the due date at which each collections step starts (step 0 = -7)
    ladder_days: tuple[int, ...]
    interest: Interest
    penalty_excess_max: float
    limitation_years: int
    bill_default_maturity_days: int
    group_limits: dict[str, float] = Field(default_factory=dict)

    def grade_edges(self) -> tuple[list[float], list[str]]:
        """``pd.cut`` bins and labels for grading scores (``right=False``): C first.

        >>> DEFAULT_POLICY.grade_edges()[0][1:-1]
        [40.0, 50.0, 60.0, 70.0, 80.0, 90.0]
        """
        graded = [g for g in GRADES if g in self.grade_min]
        labels = ["C", *reversed(graded)]
        edges = [-math.inf, *(float(self.grade_min[g]) for g in reversed(graded)), math.inf]
        return edges, labels

    def grade_for(self, score: float) -> str:
        """The grade a total score earns.

        >>> [DEFAULT_POLICY.grade_for(score) for score in (90, 89.99, 40, 39.9)]
        ['AAA', 'AA', 'B', 'C']
        """
        if math.isnan(score):
            raise ValueError("a score is needed to grade a customer")
        for grade in GRADES:
            if grade in self.grade_min and score >= self.grade_min[grade]:
                return grade
        return "C"

    def grades_for(self, scores: pd.Series) -> pd.Series:
        """Vectorised ``grade_for``; NaN where the score is unknown."""
        edges, labels = self.grade_edges()
        graded = pd.cut(
            pd.to_numeric(scores, errors="coerce"), bins=edges, labels=labels, right=False
        )
        return graded.astype("str").where(graded.notna())

    def dunning_level(self, days_past_due: pd.Series) -> pd.Series:
        """The collections step reached (0–5) per days past due (negative = before due);
        NA before step 0."""
        days = pd.to_numeric(days_past_due, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        level = np.searchsorted(np.asarray(self.ladder_days, dtype=float), days, side="right") - 1
        result = pd.Series(level, index=days_past_due.index, dtype="Int64")
        return result.mask((level < 0) | np.isnan(days))


# =========================================================================== the parameters

Kind = Literal[
    "pct",
    "days",
    "months",
    "years",
    "amount",
    "points",
    "ratio",
    "count",
    "notches",
    "bool",
    "currency",
    "emails",
    "date",
    "direction",
    "severity",
    "grade",
    "security",
    "basis",
]
_UNITS: dict[str, tuple[str, str]] = {
    "pct": ("%", "%"),
    "days": ("天", "days"),
    "months": ("月", "months"),
    "years": ("年", "years"),
    "amount": ("元", "CNY"),
    "points": ("分", "points"),
    "ratio": ("倍", "x"),
    "count": ("次", "times"),
    "notches": ("级", "notches"),
}
#: what a user may type after a number in a row of that unit
_UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "pct": ("%",),
    "days": ("天", "日", "day", "days"),
    "months": ("个月", "月", "month", "months"),
    "years": ("年", "year", "years"),
    "amount": ("元", "cny", "rmb"),
    "points": ("分", "point", "points"),
    "ratio": ("倍", "x", "times"),
    "count": ("次", "个", "件", "条", "times"),
    "notches": ("级", "notch", "notches"),
}
_CODES: dict[str, tuple[Code, ...]] = {
    "direction": DIRECTIONS,
    "severity": SEVERITY,
    "security": SECURITY,
    "basis": INTEREST_BASIS,
    "grade": tuple(Code(g, g, g) for g in GRADES),
}
_NUMERIC_KINDS = frozenset(_UNITS)

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class _Param:
    key: str
    path: Path
    kind: Kind
    #: as shown on the sheet (percent points for %); None for rows without a default
    default: object
    zh: str
    en: str
    minimum: float | None = 0.0
    maximum: float | None = None
    integer: bool = False
    #: rows checked together (weights summing to 100 %, increasing edges)
    group: str = ""


@dataclass(frozen=True)
class _FactorDef:
    pillar: PillarKey
    key: str
    zh: str
    en: str
    weight: float
    unit: Kind = "pct"
    direction: Direction = "higher"
    edges: tuple[float, ...] = ()
    points: tuple[float, ...] = ()
    #: categorical factors: (category key, zh, en, points)
    categories: tuple[tuple[str, str, str, float], ...] = ()


@dataclass(frozen=True)
class _PillarDef:
    key: PillarKey
    prefix: str
    zh: str
    en: str
    weight: float


_PILLARS: tuple[_PillarDef, ...] = (
    _PillarDef("financial", "fin", "财务状况", "financial", 40),
    _PillarDef("payment", "pay", "付款行为", "payment behaviour", 30),
    _PillarDef("bureau", "bureau", "外部征信", "external (bureau)", 20),
    _PillarDef("qualitative", "qual", "定性因素", "qualitative", 10),
)
_PILLAR_BY_PREFIX = {p.prefix: p for p in _PILLARS}
_YES_NO = (("yes", "是", "yes"), ("no", "否", "no"))

# The financial bands and weights were fitted on the Polish bankruptcy data (optimal WoE bins and
# logistic regression, scripts/calibrate_polish.py, the README); interest cover and
# operating cash flow, absent from that data, keep bands from common Chinese credit practice.
# `calibrate` refits them on a register's own defaults; points rise 0 → 100 to the better side.
_FACTORS: tuple[_FactorDef, ...] = (
    _FactorDef(
        "financial",
        "roa",
        "总资产净利率（净利润/资产总计）",
        "net profit / total assets",
        10.1,
        "pct",
        "higher",
        (-4.15, 0.88, 4.16, 21.64),
        (0, 19, 32, 79, 100),
    ),
    _FactorDef(
        "financial",
        "debt_ratio",
        "资产负债率（负债合计/资产总计）",
        "total liabilities / total assets",
        5.1,
        "pct",
        "lower",
        (31.25, 47.33, 77.11, 87.45),
        (100, 91, 55, 17, 0),
    ),
    _FactorDef(
        "financial",
        "wc_ta",
        "营运资金/资产总计",
        "working capital / total assets",
        0,
        "pct",
        "higher",
        (-19.9, -5.51, 8.5, 17.43),
        (0, 33, 38, 79, 100),
    ),
    _FactorDef(
        "financial",
        "current_ratio",
        "流动比率",
        "current ratio",
        0.7,
        "ratio",
        "higher",
        (0.7002, 1.1674, 1.2871, 1.6584),
        (0, 35, 54, 80, 100),
    ),
    _FactorDef(
        "financial",
        "quick_ratio",
        "速动比率（(流动资产-存货)/流动负债）",
        "quick ratio ((current assets - inventory) / current liabilities)",
        26.1,
        "ratio",
        "higher",
        (0.3015, 0.535, 0.7732, 0.8522),
        (0, 43, 61, 73, 100),
    ),
    _FactorDef(
        "financial",
        "re_ta",
        "留存收益/资产总计",
        "retained earnings / total assets",
        16.5,
        "pct",
        "higher",
        (-1.64, 5.21, 13.03, 22.39),
        (0, 21, 40, 62, 100),
    ),
    _FactorDef(
        "financial",
        "ebit_ta",
        "息税前利润/资产总计",
        "EBIT / total assets",
        0,
        "pct",
        "higher",
        (0.14, 1.14, 4.59, 18.54),
        (0, 17, 35, 81, 100),
    ),
    _FactorDef(
        "financial",
        "equity_tl",
        "所有者权益/负债合计",
        "equity / total liabilities",
        5.2,
        "ratio",
        "higher",
        (0.1003, 0.2967, 0.7649, 1.0792),
        (0, 26, 54, 79, 100),
    ),
    _FactorDef(
        "financial",
        "net_margin",
        "销售净利率",
        "net margin",
        15,
        "pct",
        "higher",
        (-5.14, 1.09, 4.29, 10.5),
        (0, 22, 47, 83, 100),
    ),
    _FactorDef(
        "financial",
        "gross_margin",
        "毛利率",
        "gross margin",
        7.3,
        "pct",
        "higher",
        (-4.68, 2.04, 7.87, 21.12),
        (0, 23, 69, 71, 100),
    ),
    _FactorDef(
        "financial",
        "interest_cover",
        "利息保障倍数（息税前利润/利息费用）",
        "interest cover (EBIT / interest expense)",
        6,
        "ratio",
        "higher",
        (1, 2, 4, 8),
        (0, 30, 60, 85, 100),
    ),
    _FactorDef(
        "financial",
        "ocf_cl",
        "经营活动现金流量净额/流动负债",
        "operating cash flow / current liabilities",
        8,
        "ratio",
        "higher",
        (0, 0.1, 0.2, 0.4),
        (0, 35, 60, 80, 100),
    ),
    _FactorDef(
        "payment",
        "avg_days_late",
        "加权平均逾期天数（按金额加权，近12个月）",
        "weighted average days late (by amount, last 12 months)",
        25,
        "days",
        "lower",
        (0, 10, 30, 60),
        (100, 75, 45, 15, 0),
    ),
    _FactorDef(
        "payment",
        "on_time_share",
        "按时付款占比（按金额，近12个月）",
        "share paid on time (by amount, last 12 months)",
        20,
        "pct",
        "higher",
        (50, 70, 85, 95),
        (0, 30, 60, 85, 100),
    ),
    _FactorDef(
        "payment",
        "max_days_overdue",
        "当前最长逾期天数",
        "max days overdue now",
        20,
        "days",
        "lower",
        (0, 30, 60, 90),
        (100, 70, 40, 15, 0),
    ),
    _FactorDef(
        "payment",
        "overdue_share",
        "逾期金额占应收余额比例",
        "overdue share of balance",
        15,
        "pct",
        "lower",
        (0, 10, 20, 40),
        (100, 75, 50, 20, 0),
    ),
    _FactorDef(
        "payment",
        "trend",
        "付款趋势（近3个月平均逾期天数减此前9个月）",
        "trend (avg days late, last 3 months minus the 9 before)",
        10,
        "days",
        "lower",
        (-10, -2, 2, 10),
        (100, 80, 60, 30, 0),
    ),
    _FactorDef(
        "payment",
        "broken_promises",
        "近12个月未兑现付款承诺次数",
        "broken promises to pay, last 12 months",
        10,
        "count",
        "lower",
        (0, 1, 2, 3),
        (100, 60, 30, 10, 0),
    ),
    _FactorDef(
        "bureau",
        "score",
        "征信评分标准化（评分/满分）",
        "normalised bureau score (score / score max)",
        60,
        "pct",
        "higher",
        (40, 55, 70, 85),
        (0, 30, 60, 85, 100),
    ),
    _FactorDef(
        "bureau",
        "overdue_records",
        "征信逾期记录数",
        "bureau overdue records",
        20,
        "count",
        "lower",
        (0, 1, 3, 5),
        (100, 70, 40, 15, 0),
    ),
    _FactorDef(
        "bureau",
        "lawsuits",
        "涉诉案件数",
        "lawsuits",
        20,
        "count",
        "lower",
        (0, 1, 3, 5),
        (100, 60, 30, 10, 0),
    ),
    _FactorDef(
        "qualitative",
        "years",
        "合作年限",
        "years as customer",
        40,
        "years",
        "higher",
        (1, 3, 5, 10),
        (20, 50, 70, 85, 100),
    ),
    _FactorDef(
        "qualitative",
        "ownership",
        "企业性质",
        "ownership",
        25,
        categories=tuple(
            (c.key, c.zh, c.en, p) for c, p in zip(OWNERSHIP, (90, 60, 75, 85, 50), strict=True)
        ),
    ),
    _FactorDef(
        "qualitative",
        "key_account",
        "重点客户",
        "key account",
        15,
        categories=tuple((k, zh, en, p) for (k, zh, en), p in zip(_YES_NO, (100, 60), strict=True)),
    ),
    _FactorDef(
        "qualitative",
        "site_visit",
        "近期实地考察（见 review.site_visit_months）",
        "site visit within review.site_visit_months",
        20,
        categories=tuple((k, zh, en, p) for (k, zh, en), p in zip(_YES_NO, (100, 40), strict=True)),
    ),
)
_FACTOR_BY_KEY = {(f.pillar, f.key): f for f in _FACTORS}

_PCT_TNW = (20, 15, 12, 10, 7, 5, 0)
_PCT_WC = (20, 15, 12, 10, 7, 5, 0)
_PCT_REV = (10, 8, 6, 5, 3, 2, 0)
_OWN_APPETITE = (500_000, 300_000, 200_000, 100_000, 50_000, 0, 0)
_TERMS_DAYS = (90, 60, 45, 30, 30, 15, 0)
_PREPAYMENT = (0, 0, 0, 0, 0, 30, 100)
_SECURITY = (
    "none",
    "none",
    "none",
    "none",
    "guarantee_or_deposit",
    "guarantee_and_title",
    "cash_in_advance",
)
_REVIEW_MONTHS = (12, 12, 12, 6, 6, 3, 3)
_GRADE_MIN = (90, 80, 70, 60, 50, 40)


@dataclass(frozen=True)
class _IndicatorDef:
    key: str
    zh: str
    en: str
    kind: Kind
    levels: tuple[tuple[SeverityKey, Comparison, float], ...]


_INDICATORS: tuple[_IndicatorDef, ...] = (
    _IndicatorDef(
        "utilization",
        "额度使用率（敞口/核定额度）",
        "utilization (exposure / approved limit)",
        "pct",
        (("warning", ">=", 90), ("block", ">", 100)),
    ),
    _IndicatorDef(
        "max_days_overdue",
        "最长逾期天数",
        "max days overdue",
        "days",
        (("warning", ">", 30), ("block", ">", 90)),
    ),
    _IndicatorDef(
        "overdue_amount",
        "逾期金额（本位币）",
        "overdue amount (base currency)",
        "amount",
        (("warning", ">", 500_000),),
    ),
    _IndicatorDef(
        "overdue_share", "逾期金额占比", "overdue share of balance", "pct", (("warning", ">", 20),)
    ),
    _IndicatorDef(
        "grade_down", "信用等级下调级数", "grade down (notches)", "notches", (("warning", ">=", 2),)
    ),
    _IndicatorDef(
        "bureau_score_drop",
        "征信评分较上次下降幅度",
        "bureau score drop since last report",
        "pct",
        (("warning", ">=", 15),),
    ),
    _IndicatorDef(
        "insurance_deadline",
        "距信用保险通知/索赔截止日天数",
        "days left to the insurance notification or claim deadline",
        "days",
        (("warning", "<=", 15),),
    ),
)
_EVENTS: tuple[tuple[str, str, str, SeverityKey], ...] = (
    ("enforcement", "新增失信被执行人", "new enforcement (失信被执行人)", "block"),
    ("lawsuit", "新增涉诉案件", "new lawsuit", "warning"),
    ("abnormal_operation", "新增经营异常", "new abnormal operation (经营异常)", "warning"),
    (
        "stale_statement",
        "财务报表过期（见 stale.statement_months）",
        "financial statement older than stale.statement_months",
        "warning",
    ),
    (
        "stale_bureau",
        "征信报告过期（见 stale.bureau_months）",
        "bureau report older than stale.bureau_months",
        "warning",
    ),
    ("limit_expired", "额度已过有效期", "limit expired", "warning"),
    ("review_overdue", "已过评审日期", "review date passed", "warning"),
    (
        "site_visit_missing",
        "重点客户未按期实地考察",
        "key account without a recent site visit",
        "warning",
    ),
    ("broken_promise", "未兑现付款承诺", "broken promise to pay", "warning"),
)
_LADDER: tuple[tuple[int, str, str], ...] = (
    (-7, "到期提醒", "reminder before due"),
    (7, "逾期提醒函", "first overdue notice"),
    (30, "催款函（列明逾期利息）并暂停赊销", "demand letter with late interest, credit hold"),
    (60, "最后通知/律师函，停止供货", "final demand / lawyer's letter, stop supply"),
    (90, "移交催收，通知保险公司", "hand to collection, notify the insurer"),
    (120, "诉讼或仲裁", "litigation or arbitration"),
)
_AGEING_EDGES = (30, 60, 90, 180, 365)


def _grade_rows(
    prefix: str,
    path: Path,
    kind: Kind,
    values: Iterable[object],
    zh: str,
    en: str,
    grades: tuple[str, ...] = GRADES,
    **kw: Any,
) -> list[_Param]:
    return [
        _Param(f"{prefix}.{g}", (*path, g), kind, v, f"{zh}：{g}级", f"{en}: grade {g}", **kw)
        for g, v in zip(grades, values, strict=True)
    ]


def _ladder_params(f: _FactorDef, prefix: str, edges: int) -> list[_Param]:
    """The rows of one band ladder, ``points.1, edge.1, points.2, ..., points.n+1``."""
    path: Path = ("pillars", f.pillar, "factors", f.key)
    group = f"ladder:{prefix}.{f.key}"
    rows: list[_Param] = []
    for n in range(1, edges + 2):
        default = f.points[n - 1] if n <= len(f.points) and edges == len(f.edges) else None
        rows.append(
            _Param(
                f"{prefix}.{f.key}.points.{n}",
                (*path, "points", n - 1),
                "points",
                default,
                f"{f.zh}：第{n}档得分（0–100）",
                f"{f.en}: points (0-100) of band {n}",
                0,
                100,
                group=group,
            )
        )
        if n <= edges:
            default = f.edges[n - 1] if edges == len(f.edges) else None
            rows.append(
                _Param(
                    f"{prefix}.{f.key}.edge.{n}",
                    (*path, "edges", n - 1),
                    f.unit,
                    default,
                    f"{f.zh}：第{n}条分档线（须逐条递增；恰在线上者归较好一档）",
                    f"{f.en}: band edge {n} "
                    "(increasing; a value on the edge earns the better band)",
                    None,
                    group=group,
                )
            )
    return rows


def _params(
    ladders: Mapping[tuple[PillarKey, str], int] | None = None, groups: Iterable[str] = ()
) -> list[_Param]:
    """Every Policy row in reading order; ``ladders`` gives the edge count per banded factor."""
    rows: list[_Param] = [
        _Param(
            "base_currency",
            ("base_currency",),
            "currency",
            "CNY",
            "本位币：敞口、额度与报表金额均折算为本位币（汇率见汇率表）",
            "base currency: exposure, limits and amounts are converted to it (FX sheet)",
        ),
    ]
    rows += [
        _Param(
            f"weight.{p.key}",
            ("pillars", p.key, "weight"),
            "pct",
            p.weight,
            f"评分支柱权重：{p.zh}；四个支柱合计须为100%，某支柱无数据时其余按比例重新分配",
            f"pillar weight: {p.en}; the four must sum to 100 %, a pillar without data is "
            "left out and the others re-weighted",
            0,
            100,
            group="weight",
        )
        for p in _PILLARS
    ]
    for p in _PILLARS:
        for f in (f for f in _FACTORS if f.pillar == p.key):
            base = ("pillars", p.key, "factors", f.key)
            rows.append(
                _Param(
                    f"{p.prefix}.{f.key}.weight",
                    (*base, "weight"),
                    "pct",
                    f.weight,
                    f"{f.zh}在“{p.zh}”支柱中的权重；本支柱各因素合计须为100%",
                    f"weight of {f.en} within the {p.en} pillar; a pillar's factors sum to 100 %",
                    0,
                    100,
                    group=f"weight:{p.key}",
                )
            )
            if f.categories:
                rows += [
                    _Param(
                        f"{p.prefix}.{f.key}.points.{key}",
                        (*base, "points", key),
                        "points",
                        points,
                        f"{f.zh}：{zh}的得分（0–100）",
                        f"{f.en}: points (0-100) for {en}",
                        0,
                        100,
                    )
                    for key, zh, en, points in f.categories
                ]
                continue
            rows.append(
                _Param(
                    f"{p.prefix}.{f.key}.direction",
                    (*base, "direction"),
                    "direction",
                    f.direction,
                    f"{f.zh}：越高越好或越低越好",
                    f"{f.en}: higher or lower is better",
                )
            )
            size = (ladders or {}).get((p.key, f.key), len(f.edges))
            rows += _ladder_params(f, p.prefix, size)
    rows += [
        _Param(
            "knockout.enforcement",
            ("knockouts", "enforcement"),
            "bool",
            "yes",
            "否决项：失信被执行人直接评为C级",
            "knock-out: enforcement (失信被执行人) forces grade C",
        ),
        _Param(
            "knockout.abnormal_operation",
            ("knockouts", "abnormal_operation"),
            "bool",
            "yes",
            "否决项：经营异常直接评为C级",
            "knock-out: abnormal operation (经营异常) forces grade C",
        ),
        _Param(
            "knockout.legal_status",
            ("knockouts", "legal_status"),
            "bool",
            "yes",
            "否决项：客户状态为“诉讼”直接评为C级",
            "knock-out: customer status 'legal' forces grade C",
        ),
        _Param(
            "knockout.overdue",
            ("knockouts", "overdue"),
            "bool",
            "yes",
            "否决项：有发票逾期超过 knockout.overdue_days 天直接评为C级",
            "knock-out: an invoice overdue beyond knockout.overdue_days forces grade C",
        ),
        _Param(
            "knockout.overdue_days",
            ("knockouts", "overdue_days"),
            "days",
            180,
            "逾期否决项的天数",
            "days overdue that trigger the overdue knock-out",
            integer=True,
        ),
    ]
    rows += [
        _Param(
            f"grade.min.{g}",
            ("grade_min", g),
            "points",
            v,
            f"{g}级最低总分（总分≥此分）；低于B级最低分为C级；须逐级递减",
            f"minimum total score for {g} (score ≥ it); below B's minimum is C; must fall "
            "grade by grade",
            0,
            100,
            group="grades",
        )
        for g, v in zip(GRADES, _GRADE_MIN, strict=False)
    ]
    rows += [
        _Param(
            "zscore.grey_from",
            ("zscore", "grey_from"),
            "ratio",
            1.10,
            "Altman Z″（2000，非制造业/新兴市场）：低于此值为困境区",
            "Altman Z'' (2000, non-manufacturers): below it is the distress zone",
            None,
            group="zscore",
        ),
        _Param(
            "zscore.safe_above",
            ("zscore", "safe_above"),
            "ratio",
            2.60,
            "Altman Z″：高于此值为安全区，两线之间为灰色区（EMS另算，勿加3.25后套用）",
            "Altman Z'': above it is the safe zone, grey in between (EMS is separate: never "
            "add 3.25 and use these edges)",
            None,
            group="zscore",
        ),
    ]
    rows += _grade_rows(
        "limit.pct_tnw",
        ("limits", "pct_tnw"),
        "pct",
        _PCT_TNW,
        "额度上限占有形净资产（所有者权益-无形资产）比例",
        "limit cap as share of tangible net worth (equity - intangibles)",
        maximum=100,
    )
    rows += _grade_rows(
        "limit.pct_wc",
        ("limits", "pct_wc"),
        "pct",
        _PCT_WC,
        "额度上限占营运资金比例",
        "limit cap as share of working capital",
        maximum=100,
    )
    rows += _grade_rows(
        "limit.pct_rev",
        ("limits", "pct_rev"),
        "pct",
        _PCT_REV,
        "额度上限占年营业收入比例",
        "limit cap as share of annual revenue",
        maximum=100,
    )
    rows += _grade_rows(
        "limit.own_appetite",
        ("limits", "own_appetite"),
        "amount",
        _OWN_APPETITE,
        "投保客户可在保险限额之上自担的金额（本位币）",
        "own risk above the insured limit for an insured customer (base currency)",
    )
    rows += [
        _Param(
            "limit.step",
            ("limits", "step"),
            "amount",
            10_000,
            "建议额度向下取整的步长",
            "proposed limits are rounded down to this step",
            minimum=0.01,
        ),
        _Param(
            "limit.grace_days",
            ("limits", "grace_days"),
            "days",
            15,
            "需求额度=月销售额×(账期+宽限天数)/30 中的宽限天数",
            "grace days in need = monthly sales × (terms + grace) / 30",
            integer=True,
        ),
        _Param(
            "limit.max_step_up",
            ("limits", "max_step_up"),
            "pct",
            50,
            "每次评审建议额度最多比核定额度提高的比例",
            "most a proposal may exceed the approved limit per review",
        ),
        _Param(
            "limit.cut_grade",
            ("limits", "cut_grade"),
            "grade",
            "BB",
            "下调至此等级或更差时立即建议降额",
            "a downgrade to this grade or worse proposes the cut at once",
        ),
        _Param(
            "limit.bureau_cap",
            ("limits", "bureau_cap"),
            "bool",
            "yes",
            "征信机构建议额度作为额外上限",
            "a bureau's recommended limit is a further cap",
        ),
    ]
    rows += [
        _Param(
            f"terms.days.{g}",
            ("terms", g, "days"),
            "days",
            v,
            f"建议账期（天）：{g}级（C级为0，款到发货）",
            f"recommended terms (days): grade {g} (C is 0, cash in advance)",
            integer=True,
        )
        for g, v in zip(GRADES, _TERMS_DAYS, strict=True)
    ]
    rows += [
        _Param(
            f"terms.prepayment.{g}",
            ("terms", g, "prepayment"),
            "pct",
            v,
            f"预付款比例：{g}级（余款按账期）",
            f"prepayment share: grade {g} (balance on terms)",
            maximum=100,
        )
        for g, v in zip(GRADES, _PREPAYMENT, strict=True)
    ]
    rows += [
        _Param(
            f"terms.security.{g}",
            ("terms", g, "security"),
            "security",
            v,
            f"担保要求：{g}级",
            f"security required: grade {g}",
        )
        for g, v in zip(GRADES, _SECURITY, strict=True)
    ]
    rows += [
        _Param(
            f"ageing.edge.{n}",
            ("ageing", "edges", n - 1),
            "days",
            v,
            f"账龄分段：逾期第{n}段上限天数（须递增）",
            f"ageing: upper days past due of overdue bucket {n} (increasing)",
            minimum=1,
            integer=True,
            group="ageing",
        )
        for n, v in enumerate(_AGEING_EDGES, start=1)
    ]
    rows += [
        _Param(
            "dso.window_days",
            ("ageing", "dso_window_days"),
            "days",
            90,
            "DSO=应收余额/近N天收入×N 中的N",
            "DSO = receivables / revenue of the last N days × N",
            minimum=1,
            integer=True,
        ),
        _Param(
            "stale.statement_months",
            ("staleness", "statement_months"),
            "months",
            18,
            "最新财务报表超过此月数视为过期（警告并预警）",
            "latest statement older than this is stale (warning and alert)",
            integer=True,
        ),
        _Param(
            "stale.bureau_months",
            ("staleness", "bureau_months"),
            "months",
            12,
            "最新征信报告超过此月数视为过期",
            "latest bureau report older than this is stale",
            integer=True,
        ),
    ]
    for ind in _INDICATORS:
        for level, op, value in ind.levels:
            label = next(c for c in SEVERITY if c.key == level)
            rows.append(
                _Param(
                    f"warn.{ind.key}.{level}",
                    ("indicators", ind.key, "levels", level, "value"),
                    ind.kind,
                    value,
                    f"预警指标“{ind.zh}”{op}此值时级别为{label.zh}",
                    f"indicator {ind.en}: {label.en} when {op} this value",
                    None if ind.key == "insurance_deadline" else 0,
                    integer=ind.kind == "days",
                    group=f"indicator:{ind.key}",
                )
            )
    rows += [
        _Param(
            f"warn.{key}.severity",
            ("event_severity", key),
            "severity",
            sev,
            f"预警事件“{zh}”的级别（提示/预警/禁止）",
            f"severity of the event: {en} (info/warning/block)",
        )
        for key, zh, en, sev in _EVENTS
    ]
    rows += [
        _Param(
            "insurance.notify_days",
            ("insurance", "notify_days"),
            "days",
            60,
            "信用保险：逾期通知截止（到期后天数，以保单为准）",
            "credit insurance: notify overdue by this many days past due (check the policy)",
            integer=True,
        ),
        _Param(
            "insurance.claim_days",
            ("insurance", "claim_days"),
            "days",
            180,
            "信用保险：索赔截止（到期后天数，以保单为准）",
            "credit insurance: claim by this many days past due (check the policy)",
            integer=True,
        ),
    ]
    rows += [
        _Param(
            f"ladder.step.{n}.days",
            ("ladder_days", n),
            "days",
            days,
            f"催收第{n}步：到期后第几天（负数为到期前）—{zh}",
            f"collections step {n}: days after due (negative = before) - {en}",
            None,
            integer=True,
            group="ladder",
        )
        for n, (days, zh, en) in enumerate(_LADDER)
    ]
    rows += [
        _Param(
            "interest.lpr_1y",
            ("interest", "lpr_1y"),
            "pct",
            3.0,
            "一年期贷款市场报价利率LPR（2025-05-20起3.0%；每月20日公布，请及时更新）",
            "1-year loan prime rate (3.0 % since 2025-05-20; published on the 20th, keep "
            "it current)",
        ),
        _Param(
            "interest.lpr_as_of",
            ("interest", "lpr_as_of"),
            "date",
            "2025-05-20",
            "上述LPR的公布日期（合同与催款函引用）",
            "date of the LPR above (quoted in letters)",
        ),
        _Param(
            "interest.lpr_markup",
            ("interest", "markup"),
            "pct",
            50,
            "未约定违约金时按一年期LPR上浮此比例计逾期利息（买卖合同司法解释，2019-08-20后违约）",
            "no agreed rate: late interest at 1-year LPR plus this (SPC sales-contract "
            "interpretation, breaches after 2019-08-20)",
        ),
        _Param(
            "interest.sme_daily",
            ("interest", "sme_daily"),
            "pct",
            0.05,
            "大型企业拖欠中小企业款项的日利率（《保障中小企业款项支付条例》，请核对现行文本）",
            "daily rate when a large enterprise owes an SME (SME payment regulation; check "
            "the current text)",
        ),
        _Param(
            "interest.default_basis",
            ("interest", "default_basis"),
            "basis",
            "lpr_markup",
            "合同未约定利率时采用的计息依据",
            "late-interest basis when the contract agrees none",
        ),
        _Param(
            "interest.day_count",
            ("interest", "day_count"),
            "days",
            365,
            "逾期利息=欠款×年利率/计息天数×逾期天数",
            "interest = outstanding × annual rate / this × days overdue",
            minimum=1,
            integer=True,
        ),
        _Param(
            "contract.penalty_excess_max",
            ("penalty_excess_max",),
            "pct",
            30,
            "约定违约金超过预估损失此比例时在合同草稿中提示（民法典第585条）",
            "warn in a contract draft when the penalty exceeds the estimated loss by more "
            "than this (Civil Code art. 585)",
        ),
        _Param(
            "limitation.years",
            ("limitation_years",),
            "years",
            3,
            "诉讼时效年数（民法典第188条；催收记录可中断时效，第195条）",
            "limitation period (Civil Code art. 188; a logged demand restarts it, art. 195)",
            minimum=1,
            integer=True,
        ),
        _Param(
            "bill.default_maturity_days",
            ("bill_default_maturity_days",),
            "days",
            180,
            "承兑汇票未填到期日时按收票日加此天数计入敞口",
            "a bill without a maturity counts as exposure this many days after receipt",
            minimum=1,
            integer=True,
        ),
    ]
    rows += _grade_rows(
        "review.months",
        ("reviews", "months"),
        "months",
        _REVIEW_MONTHS,
        "评审周期（月；否决项或下调两级以上时立即评审）",
        "review every N months (at once after a knock-out or two-notch downgrade)",
        minimum=1,
        integer=True,
    )
    rows += [
        _Param(
            "review.site_visit_months",
            ("reviews", "site_visit_months"),
            "months",
            12,
            "重点客户实地考察周期（月）",
            "key accounts need a site visit every N months",
            minimum=1,
            integer=True,
        ),
        _Param(
            "review.distribution",
            ("reviews", "distribution"),
            "emails",
            "none",
            "月度评审包收件人邮箱，多个用分号分隔；无收件人填“无”",
            "monthly review pack recipients, separated by ';'; 'none' for nobody",
        ),
    ]
    rows += [_group_param(name) for name in groups]
    return rows


def _group_param(name: str) -> _Param:
    return _Param(
        f"group_limit.{name}",
        ("group_limits", name),
        "amount",
        None,
        f"集团额度：{name}（集团内客户合计敞口上限，本位币）",
        f"group limit: {name} (cap on the group's pooled exposure, base currency)",
    )


# =========================================================================== reading values


class _BadValueError(Exception):
    """A cell value this row cannot hold (turned into an Issue, never escapes the module)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


_NUMBER = re.compile(r"^([-+]?(?:\d+\.?\d*|\.\d+))(.*)$")
_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
#: an empty list is typed as 无/none rather than left blank (the value column is required)
_NO_ADDRESS = {"无", "none", "-", "—"}
_TRUE = {"是", "y", "yes", "true", "1", "开", "on", "√"}
_FALSE = {"否", "n", "no", "false", "0", "关", "off", "×"}


def _blank(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _number(p: _Param, raw: object) -> float:
    if isinstance(raw, bool | np.bool_):
        raise _BadValueError("应为数字，不是是/否", "a number is needed, not yes/no")
    if isinstance(raw, int | float | np.integer | np.floating):
        value = float(raw)
    else:
        text = normalise_label(str(raw)).replace(",", "").replace("¥", "")
        match = _NUMBER.match(text)
        if not match or (match.group(2) and match.group(2) not in _UNIT_WORDS.get(p.kind, ())):
            unit = _UNITS[p.kind][0]
            raise _BadValueError(
                f"应为数字（单位{unit}）", f"a number is needed (unit {_UNITS[p.kind][1]})"
            )
        value = float(match.group(1))
    if not math.isfinite(value):
        raise _BadValueError("应为数字", "a number is needed")
    if p.integer and not value.is_integer():
        raise _BadValueError("应为整数", "a whole number is needed")
    if p.minimum is not None and value < p.minimum:
        raise _BadValueError(f"不能小于{_tidy(p.minimum)}", f"cannot be below {_tidy(p.minimum)}")
    if p.maximum is not None and value > p.maximum:
        raise _BadValueError(f"不能大于{_tidy(p.maximum)}", f"cannot be above {_tidy(p.maximum)}")
    return value


def _parse(p: _Param, raw: object) -> Any:
    """The model value of a sheet cell for row ``p``; raises ``_BadValueError``."""
    if p.kind in _NUMERIC_KINDS:
        value = _number(p, raw)
        if p.kind == "pct":
            return value / 100
        return int(value) if p.integer else value
    if p.kind == "bool":
        if isinstance(raw, bool | np.bool_ | int | float) and raw in (0, 1):
            return bool(raw)
        text = normalise_label(str(raw))
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise _BadValueError("应为是或否", "yes or no is needed")
    if p.kind == "currency":
        text = normalise_label(str(raw)).upper()
        if not re.fullmatch(r"[A-Z]{3}", text):
            raise _BadValueError(
                "应为三位货币代码，如CNY", "a three-letter currency code is needed, e.g. CNY"
            )
        return text
    if p.kind == "emails":
        text = "" if _blank(raw) or normalise_label(str(raw)) in _NO_ADDRESS else str(raw)
        addresses = [a for a in re.split(r"[;,；，\s]+", text) if a]
        wrong = [a for a in addresses if not _EMAIL.match(a)]
        if wrong:
            raise _BadValueError(
                f"邮箱地址无效：{'; '.join(wrong)}", f"invalid address: {'; '.join(wrong)}"
            )
        return tuple(addresses)
    if p.kind == "date":
        return _date(raw)
    for code in _CODES[p.kind]:
        if normalise_label(str(raw)) in (
            normalise_label(code.key),
            normalise_label(code.zh),
            normalise_label(code.en),
        ):
            return code.key
    choices = " / ".join(f"{c.zh}({c.key})" for c in _CODES[p.kind])
    raise _BadValueError(f"应为以下之一：{choices}", f"one of: {choices}")


def _date(raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 2_958_466:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))  # an Excel serial date
    text = normalise_label(str(raw))
    match = _DATE.match(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    try:
        if match:
            return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        pass
    raise _BadValueError("应为日期，如2025-05-20", "a date is needed, e.g. 2025-05-20")


def _tidy(value: float) -> int | float:
    """40.0 → 40 on the sheet; float noise from percent scaling removed."""
    value = round(float(value), 9)
    return int(value) if value.is_integer() else value


def _display(p: _Param, value: Any, lang: Language) -> object:
    """A model value as it is shown on the sheet."""
    if p.kind in _NUMERIC_KINDS:
        return _tidy(value * 100 if p.kind == "pct" else value)
    if p.kind == "bool":
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if p.kind == "emails":
        return "; ".join(value) or ("无" if lang == "zh" else "none")
    if p.kind == "date":
        return value.isoformat()
    if p.kind in ("currency", "grade"):
        return value
    return next(c for c in _CODES[p.kind] if c.key == value).label(lang)


# =========================================================================== rows ↔ model

_STATIC: dict[str, _Param] = {p.key: p for p in _params()}
_STATIC_FOLDED: dict[str, _Param] = {k.casefold(): p for k, p in _STATIC.items()}
_LADDER_KEY = re.compile(r"^(fin|pay|bureau|qual)\.(\w+)\.(edge|points)\.(\d+)$", re.IGNORECASE)
_GROUP_KEY = re.compile(r"^group_limit\.(.+)$", re.IGNORECASE)


def _param_for(key: str) -> _Param | None:
    """The row a parameter text names: a fixed row, a band of a ladder, or a group limit."""
    found = _STATIC_FOLDED.get(key.casefold())
    if found is not None:
        return found
    if match := _LADDER_KEY.match(key):
        prefix, factor_key, part, number = match.groups()
        pillar = _PILLAR_BY_PREFIX[prefix.lower()]
        factor = _FACTOR_BY_KEY.get((pillar.key, factor_key.lower()))
        n = int(number)
        if factor is None or factor.categories or n < 1:
            return None
        ladder = _ladder_params(factor, pillar.prefix, n)  # n edges: holds edge.n and points.n
        wanted = f"{pillar.prefix}.{factor.key}.{part.lower()}.{n}"
        return next(p for p in ladder if p.key == wanted)
    if (match := _GROUP_KEY.match(key)) and match.group(1).strip():
        return _group_param(match.group(1).strip())
    return None


def _skeleton() -> dict[str, Any]:
    """The parts of the model that are not rows: factor kinds and indicator comparisons."""
    return {
        "pillars": {
            p.key: {
                "factors": {
                    f.key: {"kind": "categorical" if f.categories else "banded"}
                    for f in _FACTORS
                    if f.pillar == p.key
                }
            }
            for p in _PILLARS
        },
        "indicators": {
            i.key: {"levels": {level: {"op": op} for level, op, _ in i.levels}} for i in _INDICATORS
        },
        "group_limits": {},
    }


def _listify(node: Any) -> Any:
    if isinstance(node, dict):
        if node and all(isinstance(k, int) for k in node):
            return [_listify(node[k]) for k in sorted(node)]
        return {k: _listify(v) for k, v in node.items()}
    return node


def _assemble(values: Mapping[str, Any]) -> Policy:
    nested = _skeleton()
    for key, value in values.items():
        p = _param_for(key)
        assert p is not None, key
        node: dict[Any, Any] = nested
        for part in p.path[:-1]:
            node = node.setdefault(part, {})
        node[p.path[-1]] = value
    return Policy.model_validate(_listify(nested))


def _model_values(policy: Policy) -> list[tuple[_Param, Any]]:
    """Every row of ``policy`` with its model value, in reading order."""
    ladders = {
        (pk, fk): len(f.edges)
        for pk, pillar in policy.pillars.items()
        for fk, f in pillar.factors.items()
        if isinstance(f, BandedFactor)
    }
    dump = policy.model_dump()
    found: list[tuple[_Param, Any]] = []
    for p in _params(ladders, policy.group_limits):
        node: Any = dump
        for part in p.path:
            node = node[part]
        found.append((p, node))
    return found


_DEFAULT_VALUES: dict[str, Any] = {
    p.key: _parse(p, p.default) for p in _STATIC.values() if p.default is not None
}
DEFAULT_POLICY: Policy = _assemble(_DEFAULT_VALUES)


def _band_note(p: _Param, policy: Policy, lang: Language) -> str:
    """A points row's note names its value range, e.g. ``40%–55%``, from the actual edges."""
    match = _LADDER_KEY.match(p.key)
    if not match or match.group(3) != "points":
        return p.zh if lang == "zh" else p.en
    pillar = _PILLAR_BY_PREFIX[match.group(1)]
    factor = policy.pillars[pillar.key].factors[match.group(2)]
    definition = _FACTOR_BY_KEY[(pillar.key, match.group(2))]
    assert isinstance(factor, BandedFactor)
    n = int(match.group(4))
    edge_param = _Param("", (), definition.unit, None, "", "")
    unit = _UNITS[definition.unit][0 if lang == "zh" else 1]
    shown = [
        f"{_display(edge_param, e, lang)}{'' if unit == '%' else ' '}{unit}" for e in factor.edges
    ]
    low, high = ("≥", "<") if factor.direction == "higher" else (">", "≤")
    if n == 1:
        span = f"{high} {shown[0]}"
    elif n == len(shown) + 1:
        span = f"{low} {shown[-1]}"
    else:
        span = f"{low} {shown[n - 2]}, {high} {shown[n - 1]}"
    return f"{p.zh}：{span}" if lang == "zh" else f"{p.en}: {span}"


def policy_rows(policy: Policy, lang: Language = "zh") -> list[tuple[str, object, str, str]]:
    """``(parameter, value, unit, note)`` rows for ``policy`` (a fitted policy written back)."""
    rows: list[tuple[str, object, str, str]] = []
    for p, value in _model_values(policy):
        unit = _UNITS.get(p.kind, ("", ""))[0 if lang == "zh" else 1]
        if p.kind == "amount" and not (lang == "zh" and policy.base_currency == "CNY"):
            unit = policy.base_currency
        rows.append((p.key, _display(p, value, lang), unit, _band_note(p, policy, lang)))
    return rows


def default_policy_rows(lang: Language = "zh") -> list[tuple[str, object, str, str]]:
    """The Policy sheet a new workbook ships with, grouped in reading order."""
    return policy_rows(DEFAULT_POLICY, lang)


# =========================================================================== the sheet


def _sum_problem(
    keys: list[str], values: Mapping[str, Any], zh: str, en: str
) -> tuple[str, str] | None:
    total = sum(values[k] for k in keys)
    if abs(total - 1) <= 1e-9:
        return None
    shown = _tidy(total * 100)
    return (
        f"{zh}权重合计为{shown}%，应为100%；使用默认权重",
        f"{en} weights sum to {shown} %, not 100 %; the default weights are used",
    )


def _order_problem(
    keys: list[str], values: Mapping[str, Any], zh: str, en: str, falling: bool = False
) -> tuple[str, str] | None:
    figures = [values[k] for k in keys]
    pairs = itertools.pairwise(figures)
    if all((a > b) if falling else (a < b) for a, b in pairs):
        return None
    way_zh, way_en = ("逐项递减", "fall") if falling else ("逐项递增", "rise")
    return (f"{zh}须{way_zh}；使用默认值", f"{en} must {way_en} strictly; the defaults are used")


def policy_from_table(table: Table | None, label: str) -> tuple[Policy, list[Issue]]:
    """The policy the Policy sheet sets, and the problems found in it.

    Every problem leaves the affected value (or the whole group of weights, a band ladder, the
    grade table) at its default, so the engines always get a consistent policy.
    """
    if table is None:
        return DEFAULT_POLICY, [
            Issue(
                label,
                "",
                "",
                "warning",
                f"缺少“{POLICY.zh}”工作表，使用默认信用政策",
                f"no {POLICY.en} sheet: the default credit policy is used",
            )
        ]
    issues: list[Issue] = []

    def flag(
        key_or_row: str | int,
        column: str,
        zh: str,
        en: str,
        severity: Literal["error", "warning"] = "error",
    ) -> None:
        row = rows.get(key_or_row) if isinstance(key_or_row, str) else key_or_row
        cell = table.cell(column, row) if row is not None else ""
        issues.append(Issue(label, table.name, cell, severity, zh, en))

    rows: dict[str, int] = {}
    read: dict[str, Any] = {}
    bad: set[str] = set()
    frame = table.frame
    # a loop over policy rows (a few hundred at most), not over invoices
    for text, raw, excel_row in zip(frame["parameter"], frame["value"], frame["_row"], strict=True):
        if _blank(text):
            continue
        key_text = unicodedata.normalize("NFKC", str(text)).strip()
        p = _param_for(key_text)
        if p is None:
            flag(
                int(excel_row),
                "parameter",
                f"未知的政策参数“{key_text}”，已忽略",
                f"unknown policy parameter '{key_text}', ignored",
                "warning",
            )
            continue
        if p.key in rows:
            flag(
                int(excel_row),
                "parameter",
                f"参数“{p.key}”重复，以第{rows[p.key]}行为准",
                f"parameter '{p.key}' repeated; row {rows[p.key]} is used",
                "warning",
            )
            continue
        rows[p.key] = int(excel_row)
        if _blank(raw) and p.kind != "emails":
            bad.add(p.key)  # the reader reports the blank required value
            continue
        try:
            read[p.key] = _parse(p, raw)
        except _BadValueError as problem:
            bad.add(p.key)
            default = "" if p.default is None else f"，使用默认值{p.default}"
            default_en = "" if p.default is None else f"; default {p.default} used"
            flag(
                p.key,
                "value",
                f"参数“{p.key}”的取值“{raw}”无效：{problem.zh}{default}",
                f"parameter '{p.key}': value '{raw}' is invalid: {problem.en}{default_en}",
            )

    values = dict(_DEFAULT_VALUES)
    ladder_keys = {k for k in (*read, *bad) if _LADDER_KEY.match(k)}
    values.update({k: v for k, v in read.items() if k not in ladder_keys})
    _read_ladders(read, bad, ladder_keys, values, rows, flag)

    def check(group: str, problem: tuple[str, str] | None) -> None:
        if problem is None:
            return
        keys = [k for k, p in _STATIC.items() if p.group == group]
        placed = sorted(rows[k] for k in keys if k in rows)
        # one message for the group, placed on the cells that make it up (B3:B6), since no
        # single cell is "the" wrong one when weights do not add up
        if placed:
            first, last = table.cell("value", placed[0]), table.cell("value", placed[-1])
            cell = first if first == last else f"{first}:{last}"
            issues.append(Issue(label, table.name, cell, "error", *problem))
        else:
            flag("", "value", *problem)
        for key in keys:
            values[key] = _DEFAULT_VALUES[key]

    def keys_of(group: str) -> list[str]:
        return [k for k, p in _STATIC.items() if p.group == group]

    check("weight", _sum_problem(keys_of("weight"), values, "评分支柱", "pillar"))
    for pillar in _PILLARS:
        group = f"weight:{pillar.key}"
        check(
            group,
            _sum_problem(
                keys_of(group), values, f"“{pillar.zh}”支柱内各因素", f"{pillar.en} factor"
            ),
        )
    check(
        "grades",
        _order_problem(
            keys_of("grades"),
            values,
            "各等级最低分（AAA→B）",
            "grade minimum scores (AAA to B)",
            falling=True,
        ),
    )
    check("zscore", _order_problem(keys_of("zscore"), values, "Z″区间分界", "Z'' zone edges"))
    check("ageing", _order_problem(keys_of("ageing"), values, "账龄分段天数", "ageing edges"))
    check(
        "ladder", _order_problem(keys_of("ladder"), values, "催收步骤天数", "collections step days")
    )
    for ind in _INDICATORS:
        group = f"indicator:{ind.key}"
        keys = keys_of(group)
        if len(keys) > 1:
            check(
                group,
                _order_problem(
                    keys, values, f"“{ind.zh}”的预警/禁止阈值", f"{ind.en} warning/block thresholds"
                ),
            )
    return _assemble(values), issues


def _read_ladders(
    read: Mapping[str, Any],
    bad: set[str],
    ladder_keys: set[str],
    values: dict[str, Any],
    rows: Mapping[str, int],
    flag: Callable[..., None],
) -> None:
    """Band ladders are read whole: the sheet's rows replace the default ladder only when they
    form a complete, increasing ladder."""
    for f in _FACTORS:
        if f.categories:
            continue
        prefix = f"{_pillar_prefix(f.pillar)}.{f.key}."
        mine = {k for k in ladder_keys if k.startswith(prefix)}
        if not mine or mine & bad:
            continue  # not on the sheet, or a bad cell already reported: default ladder
        edges = {int(k.rsplit(".", 1)[1]): read[k] for k in mine if ".edge." in k}
        points = {int(k.rsplit(".", 1)[1]): read[k] for k in mine if ".points." in k}
        last = max(mine, key=lambda k: rows[k])
        problem: tuple[str, str] | None = None
        if sorted(edges) != list(range(1, len(edges) + 1)) or sorted(points) != list(
            range(1, len(edges) + 2)
        ):
            problem = (
                f"{f.zh}的分档不完整：需 edge.1…edge.n 与 points.1…points.n+1；使用默认分档",
                f"{f.en}: incomplete bands, edge.1..edge.n and points.1..points.n+1 are "
                "needed; the default bands are used",
            )
        else:
            ordered = [edges[n] for n in sorted(edges)]
            if any(a >= b for a, b in itertools.pairwise(ordered)):
                offender = next(
                    n + 1 for n in range(1, len(ordered)) if ordered[n - 1] >= ordered[n]
                )
                last = f"{prefix}edge.{offender}"
                problem = (
                    f"{f.zh}的分档线须逐条递增；使用默认分档",
                    f"{f.en}: band edges must rise strictly; the default bands are used",
                )
        if problem is not None:
            flag(last, "value", *problem)
            continue
        for key in [k for k in values if k.startswith(prefix) and _LADDER_KEY.match(k)]:
            del values[key]
        values.update({k: read[k] for k in mine})


def _pillar_prefix(pillar: PillarKey) -> str:
    return next(p.prefix for p in _PILLARS if p.key == pillar)
