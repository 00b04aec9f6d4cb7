"""The demo register run through the engines, as the document, chart, PDF and mail tests use it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from credit_register.adapters.xlsx import FileWorkbook
from credit_register.app.pipeline import compute, load_register
from credit_register.core.schema import Language
from credit_register.engines.results import Results
from credit_register.tools.build import build_workbook
from credit_register.tools.demo import DEMO_AS_OF


@cache
def _demo_results(lang: Language, folder: str) -> Results:
    path = Path(folder) / f"demo_{lang}.xlsm"
    build_workbook(path, lang=lang, demo=True, overwrite=True)
    book = FileWorkbook(path)
    return compute(load_register(book.read(), book.label, today=DEMO_AS_OF))


def demo_results(tmp_path_factory: pytest.TempPathFactory, lang: Language = "zh") -> Results:
    """The demo register run through the engines (built once per test session)."""
    root = tmp_path_factory.getbasetemp() / "documents_demo"
    root.mkdir(exist_ok=True)
    return _demo_results(lang, str(root))
