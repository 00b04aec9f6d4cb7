"""Build the workbook's VBA project and write it to the package: ``src/credit_register/data/
vbaProject.bin`` (``python scripts/make_vba_project.py``, or ``make vba``).

The project is built from source (``credit_register.tools.vba``): xlwings' module from the
installed, pinned xlwings, our macro module, a module per sheet. Run this after changing the
actions, the sheets or the xlwings version; ``tests/test_vba_project.py`` fails until the shipped
file is the one this script writes. Then rebuild the shipped workbook (``make workbook``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from credit_register.tools import vba  # noqa: E402

TARGET = ROOT / "src" / "credit_register" / "data" / vba.DATA_FILE


def main() -> None:
    data = vba.build()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    unchanged = TARGET.exists() and TARGET.read_bytes() == data
    if not unchanged:
        TARGET.write_bytes(data)
    state = "unchanged" if unchanged else "written"
    print(f"{TARGET.relative_to(ROOT)}: {len(data):,} bytes, {state}")


if __name__ == "__main__":
    main()
