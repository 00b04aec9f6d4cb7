"""The files the package carries besides code: the Word templates and the Office add-in.

They travel inside the package (``pip install`` of the wheel or of the source brings them), read
with ``importlib.resources``, so the document buttons and ``credit-register serve`` work from any
folder, not only from a checkout. The package is installed as files (never run from a zip), so a
folder of package data is a real folder that docxtpl and the web server can open.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def package_folder(name: str) -> Path:
    """The folder ``name`` inside the installed package (``templates``, ``addin``).

    >>> package_folder("templates").name
    'templates'
    """
    found = resources.files("credit_register").joinpath(name)
    if not isinstance(found, Path):  # a zipped install: nothing here reads files from a zip
        raise RuntimeError(f"credit_register is not installed as files: no folder {name!r}")
    return found
