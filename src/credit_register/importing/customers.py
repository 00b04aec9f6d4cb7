"""Which register customer an export's row belongs to.

ERP exports name customers by their own code, by USCC, by full name or by a short name typed
years ago. A row is matched, in this order: the customer ID; the USCC; the exact name; the
normalised name (full-width folded, spaces and punctuation dropped, 有限公司 / 有限责任公司 /
股份有限公司 / Co., Ltd. variants reduced to one form). A name that normalises to two register
customers is ambiguous: the row is rejected with the candidates listed, never guessed. A name
found nowhere is a new customer; it gets the next ID in the register's own numbering.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

_CHINESE_SUFFIX = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团公司|总公司|分公司|公司)$")
#: Latin legal forms, only as whole words at the end ("tabasco" keeps its "co")
_LATIN_SUFFIX = re.compile(
    r"(?<![a-z0-9])(co\.?,?\s*ltd\.?|company(\s+limited)?|limited|ltd\.?|incorporated|inc\.?"
    r"|corporation|corp\.?|l\.?l\.?c\.?|gmbh|s\.a\.?|pte\.?|plc|co\.?)$"
)
_NOISE = re.compile(r"[\s\.,，。·・'\"“”‘’()（）\[\]【】\-_/&]+")


def normalise_name(name: object) -> str:
    """A company name folded for matching.

    >>> normalise_name("上海 甲乙贸易有限责任公司"), normalise_name("上海甲乙贸易（有限公司）")
    ('上海甲乙贸易', '上海甲乙贸易')
    >>> normalise_name("ACME Trading Co., Ltd."), normalise_name("Acme Trading Company Limited")
    ('acmetrading', 'acmetrading')
    >>> normalise_name("Tabasco Pte. Ltd.")
    'tabasco'
    """
    text = unicodedata.normalize("NFKC", "" if name is None else str(name)).casefold()
    while True:
        trimmed = text.strip(" .,，。·・'\"“”‘’()（）[]【】-_/&")
        shorter = _LATIN_SUFFIX.sub("", _CHINESE_SUFFIX.sub("", trimmed))
        if shorter == text or not shorter.strip():
            return _NOISE.sub("", trimmed)
        text = shorter


@dataclass
class Matches:
    """What each looked-up value matched."""

    #: value → customer ID (found)
    found: dict[str, str] = field(default_factory=dict)
    #: value → the customer IDs it could mean (rejected)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    #: values found nowhere (new customers), in first-seen order
    unknown: list[str] = field(default_factory=list)


def match(values: Iterable[str], customers: pd.DataFrame) -> Matches:
    """Match export values (IDs, USCCs or names) to ``customers`` (columns ``customer_id``,
    ``name`` and, when present, ``uscc``).

    >>> book = pd.DataFrame({"customer_id": ["C00001", "C00002", "C00003"],
    ...     "name": ["上海甲乙贸易有限公司", "北京丙丁科技有限公司", "北京丙丁科技股份有限公司"],
    ...     "uscc": ["91310000MA1FL4TD1Q", None, None]})
    >>> m = match(["C00001", "91310000MA1FL4TD1Q", "上海甲乙贸易有限责任公司", "北京丙丁科技",
    ...            "新客户"], book)
    >>> sorted(m.found.items())
    [('91310000MA1FL4TD1Q', 'C00001'), ('C00001', 'C00001'), ('上海甲乙贸易有限责任公司', 'C00001')]
    >>> m.ambiguous, m.unknown
    ({'北京丙丁科技': ['C00002', 'C00003']}, ['新客户'])
    """
    ids = customers["customer_id"].astype(str).str.strip()
    by_id = dict(zip(ids, ids, strict=True))
    by_uscc: dict[str, str] = {}
    if "uscc" in customers:
        for uscc, cid in zip(customers["uscc"], ids, strict=True):
            if isinstance(uscc, str) and uscc.strip():
                by_uscc[uscc.strip().upper()] = cid
    by_name: dict[str, list[str]] = {}
    by_folded: dict[str, list[str]] = {}
    for name, cid in zip(customers["name"], ids, strict=True):
        if isinstance(name, str) and name.strip():
            by_name.setdefault(name.strip(), []).append(cid)
            by_folded.setdefault(normalise_name(name), []).append(cid)
    result = Matches()
    for raw in dict.fromkeys(values):
        value = str(raw).strip()
        if not value:
            continue
        candidates = (
            [by_id[value]]
            if value in by_id
            else [by_uscc[value.upper()]]
            if value.upper() in by_uscc
            else by_name.get(value) or by_folded.get(normalise_name(value), [])
        )
        unique = list(dict.fromkeys(candidates))
        if len(unique) == 1:
            result.found[value] = unique[0]
        elif unique:
            result.ambiguous[value] = unique
        else:
            result.unknown.append(value)
    return result


_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def next_ids(existing: Sequence[str], count: int) -> list[str]:
    """``count`` new customer IDs continuing the register's most common numbering.

    >>> next_ids(["C00001", "C00059", "C00007"], 2)
    ['C00060', 'C00061']
    >>> next_ids([], 2), next_ids(["ACME"], 1)
    (['C00001', 'C00002'], ['C00001'])
    """
    series: dict[tuple[str, int], int] = {}
    for cid in existing:
        found = _NUMBERED.match(str(cid).strip())
        if found:
            key = (found.group(1), len(found.group(2)))
            series[key] = max(series.get(key, 0), int(found.group(2)))
    if not series:
        prefix, width, last = "C", 5, 0
    else:
        counts: dict[tuple[str, int], int] = {}
        for cid in existing:
            found = _NUMBERED.match(str(cid).strip())
            if found:
                key = (found.group(1), len(found.group(2)))
                counts[key] = counts.get(key, 0) + 1
        prefix, width = max(counts, key=lambda k: counts[k])
        last = series[(prefix, width)]
    taken = {str(c).strip() for c in existing}
    made: list[str] = []
    number = last
    while len(made) < count:
        number += 1
        candidate = f"{prefix}{number:0{width}d}"
        if candidate not in taken:
            made.append(candidate)
    return made
