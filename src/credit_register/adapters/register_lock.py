"""One writer at a time per register file, and the files a write leaves beside it.

Two commands on one register (a scheduled ``run`` and a colleague's ``approve``) must not both
read the file, compute, and write: the second write would silently drop the first one's work.
So every read-modify-write holds an exclusive lock on the register, taken **before reading**.
The lock is an operating-system lock (``flock`` on POSIX, ``LockFileEx`` on Windows, through the
well-kept ``filelock`` library) on a small file beside the register, so a process that dies
(kill -9, power cut) releases it with no stale-lock clean-up. Who holds it and since when is kept
in a second small file, because a waiting ``filelock`` truncates the lock file itself; a refused
writer's message names the holder.

Also here, for the same reason (only the lock holder may touch them):

- temporary files of earlier writes that were killed before their rename are removed;
- the last ``keep`` backups are kept, each named with its time stamp, older ones removed.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path

import filelock

from credit_register.core.port import WorkbookError
from credit_register.core.text import glossed

#: how long a second writer waits for the first one by default (seconds)
DEFAULT_WAIT_SECONDS = 30.0
#: how many backups of the register are kept by default
DEFAULT_BACKUPS = 5
_STAMP = "%Y%m%d-%H%M%S-%f"


def lock_file(register: Path) -> Path:
    """The OS-locked file beside the register.

    >>> lock_file(Path("/data/credit_register.xlsm")).name
    '.~credit_register.xlsm.lock'
    """
    return register.with_name(f".~{register.name}.lock")


def holder_file(register: Path) -> Path:
    """Who holds the lock and since when (JSON), beside the register."""
    return register.with_name(f".~{register.name}.holder")


def temp_prefix(register: Path) -> str:
    """The name every temporary file of a write to ``register`` starts with.

    >>> temp_prefix(Path("credit_register.xlsm"))
    '.credit_register.xlsm.'
    """
    return f".{register.name}."


@dataclass(frozen=True)
class Holder:
    """Who writes the register now."""

    user: str
    host: str
    pid: int
    action: str
    since: str

    def describe(self) -> tuple[str, str]:
        """The holder in Chinese and in English, for the refusal message."""
        return (
            f"{self.user}（{self.host}，进程 {self.pid}）自 {self.since} 起正在执行“{self.action}”",
            f"{self.user} on {self.host} (process {self.pid}) has been running "
            f"'{self.action}' since {self.since}",
        )


def _current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some services)
        return "unknown"


def read_holder(register: Path) -> Holder | None:
    """The recorded holder, or ``None`` when none is recorded or the record is unreadable."""
    try:
        data = json.loads(holder_file(register).read_text(encoding="utf-8"))
        return Holder(**data)
    except (OSError, ValueError, TypeError):
        return None


@contextmanager
def exclusive(
    register: Path, action: str, *, wait_seconds: float = DEFAULT_WAIT_SECONDS
) -> Iterator[Holder]:
    """Hold the register's write lock for the ``with`` block; wait up to ``wait_seconds`` for
    another writer, then refuse with a ``WorkbookError`` naming it.

    The lock is taken on the real file (a symlink is followed), so two links to one register
    share one lock.
    """
    real = Path(os.path.realpath(register))
    lock = filelock.FileLock(str(lock_file(real)), is_singleton=False)
    try:
        lock.acquire(timeout=max(wait_seconds, 0.0))
    except filelock.Timeout:
        holder = read_holder(real)
        zh_who, en_who = (
            holder.describe() if holder else ("另一个程序正在写入", "another program is writing it")
        )
        raise WorkbookError(
            glossed(
                "zh",
                f"工作簿 {register.name} 正被占用：{zh_who}；等待 {wait_seconds:g} 秒后仍未释放，"
                "请稍后重试",
                f"the workbook {register.name} is busy: {en_who}; still busy after "
                f"{wait_seconds:g} s, try again later",
            )
        ) from None
    except OSError as exc:
        raise WorkbookError(
            glossed(
                "zh",
                f"无法在 {real.parent} 中建立工作簿锁：{exc}",
                f"cannot create the workbook's lock in {real.parent}: {exc}",
            )
        ) from exc
    holder = Holder(
        user=_current_user(),
        host=socket.gethostname(),
        pid=os.getpid(),
        action=action,
        since=dt.datetime.now().isoformat(timespec="seconds"),
    )
    try:
        # the record is a courtesy for the next writer's message, never a reason to fail
        with suppress(OSError):
            holder_file(real).write_text(json.dumps(asdict(holder)), encoding="utf-8")
        yield holder
    finally:
        holder_file(real).unlink(missing_ok=True)
        lock.release()


def remove_stale_temps(register: Path) -> list[Path]:
    """Remove the temporary files earlier writes to ``register`` left when they were killed
    before their rename. Call it only while holding the lock: then no write is under way."""
    removed = []
    for candidate in register.parent.glob(f"{temp_prefix(register)}*.tmp"):
        try:
            candidate.unlink()
            removed.append(candidate)
        except OSError:
            continue
    return removed


def backup_name(register: Path, when: dt.datetime) -> Path:
    """A time-stamped backup beside the register.

    >>> backup_name(Path("r.xlsm"), dt.datetime(2026, 11, 29, 7, 34, 0, 5)).name
    'r.bak-20261129-073400-000005.xlsm'
    """
    return register.with_name(f"{register.stem}.bak-{when.strftime(_STAMP)}{register.suffix}")


def backups(register: Path) -> list[Path]:
    """The register's time-stamped backups, oldest first."""
    return sorted(register.parent.glob(f"{register.stem}.bak-*{register.suffix}"))


def prune_backups(register: Path, keep: int = DEFAULT_BACKUPS) -> list[Path]:
    """Remove all but the ``keep`` newest backups; the removed ones are returned."""
    old = backups(register)[: -max(keep, 1)]
    for path in old:
        path.unlink(missing_ok=True)
    return old
