"""A minimal writer of Microsoft compound files (MS-CFB version 3), the container of a VBA project.

``vbaProject.bin`` is a compound file: a small FAT file system in one file, with storages
(folders) and streams (files). Reading one is olefile's job; writing one that *grows* a stream or
adds one is not (olefile only rewrites a stream in place at the same size). The Python packages
that write compound files were weighed and not taken: ``cfbwrite`` 1.0.1 is AGPL-3.0 (a copyleft
this company tool will not take on) and a one-author, months-old release; ``cfb`` 0.9.3 only
reads; the ``ms-ovba`` family is 0.0.x. What a VBA project needs is small: a few dozen streams,
tens of kilobytes, written once by a script. So this module writes exactly that, from the
specification, and nothing more: 512-byte sectors, the mini stream for streams under 4096 bytes,
no DIFAT sectors (so at most 109 FAT sectors, about 6.8 MB), fixed zero timestamps and CLSIDs
(given ones excepted) so that the same streams always give the same bytes.

The directory's sibling trees are balanced binary trees coloured as valid red-black trees
(MS-CFB 2.6.4), in the specification's order: shorter names first, then by upper-cased name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
SECTOR = 512
MINI_SECTOR = 64
#: streams shorter than this live in the mini stream
MINI_CUTOFF = 4096
DIR_ENTRY = 128
HEADER_DIFAT = 109

FATSECT = 0xFFFFFFFD
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
NOSTREAM = 0xFFFFFFFF

_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_ZERO_CLSID = bytes(16)

#: a stream's place: the names of its storages, then its own name
Path = tuple[str, ...]


class CfbError(ValueError):
    """Streams that cannot be written as a version 3 compound file by this writer."""


@dataclass
class _Node:
    name: str
    kind: int
    data: bytes = b""
    clsid: bytes = _ZERO_CLSID
    children: list[_Node] = field(default_factory=list)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN


def write_compound_file(
    streams: Mapping[Path, bytes], clsids: Mapping[Path, bytes] | None = None
) -> bytes:
    """The bytes of a compound file holding ``streams`` (path → content).

    Storages are made for every path's folders; ``clsids`` gives a storage (``()`` is the root)
    a CLSID other than zero.
    """
    root = _tree(streams, clsids or {})
    nodes = _number(root)
    small = [n for n in nodes if n.kind == _STREAM and len(n.data) < MINI_CUTOFF]
    large = [n for n in nodes if n.kind == _STREAM and len(n.data) >= MINI_CUTOFF]

    # the mini stream: the small streams one after another, each in whole 64-byte mini sectors
    mini_fat: list[int] = []
    mini_stream = bytearray()
    for node in small:
        if not node.data:
            continue
        node.start = len(mini_fat)
        count = _ceil(len(node.data), MINI_SECTOR)
        mini_fat += [*range(node.start + 1, node.start + count), ENDOFCHAIN]
        mini_stream += node.data.ljust(count * MINI_SECTOR, b"\x00")
    root.data = bytes(mini_stream)

    # the sectors after the FAT, in order: the directory, the mini FAT, the mini stream (the
    # root entry's data), then each large stream
    directory_sectors = _ceil(len(nodes), SECTOR // DIR_ENTRY)
    mini_fat_bytes = _u32s(mini_fat, pad_to=SECTOR, fill=FREESECT)
    contents: list[tuple[_Node | None, bytes]] = [
        (None, mini_fat_bytes),
        (root, root.data),
        *((node, node.data) for node in large),
    ]
    sizes = [directory_sectors, *(_ceil(len(content), SECTOR) for _, content in contents)]
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < fat_sectors + sum(sizes):
        fat_sectors += 1
    if fat_sectors > HEADER_DIFAT:
        raise CfbError("too large for a compound file without DIFAT sectors (about 6.8 MB)")

    fat = [FATSECT] * fat_sectors
    starts: list[int] = []
    for size in sizes:
        starts.append(len(fat) if size else ENDOFCHAIN)
        if size:
            fat += [*range(len(fat) + 1, len(fat) + size), ENDOFCHAIN]
    for (owner, _), start in zip(contents, starts[1:], strict=True):
        if owner is not None:
            owner.start = start

    body = bytearray(_u32s(fat, pad_to=SECTOR, fill=FREESECT))
    body += b"".join(_entry(node) for node in nodes)
    # the directory's last sector is filled with empty entries: no siblings, no child
    body += _empty_entry() * (directory_sectors * (SECTOR // DIR_ENTRY) - len(nodes))
    for _, content in contents:
        body += content.ljust(_ceil(len(content), SECTOR) * SECTOR, b"\x00")
    header = _header(
        fat_sectors=fat_sectors,
        first_directory=starts[0],
        first_mini_fat=starts[1],
        mini_fat_sectors=sizes[1],
    )
    return header + bytes(body)


# --------------------------------------------------------------------------- the directory


def _tree(streams: Mapping[Path, bytes], clsids: Mapping[Path, bytes]) -> _Node:
    root = _Node("Root Entry", _ROOT, clsid=clsids.get((), _ZERO_CLSID))
    for path, data in streams.items():
        if not path:
            raise CfbError("a stream needs a name")
        folder = root
        for depth, name in enumerate(path[:-1], start=1):
            found = next((c for c in folder.children if c.name == name), None)
            if found is None:
                found = _Node(name, _STORAGE, clsid=clsids.get(path[:depth], _ZERO_CLSID))
                folder.children.append(found)
            elif found.kind != _STORAGE:
                raise CfbError(f"{'/'.join(path[:depth])} is a stream, not a storage")
            folder = found
        if any(c.name == path[-1] for c in folder.children):
            raise CfbError(f"{'/'.join(path)} is given twice")
        folder.children.append(_Node(path[-1], _STREAM, data=bytes(data)))
    return root


def _number(root: _Node) -> list[_Node]:
    """Every node in directory order (root first, depth first), with its tree links set."""
    nodes: list[_Node] = []

    def visit(node: _Node) -> None:
        if not node.name or len(node.name) > 31 or any(ch in node.name for ch in "/\\:!"):
            raise CfbError(f"not a valid compound file name: {node.name!r}")
        node.sid = len(nodes)
        nodes.append(node)
        for child in sorted(node.children, key=_order):
            visit(child)

    visit(root)
    for node in nodes:
        node.child = _balance(sorted(node.children, key=_order))
    return nodes


def _order(node: _Node) -> tuple[int, str]:
    """MS-CFB 2.6.4: shorter names first, then code point order of the upper-cased names."""
    return len(node.name), node.name.upper()


def _balance(siblings: list[_Node], depth: int = 0, levels: int | None = None) -> int:
    """Link ``siblings`` (sorted) as a balanced tree; the id of its root (``NOSTREAM`` if none).

    Every empty link of a tree split at the middle lies on one of two levels, so colouring the
    deepest level red and the rest black keeps the red-black rules: the same number of black
    nodes on every path, no red node under a red one, a black root.
    """
    if levels is None:
        levels = len(siblings).bit_length()
    if not siblings:
        return NOSTREAM
    middle = len(siblings) // 2
    node = siblings[middle]
    node.left = _balance(siblings[:middle], depth + 1, levels)
    node.right = _balance(siblings[middle + 1 :], depth + 1, levels)
    node.color = _RED if depth == levels - 1 and depth > 0 else _BLACK
    return node.sid


def _entry(node: _Node) -> bytes:
    name = (node.name + "\x00").encode("utf-16-le")
    return b"".join(
        (
            name.ljust(64, b"\x00"),
            len(name).to_bytes(2, "little"),
            bytes((node.kind, node.color)),
            _u32s([node.left, node.right, node.child]),
            node.clsid,
            bytes(4),  # state bits
            bytes(16),  # creation and modification times
            _u32s([node.start if node.kind != _STORAGE else 0]),
            len(node.data).to_bytes(8, "little") if node.kind != _STORAGE else bytes(8),
        )
    )


def _empty_entry() -> bytes:
    return bytes(66) + bytes((0, 0)) + _u32s([NOSTREAM] * 3) + bytes(DIR_ENTRY - 80)


def _header(
    *, fat_sectors: int, first_directory: int, first_mini_fat: int, mini_fat_sectors: int
) -> bytes:
    difat = [*range(fat_sectors), *[FREESECT] * (HEADER_DIFAT - fat_sectors)]
    header = b"".join(
        (
            SIGNATURE,
            _ZERO_CLSID,
            (0x003E).to_bytes(2, "little"),  # minor version
            (0x0003).to_bytes(2, "little"),  # major version 3: 512-byte sectors
            (0xFFFE).to_bytes(2, "little"),  # byte order mark
            (9).to_bytes(2, "little"),  # sector shift: 2**9
            (6).to_bytes(2, "little"),  # mini sector shift: 2**6
            bytes(6),
            _u32s([0, fat_sectors, first_directory, 0, MINI_CUTOFF]),
            _u32s([first_mini_fat, mini_fat_sectors, ENDOFCHAIN, 0]),
            _u32s(difat),
        )
    )
    assert len(header) == SECTOR
    return header


def _u32s(values: list[int], *, pad_to: int = 0, fill: int = 0) -> bytes:
    data = b"".join(v.to_bytes(4, "little") for v in values)
    if pad_to and len(data) % pad_to:
        data += fill.to_bytes(4, "little") * ((pad_to - len(data) % pad_to) // 4)
    return data


def _ceil(size: int, unit: int) -> int:
    return -(-size // unit)
