"""The register file is the team's: a write keeps its mode, its owner, its links, its folder.

A write renames a new file over the register, and a rename does not care what the old file was.
These stories check that the file door does: a read-only file, a hard link, another user's file
and a file Excel has open are refused with a message; a symbolic link stays a link; the demo
never overwrites a register; a new register gets the user's usual mode.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from credit_register.adapters import register_lock
from credit_register.adapters.xlsx import FileWorkbook, backups, lock_path
from credit_register.cli import main
from credit_register.core.port import Changes, WorkbookError


def cli(*args: str | Path) -> int:
    return main([str(a) for a in args])


def test_a_read_only_register_is_refused_and_left_as_it_was(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_copy()
    path.chmod(0o444)
    before = path.read_bytes()
    assert cli("run", path) == 2
    assert "read-only" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_a_symbolic_link_stays_a_link_and_the_real_file_is_written(
    demo_copy: Callable[..., Path], tmp_path: Path
) -> None:
    real = demo_copy()
    link = tmp_path / "elsewhere" / "credit_register.xlsm"
    link.parent.mkdir()
    link.symlink_to(real)
    before = real.read_bytes()
    assert cli("run", link) == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_bytes() != before  # the run's results are in the real file
    assert backups(real) and not backups(link)  # the backup beside the real file
    assert sorted(p.name for p in link.parent.iterdir()) == ["credit_register.xlsm"]


def test_a_register_with_another_hard_link_is_refused(
    demo_copy: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_copy()
    twin = tmp_path / "twin.xlsm"
    os.link(path, twin)
    assert cli("run", path) == 2
    assert "hard link" in capsys.readouterr().err
    assert path.stat().st_ino == twin.stat().st_ino  # still one file with two names


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown (root)")
def test_another_users_register_is_refused_rather_than_taken_over(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_copy()
    os.chown(path, 65534, 65534)  # nobody
    assert cli("run", path) == 2
    assert "belongs to another user" in capsys.readouterr().err
    assert path.stat().st_uid == 65534


def test_a_write_keeps_the_registers_mode(demo_copy: Callable[..., Path]) -> None:
    path = demo_copy()
    path.chmod(0o640)
    FileWorkbook(path).apply(Changes(cells={"dashboard": {"C3": None}}))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_new_register_gets_the_users_default_mode(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        assert cli("init", tmp_path / "new_register.xlsm") == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new_register.xlsm").stat().st_mode) == 0o644


def test_the_demo_never_overwrites_a_register_and_force_keeps_a_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[1])  # the shipped workbook
    out = tmp_path / "demo"
    out.mkdir()
    mine = out / "credit_register.xlsm"
    mine.write_bytes(b"PK my own register")
    assert cli("demo", "--out", out) == 2
    assert "--force" in capsys.readouterr().err
    assert mine.read_bytes() == b"PK my own register"

    lock_path(mine).write_bytes(b"Excel")  # and not while Excel has it open, even forced
    assert cli("demo", "--out", out, "--force") == 2
    assert mine.read_bytes() == b"PK my own register"
    lock_path(mine).unlink()

    cli("demo", "--out", out, "--force")
    assert mine.read_bytes() != b"PK my own register"
    # the oldest backup is the register the demo replaced (the demo's own writes follow it)
    assert backups(mine)[0].read_bytes() == b"PK my own register"


def test_a_write_while_excel_has_the_file_open_is_refused(demo_copy: Callable[..., Path]) -> None:
    path = demo_copy()
    lock_path(path).write_bytes(b"owner")
    with pytest.raises(WorkbookError, match="open in Excel"):
        FileWorkbook(path).preflight()


def test_temporary_files_of_a_killed_write_are_cleared_by_the_next_writer(
    demo_copy: Callable[..., Path],
) -> None:
    path = demo_copy()
    # what a write killed before its rename leaves: the new version and the backup's copy
    for kind in ("new", "bak"):
        (path.parent / f"{register_lock.temp_prefix(path)}{kind}-x1y2z3.tmp").write_bytes(b"half")
    assert cli("validate", path) == 0
    assert not list(path.parent.glob("*.tmp"))


def test_two_writes_in_one_instant_do_not_collide(demo_copy: Callable[..., Path]) -> None:
    """The backup's temporary file had one fixed name: two writers collided ("No such file")."""
    path = demo_copy()
    book = FileWorkbook(path)
    for value in range(3):
        book.apply(Changes(cells={"dashboard": {"C4": value}}))
    assert len(backups(path)) == 3
