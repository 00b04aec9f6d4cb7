"""The catalogue of Policy rows: every key, default, unit and note, in the sheet's reading order,
and the row a parameter text on the sheet names.

The rows themselves are defined by topic (``rating_rows``, ``terms_rows``); this module puts them
in order, adds the optional group limits and answers "which row is ``fin.roa.edge.3``?".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

from credit_register.policy.claims_rows import _claims_params, lpr_param
from credit_register.policy.company_rows import _company_params
from credit_register.policy.data_rows import _data_params
from credit_register.policy.loss_rows import _loss_params
from credit_register.policy.model import PillarKey
from credit_register.policy.param import _Param
from credit_register.policy.rating_rows import (
    _FACTOR_BY_KEY,
    _PILLAR_BY_PREFIX,
    _ladder_params,
    _rating_params,
)
from credit_register.policy.terms_rows import _terms_params


def _params(
    ladders: Mapping[tuple[PillarKey, str], int] | None = None,
    groups: Iterable[str] = (),
    lpr_dates: Iterable[str] | None = None,
) -> list[_Param]:
    """Every Policy row in reading order; ``ladders`` gives the edge count per banded factor,
    ``lpr_dates`` the LPR table's dates (the default table when ``None``)."""
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
    rows += _rating_params(ladders)
    rows += _terms_params()
    rows += _claims_params(lpr_dates)
    rows += _loss_params()
    rows += _data_params()
    rows += _company_params()
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


_STATIC: dict[str, _Param] = {p.key: p for p in _params()}
_STATIC_FOLDED: dict[str, _Param] = {k.casefold(): p for k, p in _STATIC.items()}
_LADDER_KEY = re.compile(r"^(fin|pay|bureau|qual)\.(\w+)\.(edge|points)\.(\d+)$", re.IGNORECASE)
_GROUP_KEY = re.compile(r"^group_limit\.(.+)$", re.IGNORECASE)
_LPR_KEY = re.compile(r"^interest\.lpr\.(\d{4}-\d{2}-\d{2})$", re.IGNORECASE)


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
    if match := _LPR_KEY.match(key):
        try:
            day = dt.date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            return None  # not a date: an unknown row
        return lpr_param(day)
    if (match := _GROUP_KEY.match(key)) and match.group(1).strip():
        return _group_param(match.group(1).strip())
    return None
