"""MS-OVBA 2.4.1 compression: the LZ-style scheme every VBA project stream is stored in.

The ``dir`` stream and the source text of every module are kept in a "CompressedContainer": a
signature byte 0x01, then chunks of at most 4096 decompressed bytes, each a run of literal bytes
and copy tokens (offset, length) that point back into the same chunk. Microsoft's specification
gives the algorithm as a few pages of pseudo-code; this module follows it step by step, so what it
writes is what the specification's compressor writes. Only the longest-match search is done
differently (``bytes.rfind`` instead of a byte-by-byte scan) for the same match: the longest, and
of equally long ones the nearest. Excel's own compressor picks other matches, so its bytes differ
from ours; on xlwings' project ours are never larger, and both read back to the same text.
"""

from __future__ import annotations

SIGNATURE = 0x01
CHUNK_SIZE = 4096
#: a raw (uncompressed) chunk's data: always 4096 bytes, padded with zeros at the end of a stream
_RAW_CHUNK = 4096
#: bits 12-14 of every chunk header
_CHUNK_SIGNATURE = 0b011


class OvbaError(ValueError):
    """A stream that is not a valid MS-OVBA compressed container."""


# --------------------------------------------------------------------------- decompression


def decompress(container: bytes) -> bytes:
    """The decompressed bytes of a CompressedContainer (MS-OVBA 2.4.1.3.1)."""
    if not container or container[0] != SIGNATURE:
        raise OvbaError("not a compressed container: the first byte must be 0x01")
    out = bytearray()
    current = 1
    while current < len(container):
        if current + 2 > len(container):
            raise OvbaError(f"truncated chunk header at byte {current}")
        header = int.from_bytes(container[current : current + 2], "little")
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != _CHUNK_SIGNATURE:
            raise OvbaError(f"bad chunk signature at byte {current}")
        compressed = header >> 15
        chunk_end = min(current + size, len(container))
        current += 2
        if not compressed:
            out += container[current : current + _RAW_CHUNK]
            current += _RAW_CHUNK
            continue
        chunk_start = len(out)
        while current < chunk_end:
            flags = container[current]
            current += 1
            for bit in range(8):
                if current >= chunk_end:
                    break
                if not flags >> bit & 1:
                    out.append(container[current])
                    current += 1
                    continue
                if current + 2 > chunk_end:
                    raise OvbaError(f"truncated copy token at byte {current}")
                token = int.from_bytes(container[current : current + 2], "little")
                current += 2
                bit_count = _bit_count(len(out) - chunk_start)
                length = (token & (0xFFFF >> bit_count)) + 3
                offset = (token >> (16 - bit_count)) + 1
                source = len(out) - offset
                if source < chunk_start:
                    raise OvbaError(f"copy token reaches before its chunk at byte {current - 2}")
                # byte by byte: a copy may overlap the bytes it produces (a run)
                for index in range(length):
                    out.append(out[source + index])
    return bytes(out)


# --------------------------------------------------------------------------- compression


def compress(data: bytes) -> bytes:
    """``data`` as a CompressedContainer (MS-OVBA 2.4.1.3.6)."""
    out = bytearray([SIGNATURE])
    for chunk_start in range(0, len(data), CHUNK_SIZE):
        out += _compress_chunk(data, chunk_start, min(chunk_start + CHUNK_SIZE, len(data)))
    return bytes(out)


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """One CompressedChunk (2.4.1.3.7): token sequences, or the raw bytes when they do not fit."""
    # the chunk's data may take at most 4096 bytes; the header takes 2 more
    limit = _RAW_CHUNK
    body = bytearray()
    current = start
    while current < end and len(body) < limit:
        flag_index = len(body)
        body.append(0)
        flags = 0
        for bit in range(8):
            if current >= end or len(body) >= limit:
                break
            offset, length = _match(data, start, current, end)
            if offset:
                if len(body) + 1 >= limit:
                    body.extend(bytes(limit - len(body)))  # no room: the chunk goes raw
                    break
                body += _copy_token(current - start, offset, length).to_bytes(2, "little")
                flags |= 1 << bit
                current += length
            else:
                body.append(data[current])
                current += 1
        body[flag_index] = flags
    if current < end:
        # compressed, the chunk would be larger than raw: 4096 raw bytes, zero-padded
        raw = data[start:end].ljust(_RAW_CHUNK, b"\x00")
        return _chunk_header(_RAW_CHUNK + 2, compressed=False) + raw
    return _chunk_header(len(body) + 2, compressed=True) + bytes(body)


def _chunk_header(size: int, *, compressed: bool) -> bytes:
    header = (size - 3) | _CHUNK_SIGNATURE << 12 | int(compressed) << 15
    return header.to_bytes(2, "little")


def _match(data: bytes, chunk_start: int, current: int, chunk_end: int) -> tuple[int, int]:
    """(offset, length) of the longest earlier match in the chunk (2.4.1.3.19.4), (0, 0) if none
    of at least 3 bytes. A match may run into the bytes being encoded (the copy overlaps)."""
    found = -1
    length = 2
    # grow the match while some candidate before ``current`` still matches; rfind gives the
    # nearest such candidate, which is the specification's choice among equally long matches
    while current + length < chunk_end:
        candidate = data.rfind(data[current : current + length + 1], chunk_start, current + length)
        if candidate < 0:
            break
        found, length = candidate, length + 1
    if found < 0:
        return 0, 0
    maximum = (0xFFFF >> _bit_count(current - chunk_start)) + 3
    return current - found, min(length, maximum)


def _copy_token(difference: int, offset: int, length: int) -> int:
    """Pack a CopyToken (2.4.1.3.19.3) for a position ``difference`` bytes into its chunk."""
    bit_count = _bit_count(difference)
    return (offset - 1) << (16 - bit_count) | (length - 3)


def _bit_count(difference: int) -> int:
    """Bits of a CopyToken's offset at ``difference`` bytes into the chunk (2.4.1.3.19.1)."""
    return max((difference - 1).bit_length(), 4)
