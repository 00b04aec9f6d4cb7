"""The credit policy as one typed value: what every engine reads its figures from.

``Policy`` is a frozen pydantic model (percentages held as fractions) with the few behaviours that
belong to a figure rather than to an engine: a band ladder scores a value, an indicator names the
severity a value breaches, the grade table grades a score. The codes a policy row may take
(security, interest basis, direction) live here too, next to the fields that hold them.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from credit_register.core.schema import GRADES, Code

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


class DataLimits(_Frozen):
    """What a cell may hold before it is taken for a typo: a figure beyond ``max_amount`` (in
    whatever unit: 9E+307 made every total infinite) and an ID longer than ``max_id_length``
    characters (it ends up in file names and message boxes) are refused at their cell."""

    max_amount: float = 1e15
    max_id_length: int = 64


class Reviews(_Frozen):
    months: dict[str, int]
    site_visit_months: int
    distribution: tuple[str, ...]


class Insurance(_Frozen):
    notify_days: int
    claim_days: int


class Interest(_Frozen):
    #: the 1-year LPR by the date it took effect (ISO date → fraction); before 2019-08-20 the
    #: PBOC's 1-year benchmark lending rate, which the courts use for breaches before then
    lpr: dict[str, float]
    markup: float
    sme_daily: float
    default_basis: str
    day_count: int
    #: our company is an SME: the SME payment rule can apply to a large buyer's late payment
    company_sme: bool = False

    @property
    def lpr_as_of(self) -> dt.date:
        """The date the latest LPR of the table took effect (quoted in contracts and letters)."""
        return dt.date.fromisoformat(max(self.lpr))

    @property
    def lpr_1y(self) -> float:
        """The latest 1-year LPR of the table."""
        return self.lpr[max(self.lpr)]

    @property
    def lpr_annual_rate(self) -> float:
        """The default annual late-interest rate today: the latest LPR plus the markup."""
        return self.lpr_1y * (1 + self.markup)

    def lpr_on(self, days: np.ndarray) -> np.ndarray:
        """The 1-year LPR in force on each day (``datetime64[D]``): the latest table entry on
        or before it; the earliest entry for a day before the table starts; NaN for NaT."""
        dates = np.array(sorted(self.lpr), dtype="datetime64[D]")
        rates = np.array([self.lpr[d] for d in sorted(self.lpr)], dtype=float)
        at = np.clip(np.searchsorted(dates, days, side="right") - 1, 0, len(rates) - 1)
        return np.where(np.isnat(days), np.nan, rates[at])


class Loss(_Frozen):
    """Expected loss and provisions (policy §6a); fractions."""

    #: one-year probability of default per grade
    pd: dict[str, float]
    #: loss given default of unsecured trade debt (before insurance)
    lgd: float
    #: provision matrix defaults per ageing bucket (not due, 1–30, ... > 365), used where the
    #: register's own roll rates cannot be measured
    provision_rates: tuple[float, ...]
    #: forward-looking adjustment applied to the loss rates (0.1 = rates 10 % higher)
    forward_adjustment: float


class Company(_Frozen):
    """Our company as the sender of letters and the seller in contracts (blank: not set)."""

    name: str = ""
    uscc: str = ""
    address: str = ""
    legal_rep: str = ""
    bank: str = ""
    account: str = ""
    contact: str = ""
    phone: str = ""
    email: str = ""
    #: the seal named where documents are stamped, e.g. ``公章`` or ``合同专用章``
    seal_text: str = ""


class ContractDefaults(_Frozen):
    """What a contract draft says where the customer's row says nothing (policy §3, §5)."""

    #: the shipped contract has an acceleration clause: a letter may then claim invoices not yet
    #: due once the buyer is in default
    acceleration: bool = True
    #: the late-payment penalty a draft proposes, a day (fraction: 0.00016 = 0.016 %)
    penalty_daily: float = 0.00016
    #: a foreign buyer's contract: ``zh``, ``en`` or ``bilingual`` (schema.CONTRACT_LANGUAGE)
    foreign_language: str = "bilingual"
    #: which text prevails when a bilingual contract's two texts differ (``zh`` or ``en``)
    prevailing: str = "zh"
    #: a foreign buyer's contract: governing law (schema.GOVERNING_LAW) and forum (schema.FORUM)
    foreign_law: str = "cn"
    foreign_forum: str = "cietac"
    #: whether a foreign buyer's contract excludes the CISG (UN sales convention)
    cisg_excluded: bool = True


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
    #: sales to a customer outside China: the CISG-era four years (Civil Code art. 594)
    limitation_international_years: int
    #: warn this many days before an invoice's limitation period expires
    limitation_notice_days: int
    bill_default_maturity_days: int
    loss: Loss
    #: a thin file (no statement within the staleness limit) rates no better than this
    thin_file_max_grade: str
    data: DataLimits = Field(default_factory=DataLimits)
    group_limits: dict[str, float] = Field(default_factory=dict)
    company: Company = Field(default_factory=Company)
    contract: ContractDefaults = Field(default_factory=ContractDefaults)

    def grade_edges(self) -> tuple[list[float], list[str]]:
        """``pd.cut`` bins and labels for grading scores (``right=False``): C first.

        >>> from credit_register.policy import DEFAULT_POLICY
        >>> DEFAULT_POLICY.grade_edges()[0][1:-1]
        [40.0, 50.0, 60.0, 70.0, 80.0, 90.0]
        """
        graded = [g for g in GRADES if g in self.grade_min]
        labels = ["C", *reversed(graded)]
        edges = [-math.inf, *(float(self.grade_min[g]) for g in reversed(graded)), math.inf]
        return edges, labels

    def grade_for(self, score: float) -> str:
        """The grade a total score earns.

        >>> from credit_register.policy import DEFAULT_POLICY
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
