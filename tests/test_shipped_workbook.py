"""The workbook in the repo is exactly what `credit-register init --demo` builds today."""

from __future__ import annotations

import hashlib
from pathlib import Path

from credit_register.core import dashboard
from credit_register.tools.build import build_workbook
from credit_register.tools.vba import qualified_macro
from credit_register.tools.vba import shipped as shipped_vba_project
from support.workbook import workbook_contents

SHIPPED = Path(__file__).resolve().parents[1] / "workbook" / "credit_register.xlsm"


def test_the_shipped_workbook_is_what_init_demo_builds(tmp_path: Path) -> None:
    rebuilt = build_workbook(tmp_path / "credit_register.xlsm", demo=True)
    shipped, fresh = workbook_contents(SHIPPED), workbook_contents(rebuilt)
    # compare piece by piece so a failure names what drifted (run `make workbook` on purpose)
    assert shipped.keys() == fresh.keys()
    for key in fresh:
        assert shipped[key] == fresh[key], f"workbook/credit_register.xlsm differs in {key!r}"


def test_the_shipped_workbook_has_its_buttons_and_their_macros() -> None:
    contents = workbook_contents(SHIPPED)
    buttons = contents["sheets"]["控制台"]["buttons"]
    assert [b["macro"] for b in buttons] == [
        f"[0]!{qualified_macro(a.key)}" for a in dashboard.ACTIONS
    ]
    assert contents["vba_sha256"] == hashlib.sha256(shipped_vba_project()).hexdigest()
    assert "cr.button('run')" in contents["vba_modules"]["CreditRegister.bas"]
