"""Draw the add-in's ribbon icons (16, 32, 64 and 80 px PNG) with nothing but the standard library.

Run from the repository root: ``.venv/bin/python addin/make_icons.py``. The icon is a credit
gauge: a dark-blue rounded tile with a white rising bar chart, legible at 16 px. A tiny PNG writer
keeps the add-in free of an imaging dependency; the committed PNGs are its output.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

BLUE = (0x1F, 0x4E, 0x79, 255)
WHITE = (255, 255, 255, 255)
GREEN = (0x70, 0xAD, 0x47, 255)
CLEAR = (0, 0, 0, 0)


def pixel(x: float, y: float) -> tuple[int, int, int, int]:
    """The colour at (x, y) in a unit square."""
    r = 0.18  # corner radius
    cx = min(max(x, r), 1 - r)
    cy = min(max(y, r), 1 - r)
    if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
        return CLEAR
    bars = ((0.18, 0.36, 0.62), (0.42, 0.60, 0.42), (0.66, 0.84, 0.22))
    for left, right, top in bars:
        if left <= x <= right and top <= y <= 0.82:
            return GREEN if top < 0.3 else WHITE
    return BLUE


def png(size: int) -> bytes:
    rows = b""
    for j in range(size):
        row = bytearray([0])  # filter type 0 for every scanline
        for i in range(size):
            row.extend(pixel((i + 0.5) / size, (j + 0.5) / size))
        rows += bytes(row)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    # the icons are package data: the server serves them from the installed package
    assets = Path(__file__).resolve().parents[1] / "src" / "credit_register" / "addin" / "assets"
    assets.mkdir(exist_ok=True)
    for size in (16, 32, 64, 80):
        (assets / f"icon-{size}.png").write_bytes(png(size))


if __name__ == "__main__":
    main()
