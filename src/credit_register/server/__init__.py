"""``credit-register serve``: the Office add-in's server, the Dashboard's buttons over HTTPS.

A finance team without Python on every PC still gets the buttons: the task pane (the package's
``addin/``) reads the open workbook with Office.js, posts its sheets here, and applies the cell
writes that come back. ``app`` puts the server together and runs it, ``api`` holds the routes,
``guards`` the user's token, the size limit and the error answers, ``users`` the users file (one
token per person, so that History names who acted), ``manifest`` writes the add-in's
``manifest.xml``.
"""

from __future__ import annotations

from credit_register.server.app import (
    ServerSettings,
    add_serve_parser,
    create_app,
    load_settings,
    serve_main,
)
from credit_register.server.manifest import DEFAULT_ORIGIN, render_manifest

__all__ = [
    "DEFAULT_ORIGIN",
    "ServerSettings",
    "add_serve_parser",
    "create_app",
    "load_settings",
    "render_manifest",
    "serve_main",
]
