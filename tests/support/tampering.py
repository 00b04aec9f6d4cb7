"""Changing a register file the way a user, a script or an attacker would, for the tests of the
file door's limits: a renamed tab, a cell typed far from the table, a formula a script wrote
without its value, a sheet that inflates a thousandfold."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from credit_register.core.cells import split_ref
from support.zipparts import sheet_parts


def rewrite_members(path: Path, edits: dict[str, Callable[[bytes], bytes]]) -> None:
    """Replace zip members of ``path`` by their edited bytes (every other member as it was)."""
    copy = path.with_name(path.name + ".editing")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in edits:
                data = edits[info.filename](data)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    shutil.move(copy, path)


def edit_sheet(path: Path, tab: str, edit: Callable[[str], str]) -> None:
    """Edit the XML of the worksheet behind ``tab``."""
    part = sheet_parts(path)[tab]
    rewrite_members(path, {part: lambda data: edit(data.decode("utf-8")).encode("utf-8")})


def rename_tab(path: Path, old: str, new: str) -> None:
    """What a user does with a double click on the tab."""
    rewrite_members(
        path,
        {
            "xl/workbook.xml": lambda data: data.replace(
                f'name="{old}"'.encode(), f'name="{new}"'.encode()
            )
        },
    )


def add_cell(path: Path, tab: str, ref: str, cell_xml: str) -> None:
    """Put ``cell_xml`` (a whole ``<c>`` element for ``ref``) into the sheet: into its row when
    the row exists (at the row's end: the tests use refs right of every cell), else as a new
    last row."""
    row = int("".join(ch for ch in ref if ch.isdigit()))

    def edit(xml: str) -> str:
        marker = f'<row r="{row}"'
        at = xml.find(marker)
        if at >= 0:
            close = xml.find("</row>", at)
            return xml[:close] + cell_xml + xml[close:]
        end = xml.find("</sheetData>")
        return xml[:end] + f'<row r="{row}">{cell_xml}</row>' + xml[end:]

    edit_sheet(path, tab, edit)


def set_cell_value(path: Path, tab: str, ref: str, value_xml: str) -> None:
    """Make the cell at ``ref`` ``<c r="ref">value_xml</c>`` (its style dropped), typing into a
    blank cell as well: the new cell goes into its row in column order."""
    column, row = split_ref(ref)

    def edit(xml: str) -> str:
        cell = f'<c r="{ref}">{value_xml}</c>'
        start = xml.find(f'<c r="{ref}"')
        if start >= 0:
            head_end = xml.find(">", start)
            closed = xml[head_end - 1] == "/"  # <c r="A1" s="3"/>: an empty styled cell
            end = head_end + 1 if closed else xml.find("</c>", start) + len("</c>")
            return xml[:start] + cell + xml[end:]
        opening = xml.find(f'<row r="{row}"')
        assert opening >= 0, f"no row {row} on {tab}"
        close = xml.find("</row>", opening)
        for found in re.finditer(r'<c r="([A-Z]+)\d+"', xml[opening:close]):
            if split_ref(found.group(1) + str(row))[0] > column:
                at = opening + found.start()
                return xml[:at] + cell + xml[at:]
        return xml[:close] + cell + xml[close:]

    edit_sheet(path, tab, edit)


def inflating_part(path: Path, tab: str, megabytes: int) -> None:
    """Make the sheet behind ``tab`` inflate to ``megabytes`` of blank-row XML (a zip bomb):
    the sheet's XML is kept and padded with comment bytes that deflate a thousandfold."""
    part = sheet_parts(path)[tab]
    copy = path.with_name(path.name + ".editing")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
                continue
            xml = source.read(info)
            bomb = zipfile.ZipInfo(info.filename, info.date_time)
            bomb.compress_type = zipfile.ZIP_DEFLATED
            with target.open(bomb, "w") as stream:
                head, _, tail = xml.partition(b"<sheetData")
                stream.write(head + b"<!--")
                block = b" " * (1 << 20)
                for _ in range(megabytes):
                    stream.write(block)
                stream.write(b"-->" + b"<sheetData" + tail)
    shutil.move(copy, path)


def peak_run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, float, float, str]:
    """Run the command line in a fresh process: exit code, seconds, peak memory (MB, the
    process's own maximum resident size from ``wait4``), and what it printed."""
    command = [
        sys.executable,
        "-c",
        "import sys; from credit_register.cli import main; sys.exit(main())",
        *args,
    ]
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        child = subprocess.Popen(
            command, stdout=output, stderr=output, env={**os.environ, **(env or {})}
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    return child.returncode, seconds, usage.ru_maxrss / 1024.0, text
