"""What one Policy row is: its stable key, where its value sits in the model, its kind and unit.

Every row of the catalogue is a ``_Param``; its ``kind`` decides how a cell is read and shown
(percent points, days, yes/no, a code...), its ``group`` which rows are checked together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from credit_register.core.schema import (
    CONTRACT_LANGUAGE,
    FORUM,
    GOVERNING_LAW,
    GRADES,
    SEVERITY,
    Code,
)
from credit_register.policy.model import DIRECTIONS, INTEREST_BASIS, SECURITY

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
    "chars",
    "bool",
    "currency",
    "emails",
    "date",
    "direction",
    "severity",
    "grade",
    "security",
    "basis",
    "text",
    "language",
    "law",
    "forum",
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
    "chars": ("个字符", "characters"),
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
    "chars": ("个字符", "字符", "字", "character", "characters", "chars"),
}
_CODES: dict[str, tuple[Code, ...]] = {
    "direction": DIRECTIONS,
    "severity": SEVERITY,
    "security": SECURITY,
    "basis": INTEREST_BASIS,
    "grade": tuple(Code(g, g, g) for g in GRADES),
    "language": CONTRACT_LANGUAGE,
    "law": GOVERNING_LAW,
    "forum": FORUM,
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
