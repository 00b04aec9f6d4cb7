"""The package as a user installs it: one version number, one licence, and each library where it
is used — the runtime declares what ``src`` imports (and nothing it does not), the calibration's
libraries come with the ``calibrate`` extra, and ``dev`` brings whatever the tests and scripts
import, so ``make setup`` installs everything."""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import Any

import pytest

import credit_register
from credit_register.cli import main

ROOT = Path(__file__).resolve().parents[1]
PROJECT: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
    "project"
]
#: libraries ``src`` imports that an extra brings, not the runtime: the extra that lists them
OPTIONAL = {
    "optbinning": "calibrate",  # engines/calibration.py; the calibrate action says what to install
    "scikit-learn": "calibrate",
    "oletools": "dev",  # reading the workbook's VBA back, in tests only (an ImportError guard)
}
#: runtime dependencies ``src`` never imports, and why they are there all the same
NOT_IMPORTED = {"python-dotenv": "pydantic-settings reads the .env file with it"}


def canonical(name: str) -> str:
    """A distribution's name as package indexes compare it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(requirements: list[str]) -> set[str]:
    names = set()
    for requirement in requirements:
        name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        assert name, requirement
        names.add(canonical(name.group()))
    return names


def extra(name: str) -> set[str]:
    """The distributions an extra brings, its references to our own extras expanded."""
    listed: list[str] = PROJECT["optional-dependencies"][name]
    names = requirement_names(listed)
    for requirement in listed:
        own = re.fullmatch(r"credit-register\[(\w+)\]", requirement)
        if own:
            names |= extra(own.group(1))
    return names - {"credit-register"}


#: top-level modules of this repository itself (not distributions to install)
LOCAL_PACKAGES = ("credit_register", "support", "template_kit")


def imported_distributions(folder: Path) -> dict[str, set[str]]:
    """Distribution → the files under ``folder`` that import it, at the top or inside a function
    (the standard library and the project's own packages left out)."""
    owners = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.partition(".")[0]
                # the project's own: the package, the tests' support, the templates' builder kit
                if top in sys.stdlib_module_names or top in LOCAL_PACKAGES:
                    continue
                for distribution in owners.get(top, [top]):
                    where = path.relative_to(ROOT).as_posix()
                    found.setdefault(canonical(distribution), set()).add(where)
    return found


def test_the_version_is_the_number_in_pyproject_and_nowhere_else(
    capsys: pytest.CaptureFixture[str],
) -> None:
    number = PROJECT["version"]
    assert credit_register.__version__ == number
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.split() == ["credit-register", number]
    hard_coded = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "src").rglob("*.py")
        if f'"{number}"' in path.read_text(encoding="utf-8")
    ]
    assert hard_coded == []


def test_the_licence_is_mit_in_the_package_the_licence_file_and_the_addin() -> None:
    assert PROJECT["license"] == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 the Credit Register authors" in text
    addin = json.loads((ROOT / "addin" / "package.json").read_text(encoding="utf-8"))
    assert addin["license"] == "MIT"


def test_the_runtime_declares_what_src_imports_and_nothing_else() -> None:
    runtime = requirement_names(PROJECT["dependencies"])
    imported = imported_distributions(ROOT / "src")
    undeclared = {
        name: sorted(files)
        for name, files in imported.items()
        if name not in runtime and name not in extra(OPTIONAL.get(name, "dev"))
    }
    assert undeclared == {}
    for name, extra_name in OPTIONAL.items():
        assert name not in runtime and name in extra(extra_name), name
    # e.g. openpyxl: only the tests read the workbook back with it, so it is a dev dependency
    assert runtime - set(imported) == set(NOT_IMPORTED)


def test_the_dev_extra_brings_everything_the_tests_and_scripts_import() -> None:
    available = requirement_names(PROJECT["dependencies"]) | extra("dev")
    assert extra("calibrate") <= extra("dev")
    for folder in ("tests", "scripts"):
        missing = {
            name: sorted(files)
            for name, files in imported_distributions(ROOT / folder).items()
            if name not in available
        }
        assert missing == {}, folder
