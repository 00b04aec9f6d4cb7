"""Whether the register file may be written, asked before anything is read, written or sent.

A write replaces the file by renaming a new one over it, and a rename does not care about the
file's own mode, owner or links. Left alone it would overwrite a file the user made read-only,
turn a symbolic link into a detached copy, split a hard link, and hand another user's file to
whoever ran the command. So the file door writes the *real* file a link points at (the temporary
file in the real file's folder) and refuses, with a message a user can act on:

- a file Excel has open (its owner file ``~$<name>`` beside the workbook);
- a read-only file, or one in a folder this user cannot write;
- a file with other hard links (a rename would leave them on the old version);
- a file owned by another user (a rename would make it ours).

Refusing here, before the work, is what lets the document and e-mail buttons promise that
nothing leaves the machine when the register could not record it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from credit_register.adapters.xlsx.cells import workbook_error


def lock_path(path: Path) -> Path:
    """Excel's owner file, present while the workbook is open in Excel.

    >>> lock_path(Path("/data/credit_register.xlsm")).name
    '~$credit_register.xlsm'
    """
    return path.with_name(f"~${path.name}")


def real_path(path: Path) -> Path:
    """The file ``path`` names once symbolic links are followed (the one to write)."""
    return Path(os.path.realpath(path))


def open_in_excel(path: Path) -> bool:
    """Whether Excel's owner file sits beside the workbook, or beside the file a link names."""
    return lock_path(path).exists() or lock_path(real_path(path)).exists()


def check_writable(path: Path, label: str) -> None:
    """Raise ``WorkbookError`` when a write to ``path`` must be refused (see the module)."""
    if open_in_excel(path):
        raise workbook_error(
            f"工作簿 {label} 正在 Excel 中打开；请先关闭再重试",
            f"the workbook {label} is open in Excel; close it and try again",
        )
    real = real_path(path)
    try:
        info = real.stat()
    except OSError as exc:
        raise workbook_error(
            f"无法读取 {label} 的文件信息：{exc}", f"cannot inspect {label}: {exc}"
        ) from exc
    if not stat.S_ISREG(info.st_mode):
        raise workbook_error(f"{label} 不是普通文件", f"{label} is not a regular file")
    if not info.st_mode & stat.S_IWUSR or not os.access(real, os.W_OK):
        raise workbook_error(
            f"工作簿 {label} 是只读文件；如需写入，请先取消只读属性",
            f"the workbook {label} is read-only; make it writable first if it should be written",
        )
    if not os.access(real.parent, os.W_OK):
        raise workbook_error(
            f"没有写入文件夹 {real.parent} 的权限（写入时需在其中建立临时文件）",
            f"no permission to write in the folder {real.parent} (a write creates a temporary "
            "file there)",
        )
    if info.st_nlink > 1:
        raise workbook_error(
            f"工作簿 {label} 还有 {info.st_nlink - 1} 个硬链接；写入会使它们与本文件分离，"
            "请改用复制的文件或符号链接",
            f"the workbook {label} has {info.st_nlink - 1} other hard link(s); a write would "
            "split them from it: use a copy or a symbolic link instead",
        )
    geteuid = getattr(os, "geteuid", None)
    if geteuid is not None and info.st_uid != geteuid():
        raise workbook_error(
            f"工作簿 {label} 属于另一个用户（uid {info.st_uid}）；写入会改变其所有者，"
            "请由文件所有者运行，或先复制一份",
            f"the workbook {label} belongs to another user (uid {info.st_uid}); a write would "
            "make it yours: run as its owner, or work on a copy",
        )
