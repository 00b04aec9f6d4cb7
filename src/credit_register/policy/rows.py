"""Rows ↔ model: assembling a ``Policy`` from row values, the default policy, and the
``(parameter, value, unit, note)`` rows that write a policy onto a sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credit_register.core.schema import Language
from credit_register.core.text import pick
from credit_register.policy.catalogue import _LADDER_KEY, _STATIC, _param_for, _params
from credit_register.policy.model import BandedFactor, Policy
from credit_register.policy.param import _UNITS, _Param
from credit_register.policy.rating_rows import _FACTOR_BY_KEY, _FACTORS, _PILLAR_BY_PREFIX, _PILLARS
from credit_register.policy.terms_rows import _INDICATORS
from credit_register.policy.values import _display, _parse


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
    for p in _params(ladders, policy.group_limits, policy.interest.lpr):
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
        return pick(lang, p.zh, p.en)
    pillar = _PILLAR_BY_PREFIX[match.group(1)]
    factor = policy.pillars[pillar.key].factors[match.group(2)]
    definition = _FACTOR_BY_KEY[(pillar.key, match.group(2))]
    assert isinstance(factor, BandedFactor)
    n = int(match.group(4))
    edge_param = _Param("", (), definition.unit, None, "", "")
    unit = pick(lang, *_UNITS[definition.unit])
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
    return pick(lang, f"{p.zh}：{span}", f"{p.en}: {span}")


def policy_rows(policy: Policy, lang: Language = "zh") -> list[tuple[str, object, str, str]]:
    """``(parameter, value, unit, note)`` rows for ``policy`` (a fitted policy written back)."""
    rows: list[tuple[str, object, str, str]] = []
    for p, value in _model_values(policy):
        unit = pick(lang, *_UNITS.get(p.kind, ("", "")))
        if p.kind == "amount" and not (lang == "zh" and policy.base_currency == "CNY"):
            unit = policy.base_currency
        rows.append((p.key, _display(p, value, lang), unit, _band_note(p, policy, lang)))
    return rows


def default_policy_rows(lang: Language = "zh") -> list[tuple[str, object, str, str]]:
    """The Policy sheet a new workbook ships with, grouped in reading order."""
    return policy_rows(DEFAULT_POLICY, lang)
