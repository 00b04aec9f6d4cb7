"""Shared fixtures: the demo register built once per test session, copied per test; the
``--update-golden`` switch of the snapshot tests (``test_snapshots.py``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from credit_register.tools.build import build_workbook


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from this run instead of comparing (review with git diff)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the golden files are to be rewritten on purpose (``pytest --update-golden``)."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("demo")
    return {
        lang: build_workbook(folder / f"credit_register_{lang}.xlsm", lang=lang, demo=True)
        for lang in ("zh", "en")
    }


@pytest.fixture
def demo_copy(demo_master: dict[str, Path], tmp_path: Path) -> Callable[..., Path]:
    """A fresh copy of the demo register named ``credit_register.xlsm`` in this test's folder."""

    def copy(lang: str = "zh") -> Path:
        target = tmp_path / lang / "credit_register.xlsm"
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(demo_master[lang], target)
        return target

    return copy
