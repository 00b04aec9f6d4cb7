"""``credit-register serve``: the Office add-in's server, the Dashboard's buttons over HTTPS.

A finance team without Python on every PC still gets the buttons: the task pane (the package's
``addin/``) reads the open workbook with Office.js, posts its sheets here, and applies the cell
writes that come back. ``app`` puts the server together and runs it, ``api`` holds the routes,
``guards`` the user's token, the size limit and the error answers, ``users`` the users file (one
token per person, so that History names who acted), ``manifest`` writes the add-in's
``manifest.xml``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the types, for the type checker; the modules load on first use
    from credit_register.server.app import (
        ServerSettings,
        create_app,
        load_settings,
        serve_main,
    )
    from credit_register.server.arguments import add_serve_parser
    from credit_register.server.manifest import DEFAULT_ORIGIN, render_manifest

#: what the package offers, and the module each name lives in: imported on first use, so that a
#: command line that only builds its parser (``add_serve_parser``) never imports FastAPI
_HOMES = {
    "ServerSettings": "app",
    "create_app": "app",
    "load_settings": "app",
    "serve_main": "app",
    "add_serve_parser": "arguments",
    "DEFAULT_ORIGIN": "manifest",
    "render_manifest": "manifest",
}

__all__ = [
    "DEFAULT_ORIGIN",
    "ServerSettings",
    "add_serve_parser",
    "create_app",
    "load_settings",
    "render_manifest",
    "serve_main",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
