"""``credit-register serve``: the settings, the FastAPI app put together, and the command.

The app serves the task pane's files and the manifest beside the API. HTTPS, because Office loads
add-ins only over HTTPS: uvicorn with the certificate and key files from the settings; plain HTTP
only with ``allow_http`` (tests, or behind a TLS proxy). Users and their tokens are in the users
file (``users.py``); ``serve --add-user NAME`` issues a token, ``--remove-user NAME`` revokes it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from credit_register import __version__
from credit_register.adapters.services import document_services
from credit_register.app.usecases import EXIT_FAILED
from credit_register.core import dashboard
from credit_register.core.port import DocumentServices
from credit_register.server.api import API, DocumentStore, add_api_routes
from credit_register.server.guards import RequestSizeLimit, add_error_handlers, user_guard
from credit_register.server.manifest import ADDIN_DIR, DEFAULT_ORIGIN, render_manifest
from credit_register.server.users import (
    UserDirectory,
    UsersFileError,
    add_user,
    read_users,
    remove_user,
)


class ServerSettings(BaseSettings):
    """``CREDIT_REGISTER_*`` environment variables, or a ``.env`` file beside the server."""

    model_config = SettingsConfigDict(
        env_prefix="CREDIT_REGISTER_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    #: who may call the API, one token per person (``serve --add-user NAME``)
    users_file: Path = Path("users.txt")
    #: the team-wide token of earlier versions: no longer accepted (History could not say who
    #: acted), kept only so that ``serve`` can say what to do instead
    token: SecretStr | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    #: the HTTPS origin the task pane is served from: CORS allows only it, the manifest uses it
    allowed_origin: str = DEFAULT_ORIGIN
    #: a register of 200,000 invoice rows is about 30 MB of JSON
    max_request_bytes: int = Field(default=48 * 1024 * 1024, gt=0)
    document_ttl_seconds: int = Field(default=900, gt=0)
    host: str = "127.0.0.1"
    port: int = Field(default=3000, ge=1, le=65535)
    #: serve plain HTTP (tests on 127.0.0.1, or behind a reverse proxy that does TLS)
    allow_http: bool = False
    addin_dir: Path = ADDIN_DIR


def create_app(settings: ServerSettings, services: DocumentServices | None = None) -> FastAPI:
    """The server: the API behind its guards, the manifest, and the task pane's files. The
    document buttons use ``services`` (default: LibreOffice and SMTP)."""
    app = FastAPI(
        title="客户资信管理 Credit Register API",
        version=__version__,
        description="The Dashboard's actions for the Office add-in: sheets in, cell writes and "
        "documents out. Authenticate with `Authorization: Bearer <token>`.",
        openapi_url=f"{API}/openapi.json",
        docs_url=None,  # Swagger UI loads its scripts from a CDN: not on an offline server
        redoc_url=None,
    )
    store = DocumentStore(settings.document_ttl_seconds)
    users = UserDirectory(settings.users_file)
    app.state.documents = store
    app.state.settings = settings
    app.state.users = users
    add_error_handlers(app)
    add_api_routes(app, store, user_guard(users), services or document_services())

    @app.get("/manifest.xml", include_in_schema=False)
    def manifest() -> Response:
        text = render_manifest(settings.allowed_origin, settings.addin_dir)
        return Response(text, media_type="application/xml")

    @app.get("/taskpane/actions.js", include_in_schema=False)
    def actions_script() -> Response:
        return Response(actions_script_text(), media_type="text/javascript")

    @app.get("/", include_in_schema=False)
    @app.get("/taskpane", include_in_schema=False)
    @app.get("/taskpane/", include_in_schema=False)
    def pane() -> RedirectResponse:
        # the address `serve` prints and a user types: the pane itself
        return RedirectResponse(PANE_PATH)

    app.mount(
        "/taskpane",
        StaticFiles(directory=settings.addin_dir / "taskpane", html=True, check_dir=False),
        name="taskpane",
    )
    app.mount(
        "/assets",
        StaticFiles(directory=settings.addin_dir / "assets", check_dir=False),
        name="assets",
    )
    # innermost first: CORS must wrap the gate so that a 401 or 413 still carries CORS headers
    app.add_middleware(
        RequestSizeLimit, limit=settings.max_request_bytes, users=users, api_prefix=f"{API}/"
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[settings.allowed_origin],
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
        max_age=600,
    )
    return app


PANE_PATH = "/taskpane/taskpane.html"


def actions_script_text() -> str:
    """The buttons, from ``dashboard.PANE_ACTIONS`` (the actions a pane can run), as a classic
    script: the pane, the ribbon's function file and the old-webview fallback all read it."""
    listed = [{"key": a.key, "zh": a.zh, "en": a.en} for a in dashboard.PANE_ACTIONS]
    return f"window.CREDIT_REGISTER_ACTIONS = {json.dumps(listed, ensure_ascii=False)};\n"


# --------------------------------------------------------------------------- the command


def load_settings(args: argparse.Namespace) -> ServerSettings:
    overrides: dict[str, Any] = {}
    if getattr(args, "host", None):
        overrides["host"] = args.host
    if getattr(args, "port", None):
        overrides["port"] = args.port
    env_file = getattr(args, "env_file", None)
    if env_file is not None:
        return ServerSettings(_env_file=env_file, **overrides)
    return ServerSettings(**overrides)


def serve_main(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(args)
    except ValidationError as exc:
        bad = ", ".join(
            "CREDIT_REGISTER_" + str(e["loc"][0]).upper() for e in exc.errors() if e["loc"]
        )
        print(f"设置有误：{bad} (bad settings: {bad})", file=sys.stderr)
        return EXIT_FAILED
    if getattr(args, "add_user", None) or getattr(args, "remove_user", None):
        return _manage_users(args, settings.users_file)
    target: Path | None = getattr(args, "write_manifest", None)
    if target is not None:
        target.write_text(
            render_manifest(settings.allowed_origin, settings.addin_dir), encoding="utf-8"
        )
        print(f"{target}: manifest for {settings.allowed_origin}")
        return 0
    problem = _users_problem(settings)
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_FAILED
    has_tls = settings.cert_file is not None and settings.key_file is not None
    if not has_tls and not settings.allow_http:
        print(
            "需要 HTTPS 证书：设置 CREDIT_REGISTER_CERT_FILE 和 CREDIT_REGISTER_KEY_FILE"
            " (Office needs HTTPS: set CREDIT_REGISTER_CERT_FILE and CREDIT_REGISTER_KEY_FILE;"
            " see the README)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    for path in (settings.cert_file, settings.key_file):
        if path is not None and not path.is_file():
            print(f"找不到文件 (file not found): {path}", file=sys.stderr)
            return EXIT_FAILED
    import uvicorn

    scheme = "https" if has_tls else "http"
    print(f"credit-register serve: {scheme}://{settings.host}:{settings.port}/taskpane/")
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        ssl_certfile=str(settings.cert_file) if has_tls else None,
        ssl_keyfile=str(settings.key_file) if has_tls else None,
        log_level="info",
        server_header=False,
    )
    return 0


def _manage_users(args: argparse.Namespace, path: Path) -> int:
    try:
        if args.add_user:
            token = add_user(path, args.add_user)
            print(
                f"{args.add_user} 的访问令牌 (access token for {args.add_user}):\n\n    {token}\n\n"
                f"只显示这一次：请安全地交给该用户，在任务窗格中输入一次。已记入 {path}\n"
                f"(shown only this once: hand it to the user safely, who enters it once in the "
                f"task pane; its hash is in {path})"
            )
            return 0
        if remove_user(path, args.remove_user):
            print(f"{path}: 已撤销 {args.remove_user} 的令牌 ({args.remove_user}'s token revoked)")
            return 0
        print(f"{path}: 没有用户 {args.remove_user} (no such user)", file=sys.stderr)
    except (OSError, UsersFileError) as exc:
        print(exc, file=sys.stderr)
    return EXIT_FAILED


def _users_problem(settings: ServerSettings) -> str | None:
    """Why the server cannot start for its users, or ``None``."""
    if settings.token is not None:
        return (
            "CREDIT_REGISTER_TOKEN 已停用：每位用户使用自己的令牌，History 才能记下是谁操作的。"
            "请删除该设置，并为每位用户运行 credit-register serve --add-user 姓名"
            " (CREDIT_REGISTER_TOKEN is no longer used: each user has a token of their own, so"
            " that History names who acted. Remove it and run `credit-register serve --add-user"
            " NAME` for each user.)"
        )
    path = settings.users_file
    try:
        users = read_users(path) if path.exists() else []
    except (OSError, UnicodeDecodeError, UsersFileError) as exc:
        return str(exc)
    if not users:
        return (
            f"{path}：还没有用户；请运行 credit-register serve --add-user 姓名"
            f" ({path}: no users yet; run `credit-register serve --add-user NAME`)"
        )
    return None
