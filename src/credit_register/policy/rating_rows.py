"""The scorecard's rows (policy §1): pillars, factors and their band ladders, knock-outs,
grade minimums and the Altman Z″ zones, with their defaults.

The factor definitions are the one place a factor's name, unit, direction, default bands and
points are spelled; the engines find a factor's definition through ``_FACTOR_BY_KEY``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from credit_register.core.schema import GRADES, OWNERSHIP
from credit_register.policy.model import Direction, PillarKey
from credit_register.policy.param import Kind, Path, _Param


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

_GRADE_MIN = (90, 80, 70, 60, 50, 40)


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


def _rating_params(ladders: Mapping[tuple[PillarKey, str], int] | None) -> list[_Param]:
    """The scorecard's rows in reading order; ``ladders``: the edge count per banded factor."""
    rows: list[_Param] = [
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
    return rows
