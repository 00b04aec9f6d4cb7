"""The VBA project's container formats, checked against xlwings' shipped project and oletools.

MS-OVBA compression, the ``dir`` stream and the compound file are written from their
specifications (``credit_register.tools.vba``); Excel is not available here, so the references are
a project Excel wrote (xlwings' ``quickstart_standalone.xlsm``) and the readers that other tools
trust: oletools' decompressor and olefile in its strictest mode.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Iterator

import olefile
import pytest

from credit_register.tools.vba import cfb, dir_stream, ovba
from credit_register.tools.vba.project import xlwings_vba_project

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import decompress_stream


def oletools_decompress(data: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(data)))


def xlwings_compressed_streams() -> Iterator[tuple[str, bytes]]:
    """Every compressed stream of xlwings' project: ``dir`` and each module's source part."""
    ole = olefile.OleFileIO(xlwings_vba_project())
    try:
        raw_dir = ole.openstream("VBA/dir").read()
        yield "dir", raw_dir
        for module in dir_stream.parse(ovba.decompress(raw_dir)).modules:
            yield module.name, ole.openstream(f"VBA/{module.stream}").read()[module.offset :]
    finally:
        ole.close()


XLWINGS_STREAMS = dict(xlwings_compressed_streams())


# --------------------------------------------------------------------------- compression


@pytest.mark.parametrize("name", sorted(XLWINGS_STREAMS))
def test_excels_compressed_streams_decompress_as_oletools_reads_them(name: str) -> None:
    compressed = XLWINGS_STREAMS[name]
    assert ovba.decompress(compressed) == oletools_decompress(compressed)


@pytest.mark.parametrize("name", sorted(XLWINGS_STREAMS))
def test_what_we_compress_oletools_reads_back_and_is_no_larger_than_excels(name: str) -> None:
    source = ovba.decompress(XLWINGS_STREAMS[name])
    ours = ovba.compress(source)
    assert oletools_decompress(ours) == source
    assert ovba.decompress(ours) == source
    assert len(ours) <= len(XLWINGS_STREAMS[name])


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"a",
        b"abc" * 3,
        b" " * 10_000,  # one long run: copies that overlap what they copy
        bytes(range(256)) * 40,  # a 256-byte pattern: matches far back in the chunk
        b'Attribute VB_Name = "x"\r\n' * 400,
        b"x" * 4095 + b"y",
        b"z" * 4097,
    ],
    ids=["empty", "one", "short", "run", "pattern", "lines", "chunk", "chunk+1"],
)
def test_compression_round_trips_through_oletools(data: bytes) -> None:
    compressed = ovba.compress(data)
    assert compressed[0] == ovba.SIGNATURE
    assert oletools_decompress(compressed) == data
    assert ovba.decompress(compressed) == data


def test_a_chunk_that_does_not_compress_is_stored_raw() -> None:
    noise = random.Random(7).randbytes(2 * ovba.CHUNK_SIZE)
    compressed = ovba.compress(noise)
    # two raw chunks: a 2-byte header with the compressed flag clear, then 4096 bytes each
    assert len(compressed) == 1 + 2 * (2 + ovba.CHUNK_SIZE)
    for start in (1, 1 + 2 + ovba.CHUNK_SIZE):
        assert int.from_bytes(compressed[start : start + 2], "little") >> 15 == 0
    assert oletools_decompress(compressed) == noise


def test_a_damaged_container_is_refused_with_a_reason() -> None:
    with pytest.raises(ovba.OvbaError, match="0x01"):
        ovba.decompress(b"\x02\x00")
    with pytest.raises(ovba.OvbaError, match="signature"):
        ovba.decompress(b"\x01\x00\x00")


# --------------------------------------------------------------------------- the dir stream


def test_the_dir_stream_reads_and_writes_back_record_for_record() -> None:
    data = ovba.decompress(XLWINGS_STREAMS["dir"])
    parsed = dir_stream.parse(data)
    assert [m.name for m in parsed.modules] == [
        "ThisWorkbook",
        "Sheet1",
        "Module1",
        "Sheet2",
        "xlwings",
        "Dictionary",
    ]
    assert parsed.codepage == "cp1252"
    assert [m.offset for m in parsed.modules if m.name == "xlwings"] == [0]
    before, after = dir_stream.records(data), dir_stream.records(dir_stream.serialise(parsed))
    assert [r.id for r in before] == [r.id for r in after]
    # only the cookies differ: "MUST be ignored on read, MUST be 0xFFFF on write"
    changed = {r.id for r, s in zip(before, after, strict=True) if r != s}
    assert changed == {0x0013, 0x002C}
    assert {s.data for s in after if s.id in changed} == {b"\xff\xff"}


def test_a_module_added_to_dir_reads_back() -> None:
    parsed = dir_stream.parse(ovba.decompress(XLWINGS_STREAMS["dir"]))
    added = dir_stream.ModuleEntry(name="CreditRegister", procedural=True)
    again = dir_stream.parse(
        dir_stream.serialise(dir_stream.DirStream(parsed.head, (*parsed.modules, added)))
    )
    assert again.head == parsed.head
    assert again.modules[-1] == dir_stream.ModuleEntry("CreditRegister", True, "CreditRegister")
    assert again.modules[:-1] == parsed.modules


# --------------------------------------------------------------------------- the compound file


def test_olefile_in_its_strictest_mode_reads_back_streams_of_every_size() -> None:
    noise = random.Random(3)
    # around the mini-stream cutoff, the 64-byte mini sector and the 512-byte sector
    sizes = [0, 1, 63, 64, 65, 511, 512, 513, 4095, 4096, 4097, 70_000]
    streams: dict[tuple[str, ...], bytes] = {
        ("VBA", f"s{size}"): noise.randbytes(size) for size in sizes
    }
    streams[("PROJECT",)] = b"ID=x\r\n"
    streams[("deep", "er", "still")] = b"nested"
    streams |= {("many", f"n{i}"): bytes([i]) * i for i in range(40)}
    data = cfb.write_compound_file(streams, clsids={("VBA",): bytes(range(16))})
    ole = olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)
    try:
        read = {tuple(path): ole.openstream(path).read() for path in ole.listdir()}
        assert read == streams
        assert ole.getclsid("VBA") == "03020100-0504-0706-0809-0A0B0C0D0E0F"
        assert ole.get_type("deep/er") == olefile.STGTY_STORAGE
    finally:
        ole.close()
    assert cfb.write_compound_file(streams, clsids={("VBA",): bytes(range(16))}) == data


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 7, 8, 12, 31, 40])
def test_siblings_form_a_valid_red_black_tree_in_the_specifications_order(count: int) -> None:
    names = [f"m{'x' * (i % 5)}{i}" for i in range(count)]
    data = cfb.write_compound_file({("VBA", name): b"." for name in names})
    ole = olefile.OleFileIO(data)
    try:
        entries = {e.sid: e for e in ole.direntries if e is not None}
        vba = next(e for e in entries.values() if e.name == "VBA")
        order: list[str] = []
        black_heights: set[int] = set()

        def walk(sid: int, parent_red: bool, blacks: int) -> None:
            if sid == cfb.NOSTREAM:
                black_heights.add(blacks)
                return
            entry = entries[sid]
            red = entry.color == 0
            assert not (red and parent_red), "a red node under a red one"
            walk(entry.sid_left, red, blacks + (not red))
            order.append(entry.name)
            walk(entry.sid_right, red, blacks + (not red))

        assert entries[vba.sid_child].color == 1, "the root of a sibling tree is black"
        walk(vba.sid_child, False, 0)
        assert len(black_heights) == 1, "every path has the same number of black nodes"
        assert order == sorted(names, key=lambda n: (len(n), n.upper()))
    finally:
        ole.close()


def test_names_the_format_cannot_hold_are_refused() -> None:
    with pytest.raises(cfb.CfbError):
        cfb.write_compound_file({("x" * 32,): b""})
    with pytest.raises(cfb.CfbError):
        cfb.write_compound_file({("a",): b"", ("a", "b"): b""})
