"""Each small fact of the register has one home (issue 11, item 2), and the two behaviour changes
that came with gathering them: ✓ means yes on the Policy sheet as on Customers, and Excel's
phantom 1900-02-29 is no date wherever a serial date is read.

The source scans are deliberately blunt (text search over ``src``): a second Excel epoch or A1
parser written anywhere else fails here, whatever it is called.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from credit_register.core import addresses, cells, values
from credit_register.core.register import Table
from credit_register.core.schema import POLICY
from credit_register.policy import default_policy_rows, policy_from_table
from credit_register.policy.param import _Param
from credit_register.policy.values import _BadValueError, _parse

SRC = Path(__file__).resolve().parents[1] / "src" / "credit_register"


def _sources() -> dict[str, str]:
    return {
        str(p.relative_to(SRC)): p.read_text(encoding="utf-8")
        for p in SRC.rglob("*.py")
        if "__pycache__" not in p.parts
    }


def _holders(pattern: str) -> list[str]:
    found = re.compile(pattern)
    return sorted(name for name, text in _sources().items() if found.search(text))


def test_the_excel_epoch_is_written_once() -> None:
    assert _holders(r"1899\s*,\s*12\s*,\s*30|1899-12-30|1904\s*,\s*1\s*,\s*1\b") == [
        "core/cells.py"
    ]


def test_column_letters_are_parsed_and_made_once() -> None:
    # parsing letters: ord(letter) - 64 (or - ord("A")); making them: chr(65 + ...)
    assert _holders(r"ord\([^)]*\)\s*-\s*(64|ord\(\"A\"\))|chr\(65") == ["core/cells.py"]
    assert _holders(r"def (column_letter|column_index|split_ref)\b") == ["core/cells.py"]


def test_the_cent_is_defined_once() -> None:
    assert _holders(r"(?m)^CENT\s*=") == ["core/cells.py"]


def test_the_bilingual_pick_is_defined_once() -> None:
    # a helper whose whole body is "zh if lang == 'zh' else en" belongs in core/text
    body = r"return zh if lang == \"zh\" else en\b|return f\"\{zh\} \(\{en\}\)\" if lang"
    assert _holders(body) == ["core/text.py"]


def test_yes_words_and_mail_addresses_and_staleness_have_one_home() -> None:
    assert _holders(r"frozenset\(\s*\{\s*\"是\"") == ["core/values.py"]
    assert _holders(r"re\.compile\(r\"[^\"]*@") == ["core/addresses.py"]
    assert _holders(r"STALE_MONTHS|statement_months\W+\n?\s*\"?months\"?,\s*\n?\s*18") in (
        [],
        ["policy/terms_rows.py"],
    )


def _policy_with(parameter: str, value: object) -> Table:
    rows = [(k, value if k == parameter else v, u, n) for k, v, u, n in default_policy_rows("zh")]
    frame = pd.DataFrame(
        {
            "parameter": [r[0] for r in rows],
            "value": pd.Series([r[1] for r in rows], dtype=object),
            "unit": [r[2] for r in rows],
            "note": [r[3] for r in rows],
            "_row": list(range(2, len(rows) + 2)),
            "_error": [False] * len(rows),
        }
    )
    return Table(POLICY, POLICY.zh, frame, {"parameter": 0, "value": 1, "unit": 2, "note": 3})


@pytest.mark.parametrize(
    ("typed", "meant"), [("✓", True), ("✗", False), ("√", True), ("关", False)]
)
def test_a_tick_means_yes_on_the_policy_sheet_as_on_customers(typed: str, meant: bool) -> None:
    assert values.boolean(pd.Series([typed])).values.tolist() == [meant]
    policy, issues = policy_from_table(_policy_with("limit.bureau_cap", typed), "r.xlsm")
    assert issues == []
    assert policy.limits.bureau_cap is meant


def test_serial_60_is_no_date_and_earlier_serials_keep_excels_count() -> None:
    assert cells.from_serial(60) is None
    assert cells.from_serial(59) == dt.datetime(1900, 2, 28)
    assert cells.to_serial(dt.date(1900, 2, 28)) == 59
    # the register reader and the Policy sheet's date rows agree (no default row is a date since
    # the LPR became a table keyed by date, so a date row of the catalogue's kind is read here)
    assert values.date(pd.Series([59.0, 60.0, 61.0])).values.dt.strftime("%Y-%m-%d").tolist()[
        ::2
    ] == ["1900-02-28", "1900-03-01"]
    a_date_row = _Param("as_of", ("as_of",), "date", None, "日期", "date")
    assert _parse(a_date_row, 59.0) == dt.date(1900, 2, 28)
    with pytest.raises(_BadValueError):
        _parse(a_date_row, 60.0)


def _row_of(parameter: str) -> int:
    keys = [k for k, _, _, _ in default_policy_rows("zh")]
    return keys.index(parameter) + 2


def test_validation_and_mail_agree_on_addresses() -> None:
    cell = "wang@example.cn\nli@example.cn; not-an-address"
    assert addresses.recipients([cell]) == ["wang@example.cn", "li@example.cn"]
    assert addresses.invalid_parts(cell) == ["not-an-address"]


def test_doors_find_a_sheet_by_key_through_one_function() -> None:
    # a loop over tabs asking sheet_for_name(...).key == key is tab_for's job
    assert _holders(r"found\.key == (key|\w+\.key)") == ["core/schema.py"]
