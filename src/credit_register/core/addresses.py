"""E-mail addresses, in one place: what validation accepts is exactly what mail is sent to.

A cell may hold one address or several separated by ``;``, ``,`` (either width) or line breaks
— a manager typing two addresses on two lines means two addresses. Each part must be a working
address, checked without the network: one ``@``, no spaces, a dotted domain whose last label has
two letters or more; unicode is allowed on both sides (internationalised mail). Validation warns
about every part that is not one, and mail never goes to such a part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: one address
ADDRESS = re.compile(r"[^@\s.;,]([^@\s;,]*[^@\s.;,])?@([^@\s.;,]+\.)+[^@\s.;,\d]{2,}")
#: what separates addresses in one cell
SEPARATORS = re.compile(r"[;,；，\s]+")


def parts(cell: object) -> list[str]:
    """The addresses a cell lists, as typed (not yet checked).

    >>> parts("a@x.cn; b@x.cn\\nc@y.com"), parts(None)
    (['a@x.cn', 'b@x.cn', 'c@y.com'], [])
    """
    if not isinstance(cell, str):
        return []
    return [p for p in SEPARATORS.split(cell.strip()) if p]


def is_valid(address: str) -> bool:
    """Whether one address is a working address.

    >>> [is_valid(a) for a in ("wang@example.cn", "王经理@例子.中国", "none", "a@b.c1")]
    [True, True, False, False]
    """
    return ADDRESS.fullmatch(address) is not None


def invalid_parts(cell: object) -> list[str]:
    """The parts of a cell that are not working addresses.

    >>> invalid_parts("a@x.cn\\nnot an address"), invalid_parts("a@x.cn")
    (['not', 'an', 'address'], [])
    """
    return [p for p in parts(cell) if not is_valid(p)]


def recipients(cells: Iterable[object]) -> list[str]:
    """Distinct valid addresses in first-seen order (case-insensitive), from cells that may each
    list several; invalid parts are left out.

    >>> recipients(["a@x.cn; b@x.cn", None, "A@x.cn", "none", "c@y.com"])
    ['a@x.cn', 'b@x.cn', 'c@y.com']
    """
    found: dict[str, str] = {}
    for cell in cells:
        for address in parts(cell):
            if is_valid(address):
                found.setdefault(address.casefold(), address)
    return list(found.values())
