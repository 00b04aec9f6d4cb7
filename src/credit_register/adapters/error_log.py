"""Where an unexpected failure's details go: a log file of this user's own, opened safely.

A user never sees a traceback; the details go to a file whose path is printed. That file used to
have one fixed name in the shared temporary folder, where another user could plant a symbolic
link (and have us overwrite its target) or own the file (and make us fail with a raw double
traceback). So the log lives in the user's own cache folder (``%LOCALAPPDATA%`` on Windows,
``~/Library/Logs`` on a Mac, ``$XDG_CACHE_HOME`` or ``~/.cache`` elsewhere), in a folder only
the user can enter, and is opened without following a link; when it cannot be written the
message says so, and why, in one line.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

APP = "credit-register"


def log_folder() -> Path:
    """This user's folder for the error log."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / APP / "Logs"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Logs" / APP
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / APP


def write_error_log(text: str, folder: Path | None = None) -> Path:
    """Write ``text`` to ``error.log`` in ``folder`` (default :func:`log_folder`) and return its
    path; ``OSError`` when it cannot be written safely (a link, another user's file)."""
    folder = folder or log_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / "error.log"
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags, 0o600)
    try:
        info = os.fstat(handle)
        geteuid = getattr(os, "geteuid", None)
        if not stat.S_ISREG(info.st_mode) or (geteuid is not None and info.st_uid != geteuid()):
            raise OSError(f"{path} is not this user's own file")
        os.ftruncate(handle, 0)
        os.write(handle, text.encode("utf-8", errors="replace"))
    finally:
        os.close(handle)
    return path
