"""Reading the Policy sheet (信用政策) into a ``Policy`` and the Issues found in it.

Every problem is an Issue at its cell and leaves the affected value, or the whole group (weights,
a band ladder, the grade table), at its default: the engines always get a consistent policy.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any, Literal

from credit_register.core.issues import Issue
from credit_register.core.register import Table
from credit_register.core.schema import POLICY
from credit_register.policy.catalogue import _LADDER_KEY, _STATIC, _param_for
from credit_register.policy.model import PillarKey, Policy
from credit_register.policy.rating_rows import _FACTORS, _PILLARS
from credit_register.policy.rows import _DEFAULT_VALUES, DEFAULT_POLICY, _assemble
from credit_register.policy.terms_rows import _INDICATORS
from credit_register.policy.values import _BadValueError, _blank, _parse, _tidy


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
        if _blank(raw) and p.kind not in ("emails", "text"):
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
