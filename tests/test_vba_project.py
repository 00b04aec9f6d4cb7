"""The workbook's VBA project: a macro per action, built from source, shipped current.

Excel cannot run here, so the project is proven the ways that can: oletools reads every module's
source back exactly; its container has the storages and streams of the project xlwings ships (an
Excel-written one); every module is source-only, as xlwings' own module is; and the file in the
package is the one the script builds today.
"""

from __future__ import annotations

import re

import olefile
import pytest

from credit_register.app.usecases import ACTION_HANDLERS
from credit_register.core import dashboard
from credit_register.tools import vba
from credit_register.tools.vba import dir_stream, macros, ovba, project

SHIPPED = vba.shipped()


@pytest.fixture(scope="module")
def xlwings_template() -> project.Template:
    return project.xlwings_template()


def streams(data: bytes) -> dict[str, bytes | None]:
    """Every storage (``None``) and stream (its bytes) of a compound file, by path."""
    ole = olefile.OleFileIO(data)
    try:
        out: dict[str, bytes | None] = {}
        for path in ole.listdir(streams=True, storages=True):
            name = "/".join(path)
            is_stream = ole.get_type(name) == olefile.STGTY_STREAM
            out[name] = ole.openstream(name).read() if is_stream else None
        return out
    finally:
        ole.close()


def test_the_shipped_project_is_what_the_script_builds_today() -> None:
    # on failure: python scripts/make_vba_project.py, then make workbook
    assert vba.build() == SHIPPED


def test_oletools_reads_back_every_modules_exact_source(
    xlwings_template: project.Template,
) -> None:
    expected = {
        m.name: m.source for m in project.project_modules(vba.sheet_codenames(), xlwings_template)
    }
    assert project.read_modules(SHIPPED) == expected
    assert list(expected) == [
        "ThisWorkbook",
        *(f"Sheet{n}" for n in range(1, len(vba.sheet_codenames()) + 1)),
        "xlwings",
        "Dictionary",
        "CreditRegister",
    ]


def test_one_parameterless_macro_per_action_runs_that_action() -> None:
    source = project.read_modules(SHIPPED)[macros.MODULE]
    found = dict(
        re.findall(
            r'Public Sub (CR_\w+)\(\)\r\n    RunPython "import credit_register\.excel as cr; '
            r"cr\.button\('(\w+)'\)\"\r\nEnd Sub",
            source,
        )
    )
    wanted = {a.key for a in dashboard.ACTIONS} | set(ACTION_HANDLERS) | {"handover", "import"}
    assert sorted(found.values()) == sorted(wanted)
    assert all(macros.macro_name(action) == macro for macro, action in found.items())
    # nothing else runs: no other procedure in the module
    assert len(re.findall(r"^(?:Public |Private )?(?:Sub|Function) ", source, re.M)) == len(wanted)
    assert source.isascii()  # the project's code page is 1252: no Chinese in VBA


def test_xlwings_module_and_its_licence_notices_are_kept_verbatim(
    xlwings_template: project.Template,
) -> None:
    modules = project.read_modules(SHIPPED)
    xlwings_own = project.read_modules(project.xlwings_vba_project())
    assert modules["xlwings"] == xlwings_own["xlwings"]
    assert modules["Dictionary"] == xlwings_own["Dictionary"]
    assert "xlwings is distributed under a BSD 3-clause license" in modules["xlwings"]
    assert "Redistributions of source code must retain" in modules["xlwings"]
    assert "@license: MIT" in modules["Dictionary"]


def test_every_module_is_source_only_and_the_project_asks_excel_to_compile_it() -> None:
    files = streams(SHIPPED)
    assert files["VBA/_VBA_PROJECT"] == bytes.fromhex("cc61ffff000100")  # version 0xFFFF
    directory = dir_stream.parse(ovba.decompress(files["VBA/dir"] or b""))
    assert {m.offset for m in directory.modules} == {0}
    for module in directory.modules:
        # the whole stream is the compressed source: no p-code before it
        stream = files[f"VBA/{module.stream}"] or b""
        assert ovba.decompress(stream).startswith(f'Attribute VB_Name = "{module.name}"'.encode())


def test_the_container_is_laid_out_as_xlwings_shipped_project() -> None:
    ours, theirs = streams(SHIPPED), streams(project.xlwings_vba_project())

    def layout(files: dict[str, bytes | None]) -> set[str]:
        directory = dir_stream.parse(ovba.decompress(files["VBA/dir"] or b""))
        modules = {f"VBA/{m.stream}" for m in directory.modules}
        assert modules <= set(files), "every module in dir has its stream"
        return {"VBA/<module>" if name in modules else name for name in files}

    assert (
        layout(ours)
        == layout(theirs)
        == {
            "PROJECT",
            "PROJECTwm",
            "VBA",
            "VBA/dir",
            "VBA/_VBA_PROJECT",
            "VBA/<module>",
        }
    )
    ours_dir = dir_stream.parse(ovba.decompress(ours["VBA/dir"] or b""))
    theirs_dir = dir_stream.parse(ovba.decompress(theirs["VBA/dir"] or b""))
    assert ours_dir.head == theirs_dir.head  # project information and references as xlwings'

    def properties(files: dict[str, bytes | None]) -> list[str]:
        text = (files["PROJECT"] or b"").decode("cp1252")
        return [line for line in text.split("\r\n") if line.startswith(("ID=", "CMG", "DPB", "GC"))]

    assert properties(ours) == properties(theirs)


def test_project_names_each_module_by_its_kind() -> None:
    text = (streams(SHIPPED)["PROJECT"] or b"").decode("cp1252")
    items = [
        line for line in text.split("\r\n") if line.startswith(("Document=", "Module=", "Class="))
    ]
    assert items == [
        "Document=ThisWorkbook/&H00000000",
        *(f"Document={name}/&H00000000" for name in vba.sheet_codenames()),
        "Module=xlwings",
        "Class=Dictionary",
        "Module=CreditRegister",
    ]
    wm = streams(SHIPPED)["PROJECTwm"] or b""
    assert wm.startswith(b"ThisWorkbook\x00" + "ThisWorkbook".encode("utf-16-le") + b"\x00\x00")
    assert wm.endswith("CreditRegister".encode("utf-16-le") + b"\x00\x00\x00\x00")


def test_document_modules_are_those_excel_writes(xlwings_template: project.Template) -> None:
    excel = project.read_modules(project.xlwings_vba_project())
    assert project.document_module("ThisWorkbook", workbook=True).source == excel["ThisWorkbook"]
    assert project.document_module("Sheet2").source == excel["Sheet2"]


def test_a_sheet_code_name_is_a_module_of_the_project() -> None:
    assert len(vba.sheet_codenames()) == len(set(vba.sheet_codenames()))
    modules = project.read_modules(SHIPPED)
    assert all(name in modules for name in vba.sheet_codenames())
