"""The workbook's VBA project: a macro per action, built from source, shipped current.

Excel cannot run here, so the project is proven the ways that can: oletools reads every module's
source back exactly; its container has the storages and streams of the project xlwings ships (an
Excel-written one); every module is source-only, as xlwings' own module is; and the file in the
package is the one the script builds today.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import olefile
import pytest
from lxml import etree

from credit_register.adapters.pdf import find_soffice
from credit_register.app.actions import ACTION_HANDLERS
from credit_register.core import dashboard
from credit_register.core.schema import ALL_SHEETS
from credit_register.tools import vba
from credit_register.tools.build import build_workbook
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


# --------------------------------------------------------------------------- in LibreOffice


@dataclass
class LibreOfficeView:
    """A workbook as LibreOffice Calc opened it, read from its flat ODF conversion."""

    #: the VBA modules it imported: name → code
    modules: dict[str, str]
    #: the macro each form button runs: ``VBAProject.<module>.<macro>``
    bound: list[str]
    #: each sheet's code name, by sheet name (``*doc*``: the workbook's)
    codenames: dict[str, str]


def libreoffice_view(workbook: Path, out_dir: Path) -> LibreOfficeView:
    """Open ``workbook`` in LibreOffice Calc (headless, converting it to flat ODF) and read what
    it made of the VBA. Skips without Calc (fails in CI, where system-deps.sh installs it)."""
    soffice = find_soffice()
    calc = soffice is not None and (Path(os.path.realpath(soffice)).parent / "libsclo.so").exists()
    if soffice is None or not calc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("LibreOffice Calc is missing in CI (scripts/system-deps.sh installs it)")
        pytest.skip("LibreOffice Calc is not installed")
    assert soffice is not None
    with tempfile.TemporaryDirectory(prefix="credit_register_lo_") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "fods",
                "--outdir",
                str(out_dir),
                str(workbook),
            ],
            capture_output=True,
            timeout=180,
            check=False,
        )
    converted = out_dir / f"{workbook.stem}.fods"
    assert converted.exists(), "LibreOffice did not open the workbook"
    root = etree.parse(str(converted)).getroot()
    ooo = "{http://openoffice.org/2004/office}"
    modules = {
        str(module.get(f"{ooo}name")): "".join(module.itertext())
        for library in root.iter(f"{ooo}library-embedded")
        if library.get(f"{ooo}name") == "VBAProject"
        for module in library.iter(f"{ooo}module")
    }
    bound = [
        str(listener.get("{http://www.w3.org/1999/xlink}href"))
        .removeprefix("vnd.sun.star.script:")
        .split("?")[0]
        for listener in root.iter(
            "{urn:oasis:names:tc:opendocument:xmlns:script:1.0}event-listener"
        )
    ]
    config = "{urn:oasis:names:tc:opendocument:xmlns:config:1.0}"
    codenames = {
        str(entry.getparent().get(f"{config}name")): str(entry.text)
        for entry in root.iter(f"{config}config-item")
        if entry.get(f"{config}name") == "CodeName"
    }
    return LibreOfficeView(modules, bound, codenames)


def test_libreoffice_opens_a_workbook_of_any_name_with_every_macro_and_button_bound(
    tmp_path: Path,
) -> None:
    """``init "Credit Register (1).xlsm"``, the name a browser gives a second download."""
    workbook = build_workbook(tmp_path / "Credit Register (1).xlsm", lang="en")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Credit Register (1).xlsm"]

    seen = libreoffice_view(workbook, tmp_path / "lo")
    modules, bound = seen.modules, seen.bound

    assert set(modules) == {
        "ThisWorkbook",
        *vba.sheet_codenames(),
        "xlwings",
        "Dictionary",
        "CreditRegister",
    }
    assert "VBA_ModuleType=VBAModule" in modules["CreditRegister"]
    assert "VBA_ModuleType=VBAClassModule" in modules["Dictionary"]
    assert "VBA_ModuleType=VBADocumentModule" in modules["Sheet1"]
    macros_in_lo = set(re.findall(r"^Public Sub (CR_\w+)\(\)", modules["CreditRegister"], re.M))
    assert macros_in_lo == {macros.macro_name(a) for a in macros.actions()}
    # every button (the Dashboard's, then those on Customers and Ratings) runs its own macro,
    # and that macro is there
    on_sheets = [
        a for key in ("dashboard", *dashboard.SELECTION_SHEETS) for a in dashboard.buttons_on(key)
    ]
    assert bound == [f"VBAProject.{vba.qualified_macro(a.key)}" for a in on_sheets]
    for target in bound:
        _project, module, macro = target.split(".")
        assert re.search(rf"^Public Sub {macro}\(\)", modules[module], re.M), target
    # each sheet is paired with its document module through its code name
    assert seen.codenames == {
        "*doc*": "ThisWorkbook",
        **{s.name("en"): code for s, code in zip(ALL_SHEETS, vba.sheet_codenames(), strict=True)},
    }
