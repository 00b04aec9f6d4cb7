"""``credit-register serve``: the Office add-in's server, the Dashboard's buttons over HTTPS.

A finance team without Python on every PC still gets the buttons: the task pane in ``addin/``
reads the open workbook with Office.js, posts its sheets here, and applies the cell writes that
come back. Each action runs the very use case the Excel button and the command line run
(``usecases.run_action`` over a ``JsonWorkbook``), so the results are the same whichever door the
user came through.

What the server promises, and why:

- **HTTPS** (Office loads add-ins only over HTTPS): uvicorn with the certificate and key files
  from the settings. Plain HTTP only with ``allow_http`` (tests, or behind a TLS proxy).
- **A bearer token** from the environment, compared in constant time (``hmac.compare_digest``):
  the register holds customers' credit data.
- **Bad input is answered, never crashed on**: over-size requests get 413 (the declared length
  and the bytes actually received are both counted), malformed payloads 422 with the place of
  each problem (``客户!F4``), an unknown path 404. A bug in the engine still answers with a JSON
  error and a reference, never a traceback.
- **Nothing kept**: the workbook lives for one request. Generated documents (contracts, reports)
  stay in memory until they expire, under an unguessable id: the link is a short-lived
  capability, because Office opens downloads in the system browser, which cannot send the token.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hmac
import json
import logging
import mimetypes
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, SecretStr, StrictBool, StrictInt, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from credit_register import __version__
from credit_register.adapters.addin_json import LAST_ROW, JsonWorkbook
from credit_register.app import usecases
from credit_register.app.usecases import EXIT_FAILED, ActionRequest
from credit_register.core import dashboard
from credit_register.core.issues import Issue, column_letter
from credit_register.core.port import Selection, WorkbookError

log = logging.getLogger("credit_register.server")

API = "/api/v1"
#: where the add-in's files are: the repository's ``addin/`` (the package is installed editable)
ADDIN_DIR = Path(__file__).resolve().parents[3] / "addin"
DEFAULT_ORIGIN = "https://localhost:3000"
ORIGIN_PLACEHOLDER = "{{ORIGIN}}"


class ServerSettings(BaseSettings):
    """``CREDIT_REGISTER_*`` environment variables, or a ``.env`` file beside the server."""

    model_config = SettingsConfigDict(
        env_prefix="CREDIT_REGISTER_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    #: shared with the task pane's users; at least 16 characters (``secrets.token_urlsafe()``)
    token: SecretStr = Field(min_length=16)
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


# --------------------------------------------------------------------------- the API's shapes

CellIn = Annotated[
    StrictBool
    | StrictInt
    | Annotated[float, Field(allow_inf_nan=False, strict=True)]
    | Annotated[str, Field(max_length=32_767)]
    | None,
    Field(
        description="A cell as Office.js `values` gives it; dates are Excel serial numbers, "
        'a blank cell is ""'
    ),
]
TabName = Annotated[str, Field(min_length=1, max_length=31)]


class SelectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sheet: TabName
    rows: list[Annotated[int, Field(ge=1, le=LAST_ROW)]] = Field(max_length=LAST_ROW)


class ActionIn(BaseModel):
    """The open workbook as the task pane read it."""

    model_config = ConfigDict(extra="forbid")
    sheets: dict[TabName, list[list[CellIn]]] = Field(
        description="Every tab's values from A1 to the last used cell, row by row"
    )
    selection: SelectionIn | None = None
    workbook_name: Annotated[str, Field(min_length=1, max_length=255)] = "workbook.xlsx"
    user: Annotated[str, Field(max_length=100)] | None = None


class IssueOut(BaseModel):
    place: str
    sheet: str
    cell: str
    severity: Literal["error", "warning"]
    message: str


class ClearOut(BaseModel):
    sheet: str
    range: str


class WriteOut(BaseModel):
    sheet: str
    range: str
    values: list[list[StrictBool | StrictInt | float | str]]


class FormatOut(BaseModel):
    sheet: str
    range: str
    format: str


class DocumentOut(BaseModel):
    id: str
    name: str
    url: str
    expires_at: dt.datetime


class ActionOut(BaseModel):
    action: str
    ok: bool
    message: str
    exit_code: int
    lang: Literal["zh", "en"]
    issues: list[IssueOut]
    clear: list[ClearOut] = Field(description="ranges whose contents to clear first")
    writes: list[WriteOut] = Field(description="then the values to write")
    formats: list[FormatOut] = Field(description="then number formats (dates)")
    documents: list[DocumentOut]


class ProblemOut(BaseModel):
    loc: list[str | int]
    place: str
    message: str


class ErrorOut(BaseModel):
    error: str
    message: str
    details: list[ProblemOut] = []


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in (
        (401, "no or wrong bearer token"),
        (413, "request larger than the configured limit"),
        (422, "malformed payload (each problem located) or unusable workbook"),
    )
}


def error(
    status: int,
    kind: str,
    message: str,
    details: list[ProblemOut] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorOut(error=kind, message=message, details=details or [])
    return JSONResponse(body.model_dump(), status_code=status, headers=dict(headers or {}))


BEARER = HTTPBearer(auto_error=False, description="the server's CREDIT_REGISTER_TOKEN")


class UnauthorisedError(Exception):
    """No token, or not the server's."""


# --------------------------------------------------------------------------- documents


@dataclass
class StoredDocument:
    name: str
    content: bytes
    expires: float
    expires_at: dt.datetime


class DocumentStore:
    """Generated documents, in memory only, each until its time is up."""

    def __init__(self, ttl_seconds: int) -> None:
        self.ttl = ttl_seconds
        self._documents: dict[str, StoredDocument] = {}
        self._lock = threading.Lock()

    def put(self, name: str, content: bytes) -> tuple[str, StoredDocument]:
        document = StoredDocument(
            name,
            content,
            time.monotonic() + self.ttl,
            dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.ttl),
        )
        doc_id = secrets.token_urlsafe(32)
        with self._lock:
            self._purge()
            self._documents[doc_id] = document
        return doc_id, document

    def get(self, doc_id: str) -> StoredDocument | None:
        with self._lock:
            self._purge()
            return self._documents.get(doc_id)

    def __len__(self) -> int:
        with self._lock:
            self._purge()
            return len(self._documents)

    def _purge(self) -> None:
        now = time.monotonic()
        for doc_id in [k for k, d in self._documents.items() if d.expires <= now]:
            del self._documents[doc_id]


# --------------------------------------------------------------------------- request size

ASGIApp = Callable[
    [MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
    Awaitable[None],
]


class RequestSizeLimit:
    """413 for a body over ``limit`` bytes: refused on its declared ``Content-Length`` before a
    byte is read, and counted while streaming (a chunked upload declares no length)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await error(400, "bad_request", "Content-Length 无效 (invalid Content-Length)")(
                    scope, receive, send
                )
                return
            if length > self.limit:
                await self._too_large(scope, receive, send)
                return
        chunks: list[bytes] = []
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.limit:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _too_large(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        mib = self.limit / 1024 / 1024
        response = error(
            413,
            "too_large",
            f"请求超过 {mib:.1f} MiB 上限 (request larger than the {mib:.1f} MiB limit)",
        )
        await response(scope, receive, send)


# --------------------------------------------------------------------------- located 422


def locate(loc: tuple[Any, ...] | list[Any]) -> str:
    """Where in the payload a problem is, the way a finance user finds it.

    >>> locate(("body", "sheets", "客户", 3, 5, "str"))
    '客户!F4'
    >>> locate(("body", "selection", "rows", 0)), locate(("body",))
    ('selection.rows[0]', 'body')
    """
    parts = list(loc[1:]) if loc and loc[0] == "body" else list(loc)
    if len(parts) >= 2 and parts[0] == "sheets":
        sheet = str(parts[1])
        if len(parts) >= 4 and isinstance(parts[2], int) and isinstance(parts[3], int):
            return f"{sheet}!{column_letter(parts[3])}{parts[2] + 1}"
        if len(parts) >= 3 and isinstance(parts[2], int):
            return f"{sheet}!{parts[2] + 1}:{parts[2] + 1}"
        return sheet
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in ("str", "int", "float", "bool", "none") or "[" in str(part):
            break  # pydantic's name for a union member, not a place
        else:
            text += f".{part}" if text else str(part)
    return text or "body"


def located_problems(exc: RequestValidationError) -> list[ProblemOut]:
    """One message per place (a cell failing every allowed type is one problem, not four)."""
    problems: dict[str, ProblemOut] = {}
    for err in exc.errors():
        loc = [p if isinstance(p, int) else str(p) for p in err.get("loc", ())]
        place = locate(loc)
        if place in problems:
            continue
        kind = str(err.get("type", ""))
        if kind == "json_invalid":
            message = "请求不是有效的 JSON (the request body is not valid JSON)"
        elif place != "body" and "!" in place:
            message = (
                f"{place}: 单元格值无效，只接受数字、文本、布尔值 (not a cell value: numbers, text"
                f" and booleans only; {err.get('msg', '')})"
            )
        else:
            message = f"{place}: {err.get('msg', '')}"
        problems[place] = ProblemOut(loc=loc, place=place, message=message)
    return list(problems.values())


# --------------------------------------------------------------------------- the app


def _issue_out(issue: Issue, lang: Literal["zh", "en"]) -> IssueOut:
    return IssueOut(
        place=issue.place,
        sheet=issue.sheet,
        cell=issue.cell,
        severity=issue.severity,
        message=issue.message(lang),
    )


def _request_with_output_dir(request: ActionRequest, folder: Path) -> ActionRequest:
    """Documents go to a folder of this request only, where the use case lets us say so."""
    for name in ("output_dir", "out_dir", "outbox"):
        if name in {f.name for f in fields(request)}:
            setattr(request, name, folder)
    return request


def create_app(settings: ServerSettings) -> FastAPI:
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
    app.state.documents = store
    app.state.settings = settings
    expected = settings.token.get_secret_value().encode()

    def require_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
    ) -> None:
        given = credentials.credentials.encode() if credentials is not None else b""
        if not hmac.compare_digest(given, expected):
            raise UnauthorisedError

    @app.exception_handler(UnauthorisedError)
    async def unauthorised(request: Request, exc: UnauthorisedError) -> JSONResponse:
        return error(
            401,
            "unauthorised",
            "令牌缺失或错误 (missing or wrong token)",
            headers={"WWW-Authenticate": "Bearer"},
        )

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = located_problems(exc)
        first = problems[0].message if problems else ""
        return error(422, "malformed", f"请求格式有误 (malformed request): {first}", problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error(exc.status_code, "http", str(exc.detail), headers=exc.headers)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        return internal_error(exc)

    def run(action: str, payload: ActionIn) -> ActionOut | JSONResponse:
        selection = (
            Selection(payload.selection.sheet, list(payload.selection.rows))
            if payload.selection is not None
            else None
        )
        book = JsonWorkbook(payload.sheets, label=payload.workbook_name, selection=selection)
        folder = Path(tempfile.mkdtemp(prefix="credit-register-"))
        try:
            request = usecases.request_from_dashboard(book.read(), action, selection)
            request.user = payload.user or "add-in"
            result = usecases.run_action(_request_with_output_dir(request, folder), book)
            documents = []
            for path in result.documents:
                doc_id, stored = store.put(path.name, path.read_bytes())
                path.unlink(missing_ok=True)  # the server keeps no copy on disk
                documents.append(
                    DocumentOut(
                        id=doc_id,
                        name=stored.name,
                        url=f"{API}/documents/{doc_id}",
                        expires_at=stored.expires_at,
                    )
                )
            ops = book.to_json(result.lang)
        except WorkbookError as exc:
            return error(422, "workbook", str(exc))
        except Exception as exc:
            return internal_error(exc)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return ActionOut(
            action=action,
            ok=result.ok,
            message=result.message,
            exit_code=result.exit_code,
            lang=result.lang,
            issues=[_issue_out(i, result.lang) for i in result.issues],
            clear=[ClearOut(**op) for op in ops["clear"]],
            writes=[WriteOut(**op) for op in ops["writes"]],
            formats=[FormatOut(**op) for op in ops["formats"]],
            documents=documents,
        )

    for action in dashboard.ACTIONS:
        _add_action_route(app, action, run, require_token)

    @app.get(
        f"{API}/documents/{{doc_id}}",
        summary="下载生成的文件 Download a generated document",
        response_class=Response,
        responses={404: {"model": ErrorOut, "description": "unknown or expired"}},
    )
    def document(doc_id: Annotated[str, PathParam(max_length=100)]) -> Response:
        stored = store.get(doc_id)
        if stored is None:
            return error(404, "not_found", "文件不存在或已过期 (no such document, or it expired)")
        media = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
        quoted = stored.name.encode("ascii", "ignore").decode() or "document"
        disposition = f"attachment; filename=\"{quoted}\"; filename*=UTF-8''" + _rfc5987(
            stored.name
        )
        return Response(
            stored.content,
            media_type=media,
            headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
        )

    @app.get(f"{API}/health", summary="Liveness")
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/manifest.xml", include_in_schema=False)
    def manifest() -> Response:
        text = render_manifest(settings.allowed_origin, settings.addin_dir)
        return Response(text, media_type="application/xml")

    @app.get("/taskpane/actions.js", include_in_schema=False)
    def actions_module() -> Response:
        # the buttons come from dashboard.ACTIONS, the one list of actions
        listed = [{"key": a.key, "zh": a.zh, "en": a.en} for a in dashboard.ACTIONS]
        text = f"export const ACTIONS = {json.dumps(listed, ensure_ascii=False)};\n"
        return Response(text, media_type="text/javascript")

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/taskpane/")

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
    # innermost first: CORS must wrap the size limit so that a 413 still carries CORS headers
    app.add_middleware(RequestSizeLimit, limit=settings.max_request_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[settings.allowed_origin],
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
        max_age=600,
    )
    return app


def _rfc5987(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def internal_error(exc: BaseException) -> JSONResponse:
    reference = secrets.token_hex(4)
    log.error("internal error %s", reference, exc_info=(type(exc), exc, exc.__traceback__))
    return error(
        500,
        "internal",
        f"内部错误，请联系管理员，编号 {reference} (internal error, reference {reference})",
    )


def _add_action_route(
    app: FastAPI,
    action: dashboard.Action,
    run: Callable[[str, ActionIn], ActionOut | JSONResponse],
    require_token: Callable[..., None],
) -> None:
    # one route per Dashboard button, so the OpenAPI document lists each action by name
    def endpoint(payload: ActionIn) -> ActionOut | JSONResponse:
        return run(action.key, payload)

    app.post(
        f"{API}/actions/{action.key}",
        summary=f"{action.zh} {action.en}",
        operation_id=f"action_{action.key}",
        response_model=ActionOut,
        responses=ERROR_RESPONSES,
        dependencies=[Depends(require_token)],
    )(endpoint)


# --------------------------------------------------------------------------- the manifest


def _xml(text: str) -> str:
    from xml.sax.saxutils import quoteattr

    return quoteattr(text)


def _action_controls() -> tuple[str, str, str]:
    """One ribbon button per Dashboard action (``ExecuteFunction`` in commands.js), with its
    label and tip in Chinese (the default) and English; ids from ``dashboard.ACTIONS``."""
    controls, short, long = [], [], []
    icons = "\n".join(
        f'                    <bt:Image size="{n}" resid="Icon.{n}x{n}"/>' for n in (16, 32, 80)
    )
    for action in dashboard.ACTIONS:
        key = action.key
        controls.append(
            f"""                <Control xsi:type="Button" id="CreditRegister.{key}">
                  <Label resid="{key}.Label"/>
                  <Supertip>
                    <Title resid="{key}.Label"/>
                    <Description resid="{key}.Tip"/>
                  </Supertip>
                  <Icon>
{icons}
                  </Icon>
                  <Action xsi:type="ExecuteFunction">
                    <FunctionName>{key}</FunctionName>
                  </Action>
                </Control>"""
        )
        short.append(
            f"""        <bt:String id="{key}.Label" DefaultValue={_xml(action.zh)}>
          <bt:Override Locale="en-US" Value={_xml(action.en)}/>
        </bt:String>"""
        )
        tip_zh = _xml(action.zh + "：与控制台按钮相同")
        tip_en = _xml(action.en + ": the same as the Dashboard button")
        long.append(
            f"""        <bt:String id="{key}.Tip" DefaultValue={tip_zh}>
          <bt:Override Locale="en-US" Value={tip_en}/>
        </bt:String>"""
        )
    return "\n".join(controls), "\n".join(short), "\n".join(long)


def render_manifest(origin: str, addin_dir: Path = ADDIN_DIR) -> str:
    """The add-in manifest for a server at ``origin`` (``https://credit.example.com``): every
    URL in it (task pane, commands, icons) on that origin, a ribbon button per action."""
    template = (addin_dir / "manifest.template.xml").read_text(encoding="utf-8")
    controls, short, long = _action_controls()
    return (
        template.replace(ORIGIN_PLACEHOLDER, origin.rstrip("/"))
        .replace("<!--ACTIONS:CONTROLS-->", controls)
        .replace("<!--ACTIONS:SHORTSTRINGS-->", short)
        .replace("<!--ACTIONS:LONGSTRINGS-->", long)
    )


# --------------------------------------------------------------------------- the command


def add_serve_parser(subparsers: Any) -> argparse.ArgumentParser:
    """``credit-register serve``: the CLI wires this into its sub-commands."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="serve the Office add-in and its API over HTTPS",
        description="Settings come from CREDIT_REGISTER_* environment variables or a .env file: "
        "TOKEN (required), CERT_FILE, KEY_FILE, ALLOWED_ORIGIN, MAX_REQUEST_BYTES, "
        "DOCUMENT_TTL_SECONDS, HOST, PORT, ALLOW_HTTP.",
    )
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default 3000)")
    parser.add_argument("--env-file", type=Path, help="settings file (default .env)")
    parser.add_argument(
        "--write-manifest",
        type=Path,
        metavar="PATH",
        help="write the add-in manifest for ALLOWED_ORIGIN to PATH and exit",
    )
    return parser


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
        missing = ", ".join(
            "CREDIT_REGISTER_" + str(e["loc"][0]).upper() for e in exc.errors() if e["loc"]
        )
        print(
            f"设置有误：{missing} (bad or missing settings: {missing}); 令牌至少 16 个字符"
            " (the token needs at least 16 characters)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    target: Path | None = getattr(args, "write_manifest", None)
    if target is not None:
        target.write_text(
            render_manifest(settings.allowed_origin, settings.addin_dir), encoding="utf-8"
        )
        print(f"{target}: manifest for {settings.allowed_origin}")
        return 0
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
