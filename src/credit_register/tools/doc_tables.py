"""The tables of the project's documents that the code already knows, written from the code.

``core/schema.py`` is the one place that spells a sheet name, a header, a type or a code, and the
Policy's catalogue the one place that holds a default; a hand-copied table in the documentation
would drift from them the first time a column is added or a band recalibrated. So those tables
are generated: a page holds hand-written prose around blocks marked

    <!-- generated: columns customers -->
    ...
    <!-- end generated -->

and :func:`refresh` rewrites what stands between the markers, leaving the prose alone.
``python -m credit_register.tools.doc_tables`` (``make docs``) rewrites the pages; ``--check``
only says whether they are current (``tests/test_docs.py`` runs the same check).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from credit_register.core import dashboard
from credit_register.core.schema import (
    ALL_SHEETS,
    GRADES,
    ON_DEMAND_SHEETS,
    Column,
    Sheet,
)
from credit_register.policy import default_policy_rows
from credit_register.tools.vba import qualified_macro

_BLOCK = re.compile(
    r"(<!-- generated: (?P<name>[a-z_ ]+?) -->\n)(?P<body>.*?)(<!-- end generated -->)",
    re.DOTALL,
)
_KIND = {
    "dashboard": "buttons and headline figures",
    "input": "you type it",
    "policy": "you edit it (the credit policy)",
    "output": "the engine writes it",
}
_ROLE = {
    "input": "you",
    "engine": "you; the engine (`approve`)",
    "output": "engine",
    "user": "**you** (kept by key)",
}


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """A Markdown table; ``align`` gives one character per column (``r`` right-aligns)."""
    rule = ["---:" if a == "r" else "---" for a in align.ljust(len(header), "l")]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(rule) + "|"]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the register


def documented_sheets() -> tuple[Sheet, ...]:
    """Every sheet the register can hold, in workbook order, on-demand sheets last."""
    return (*ALL_SHEETS, *ON_DEMAND_SHEETS)


def sheets_table() -> str:
    """One row per sheet: names in both languages, who writes it, its key, how many columns."""
    rows = []
    for sheet in documented_sheets():
        who = _KIND[sheet.kind]
        if sheet.append_only:
            who += ", append-only"
        if sheet in ON_DEMAND_SHEETS:
            who += ", only when asked"
        key = ", ".join(f"`{k}`" for k in sheet.primary_key) or "—"
        count = len(sheet.columns) or "—"
        rows.append((f"`{sheet.key}`", _cell(sheet.zh), _cell(sheet.en), who, key, count))
    return _table(("key", "中文", "English", "who writes it", "row key", "columns"), rows, "lllllr")


def _codes(column: Column) -> str:
    return " / ".join(_cell(c.zh if c.zh == c.en else f"{c.zh} {c.en}") for c in column.codes)


def columns_table(sheet: Sheet) -> str:
    """One row per column of ``sheet``: key, both headers, type, required, writer, codes."""
    rows = [
        (
            f"`{c.key}`",
            _cell(c.zh),
            _cell(c.en),
            c.type,
            "yes" if c.required else "",
            _ROLE[c.role],
            _codes(c),
        )
        for c in sheet.columns
    ]
    header = ("key", "中文表头", "English header", "type", "required", "written by", "codes")
    return _table(header, rows)


def dashboard_table() -> str:
    """The Dashboard (``core/dashboard.py``): the cells you fill, those the engine writes, the
    buttons."""
    cells = [(f.cell, _cell(f.zh), _cell(f.en), "you") for f in dashboard.USER_FIELDS]
    cells += [(f.cell, _cell(f.zh), _cell(f.en), "the engine") for f in dashboard.HEADLINES]
    buttons = [
        (_cell(a.zh), _cell(a.en), f"`{a.key}`", f"`{qualified_macro(a.key)}`")
        for a in dashboard.ACTIONS
    ]
    return (
        _table(("cell", "中文", "English", "who fills it"), cells)
        + "\n"
        + _table(("button (中文)", "button (English)", "action", "macro"), buttons)
    )


# --------------------------------------------------------------------------- the policy

PolicyRow = tuple[str, object, str, str]
_PER_GRADE = re.compile(rf"^(?P<family>.+)\.(?P<grade>{'|'.join(GRADES)})$")
_LADDER = re.compile(r"^(?P<factor>\w+\.\w+)\.(?P<part>edge|points)\.(?P<n>\d+)$")
_FACTOR = re.compile(r"^(?P<factor>\w+\.\w+)\.(?P<part>weight|direction|points\.\w+)$")
_FACTOR_NOTE = re.compile(r"^weight of (?P<what>.+) within the (?P<pillar>.+?) pillar")


def _policy_rows() -> list[PolicyRow]:
    return default_policy_rows("en")


def _is_factor_row(key: str) -> bool:
    return bool(_LADDER.match(key) or _FACTOR.match(key)) and not key.startswith("ladder.")


def _shown(value: object) -> str:
    """A default as the tables show it: thousands separated (``500,000``), text as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}"
    return _cell(value)


def policy_grades_table() -> str:
    """The Policy rows set per grade (``limit.pct_tnw.AA``...), one line per family."""
    families: dict[str, dict[str, str]] = {}
    units: dict[str, str] = {}
    for key, value, unit, _ in _policy_rows():
        found = _PER_GRADE.match(key)
        if found and not _is_factor_row(key):
            families.setdefault(found["family"], {})[found["grade"]] = _shown(value)
            units[found["family"]] = unit
    rows = [
        (f"`{family}.<grade>`", units[family] or "—", *(by.get(g, "—") for g in GRADES))
        for family, by in families.items()
    ]
    return _table(("Policy rows", "unit", *GRADES), rows, "ll" + "r" * len(GRADES))


@dataclass
class _FactorRows:
    """What the Policy rows of one scorecard factor say (``fin.roa.weight``, ``.edge.1``...)."""

    pillar: str = ""
    what: str = ""
    weight: str = ""
    direction: str = "categories"
    edge_unit: str = ""
    edges: list[float] = field(default_factory=list)
    points: list[str] = field(default_factory=list)

    def take(self, part: str, value: object, unit: str, note: str) -> None:
        if part == "weight":
            self.weight = _shown(value)
            described = _FACTOR_NOTE.match(note)
            if described:
                self.what, self.pillar = described["what"], described["pillar"]
        elif part == "direction":
            self.direction = str(value)
        elif part.startswith("edge."):
            self.edges.append(float(str(value)))
            self.edge_unit = unit
        elif part.startswith("points.") and part[len("points.") :].isdigit():
            self.points.append(str(value))
        else:  # a category's points: ``points.soe``
            self.points.append(f"{part.removeprefix('points.')} {value}")


def policy_factors_table() -> str:
    """The scorecard's factors: weight within the pillar, direction, band edges and points."""
    factors: dict[str, _FactorRows] = {}
    for key, value, unit, note in _policy_rows():
        found = _LADDER.match(key) or _FACTOR.match(key)
        if found is None or key.startswith("ladder."):
            continue
        part = key.removeprefix(found["factor"] + ".")
        factors.setdefault(found["factor"], _FactorRows()).take(part, value, unit, note)
    rows = [
        (
            f"`{name}`",
            _cell(f.pillar),
            _cell(f.what),
            f.weight,
            f.direction,
            f"{', '.join(f'{e:g}' for e in f.edges)} {f.edge_unit}".strip() if f.edges else "—",
            ", ".join(f.points),
        )
        for name, f in factors.items()
    ]
    header = ("factor", "pillar", "what it measures", "weight %", "better", "band edges", "points")
    return _table(header, rows, "lllrlll")


def policy_rows_table() -> str:
    """Every other Policy row: its key, default, unit and the note the sheet shows."""
    rows = [
        (f"`{key}`", _shown(value), unit, _cell(note))
        for key, value, unit, note in _policy_rows()
        if not _is_factor_row(key) and not _PER_GRADE.match(key)
    ]
    return _table(("parameter", "default", "unit", "note"), rows, "lrll")


# --------------------------------------------------------------------------- the pages

_BLOCKS: dict[str, Callable[[], str]] = {
    "sheets": sheets_table,
    "dashboard": dashboard_table,
    "policy grades": policy_grades_table,
    "policy factors": policy_factors_table,
    "policy rows": policy_rows_table,
    **{f"columns {s.key}": partial(columns_table, s) for s in documented_sheets() if s.columns},
}
#: each generated page (relative to the repository root) and the blocks it must hold
PAGES: dict[Path, tuple[str, ...]] = {
    Path("docs/register.md"): (
        "sheets",
        "dashboard",
        *(name for name in _BLOCKS if name.startswith("columns ")),
    ),
    Path("docs/policy.md"): ("policy grades", "policy factors", "policy rows"),
}


def block(name: str) -> str:
    """The generated text of the block called ``name``."""
    if name not in _BLOCKS:
        raise ValueError(f"no generated block is called {name!r}; known: {', '.join(_BLOCKS)}")
    return _BLOCKS[name]()


def block_names(text: str) -> list[str]:
    """The names of the generated blocks ``text`` holds, in order."""
    return [m.group("name") for m in _BLOCK.finditer(text)]


def refresh(text: str) -> str:
    """``text`` with every generated block rewritten from the code; the prose is kept.

    A blank line on either side keeps a table apart from the markers, as Markdown wants."""
    return _BLOCK.sub(lambda m: f"{m.group(1)}\n{block(m.group('name'))}\n{m.group(4)}", text)


def missing_blocks(page: Path, text: str) -> list[str]:
    """The blocks ``page`` must hold and does not (a new sheet must be documented)."""
    present = set(block_names(text))
    return [name for name in PAGES.get(page, ()) if name not in present]


def stale_pages(root: Path) -> list[str]:
    """What is wrong with the generated pages under ``root``; empty when all are current."""
    problems = []
    for page in PAGES:
        text = (root / page).read_text(encoding="utf-8")
        missing = missing_blocks(page, text)
        if missing:
            problems.append(f"{page}: no generated block for {', '.join(missing)}")
        elif refresh(text) != text:
            problems.append(f"{page} is stale: run `make docs`")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--root", type=Path, default=Path(), help="the repository (default: .)")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a page is not current; write nothing"
    )
    args = parser.parse_args(argv)
    problems = stale_pages(args.root)
    if args.check or any("no generated block" in p for p in problems):
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    for page in PAGES:
        path = args.root / page
        text = path.read_text(encoding="utf-8")
        if refresh(text) != text:
            path.write_text(refresh(text), encoding="utf-8")
            print(f"{page} rewritten from the code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
