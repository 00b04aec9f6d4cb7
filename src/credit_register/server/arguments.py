"""The ``serve`` command's arguments, apart from the server itself: every command line builds its
parser, and building it must not import FastAPI (a tenth of a second on each ``run``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_serve_parser(subparsers: Any) -> argparse.ArgumentParser:
    """``credit-register serve``: the CLI wires this into its sub-commands."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="serve the Office add-in and its API over HTTPS",
        description="Settings come from CREDIT_REGISTER_* environment variables or a .env file: "
        "USERS_FILE (default users.txt), CERT_FILE, KEY_FILE, ALLOWED_ORIGIN, MAX_REQUEST_BYTES, "
        "DOCUMENT_TTL_SECONDS, HOST, PORT, ALLOW_HTTP. Each user has a token of their own: "
        "--add-user NAME prints it.",
    )
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default 3000)")
    parser.add_argument("--env-file", type=Path, help="settings file (default .env)")
    users = parser.add_mutually_exclusive_group()
    users.add_argument(
        "--add-user",
        metavar="NAME",
        help="issue NAME a new access token (printed once; its hash goes to the users file) "
        "and exit",
    )
    users.add_argument(
        "--remove-user", metavar="NAME", help="revoke NAME's token (the users file) and exit"
    )
    parser.add_argument(
        "--write-manifest",
        type=Path,
        metavar="PATH",
        help="write the add-in manifest for ALLOWED_ORIGIN to PATH and exit",
    )
    return parser
