"""One writer at a time: a second writer of the same register waits, then is told who holds it."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from pathlib import Path

import pytest

from credit_register.adapters import register_lock
from credit_register.core.port import WorkbookError


def _hold(
    path: str, ready: multiprocessing.synchronize.Event, release: multiprocessing.synchronize.Event
) -> None:
    with register_lock.exclusive(Path(path), "run"):
        ready.set()
        release.wait(20)


def test_a_second_writer_is_refused_with_the_holders_name_and_start(tmp_path: Path) -> None:
    register = tmp_path / "r.xlsm"
    register.write_bytes(b"PK")
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    other = ctx.Process(target=_hold, args=(str(register), ready, release))
    other.start()
    try:
        assert ready.wait(30)
        started = time.monotonic()
        with (
            pytest.raises(WorkbookError) as refused,
            register_lock.exclusive(register, "approve", wait_seconds=0.5),
        ):
            pass
        assert time.monotonic() - started >= 0.5
        message = str(refused.value)
        assert "run" in message and f"process {other.pid}" in message
        assert dt.date.today().isoformat() in message
    finally:
        release.set()
        other.join(30)
    with register_lock.exclusive(register, "approve", wait_seconds=5):
        pass  # free again once the holder ended


def test_a_killed_holder_leaves_no_lock_behind(tmp_path: Path) -> None:
    register = tmp_path / "r.xlsm"
    register.write_bytes(b"PK")
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    other = ctx.Process(target=_hold, args=(str(register), ready, release))
    other.start()
    assert ready.wait(30)
    other.kill()
    other.join(30)
    with register_lock.exclusive(register, "run", wait_seconds=5) as holder:
        assert holder.pid == os.getpid()


def test_a_symlink_and_its_target_share_one_lock(tmp_path: Path) -> None:
    real = tmp_path / "real.xlsm"
    real.write_bytes(b"PK")
    link = tmp_path / "link.xlsm"
    link.symlink_to(real)
    with (
        register_lock.exclusive(real, "run"),
        pytest.raises(WorkbookError),
        register_lock.exclusive(link, "approve", wait_seconds=0.2),
    ):
        pass


def test_old_temp_files_are_removed_and_backups_pruned_to_the_newest(tmp_path: Path) -> None:
    register = tmp_path / "r.xlsm"
    register.write_bytes(b"PK")
    stale = tmp_path / f"{register_lock.temp_prefix(register)}abc123.tmp"
    stale.write_bytes(b"half a workbook")
    unrelated = tmp_path / ".other.xlsm.abc.tmp"
    unrelated.write_bytes(b"")
    assert register_lock.remove_stale_temps(register) == [stale]
    assert not stale.exists() and unrelated.exists()

    start = dt.datetime(2026, 11, 1, 8, 0)
    made = [register_lock.backup_name(register, start + dt.timedelta(hours=h)) for h in range(7)]
    for path in made:
        path.write_bytes(b"PK")
    removed = register_lock.prune_backups(register, keep=5)
    assert removed == made[:2]
    assert register_lock.backups(register) == made[2:]
