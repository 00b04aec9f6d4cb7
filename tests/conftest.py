"""Shared fixtures: the demo register built once per test session, copied per test."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from credit_register.tools.build import build_workbook


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


def zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sheet_parts(path: Path) -> dict[str, str]:
    """Tab name → its worksheet part (``xl/worksheets/sheet5.xml``), read from the package."""
    members = zip_members(path)
    workbook = members["xl/workbook.xml"].decode()
    rels = members["xl/_rels/workbook.xml.rels"].decode()
    targets = dict(re.findall(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets.update(
        {
            rid: target
            for target, rid in re.findall(
                r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels
            )
        }
    )
    parts = {}
    for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook):
        target = targets[rid].lstrip("/")
        parts[name] = target if target.startswith("xl/") else f"xl/{target}"
    return parts
