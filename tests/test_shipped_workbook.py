"""The workbook in the repo is exactly what `credit-register init --demo` builds today."""

from __future__ import annotations

from pathlib import Path

from credit_register.tools.build import build_workbook
from support.workbook import workbook_contents

SHIPPED = Path(__file__).resolve().parents[1] / "workbook" / "credit_register.xlsm"


def test_the_shipped_workbook_is_what_init_demo_builds(tmp_path: Path) -> None:
    rebuilt = build_workbook(tmp_path / "credit_register.xlsm", demo=True)
    shipped, fresh = workbook_contents(SHIPPED), workbook_contents(rebuilt)
    # compare piece by piece so a failure names what drifted (run `make workbook` on purpose)
    assert shipped.keys() == fresh.keys()
    for key in fresh:
        assert shipped[key] == fresh[key], f"workbook/credit_register.xlsm differs in {key!r}"


def test_the_shipped_workbook_has_its_buttons_and_macro() -> None:
    contents = workbook_contents(SHIPPED)
    text = repr(contents)
    assert "SampleCall" in text
    assert "credit-register:run" in text
    assert "RunPython" in text
