"""The package as a user installs it: the wheel, from a folder that is not the checkout.

A finance team's PC gets ``pip install credit_register-….whl``, not an editable checkout. So the
Word templates and the add-in's files must travel inside the package: this test builds the wheel,
installs it (``--no-deps``) into a fresh virtual environment that sees this environment's
libraries, and from a folder outside the repository runs the demo's whole monthly cycle
(documents included) and writes the add-in's manifest. It takes about a minute (marked ``slow``;
``make test`` runs it).
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.mark.slow
def test_the_installed_wheel_runs_the_demo_cycle_and_writes_the_manifest_anywhere(
    tmp_path: Path,
) -> None:
    # the source as a release is cut from it (no caches, no egg-info, no node_modules)
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "node_modules"),
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    # offline: the build backend is this environment's setuptools (a dev dependency)
    _run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"),
            *("-w", str(tmp_path / "dist"), str(source)),
        ],
        tmp_path,
        env,
    )
    wheel = next((tmp_path / "dist").glob("credit_register-*.whl"))

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], tmp_path, env)
    python = venv / "bin" / "python"
    # over this environment's libraries (pandas, docxtpl, …): a venv made from a venv sees only
    # the base interpreter's site-packages, so this environment's are added by a .pth file (a
    # plain path: its own .pth files, the editable install's among them, are not run)
    venv_site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        tmp_path,
        env,
    ).strip()
    (Path(venv_site) / "test_environment.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], tmp_path, env)

    elsewhere = tmp_path / "finance team"
    elsewhere.mkdir()
    where = _run(
        [str(python), "-c", "import credit_register; print(credit_register.__file__)"],
        elsewhere,
        env,
    )
    assert Path(where.strip()).is_relative_to(venv), where  # the wheel, not the checkout

    cli = str(venv / "bin" / "credit-register")
    out = _run([cli, "demo", "--out", "demo"], elsewhere, env)
    assert "done: open" in out
    documents = elsewhere / "demo" / "documents"
    written = {p.suffix for p in documents.rglob("*")}
    assert ".docx" in written, out  # contracts, reports, letters, the review pack: the templates
    assert list(documents.glob("*合同*")) or list(documents.rglob("*contract*")), out
    assert list((documents / "outbox").glob("*.eml")), out

    token = {"CREDIT_REGISTER_TOKEN": "wheel-test-token-0123456789"}  # serve checks its settings
    _run([cli, "serve", "--write-manifest", "manifest.xml"], elsewhere, env | token)
    manifest = (elsewhere / "manifest.xml").read_text(encoding="utf-8")
    assert "/taskpane/taskpane.html" in manifest
