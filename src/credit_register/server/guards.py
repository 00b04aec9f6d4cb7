"""What stands between a request and the use cases: the user's token, the size limit, and
answers for bad input and for bugs.

The register holds customers' credit data, so every action needs a user's own bearer token (the
users file, ``users.py``), checked before a byte of the body is read: a 47 MB body without a token
costs nothing. The token also says who the user is, for History. Bad input is answered, never
crashed on: an over-size request gets 413 (the declared length and the bytes actually received are
both counted), a malformed payload 422 with the place of each problem (``客户!F4``), a bug a JSON
error with a reference, never a traceback.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from credit_register.core.issues import column_letter
from credit_register.server.users import UserDirectory

log = logging.getLogger("credit_register.server")


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


BEARER = HTTPBearer(
    auto_error=False,
    description="the user's own token (`credit-register serve --add-user NAME` prints it)",
)


class UnauthorisedError(Exception):
    """No token, or nobody's."""


def unauthorised_response() -> JSONResponse:
    return error(
        401,
        "unauthorised",
        "令牌缺失或错误 (missing or wrong token)",
        headers={"WWW-Authenticate": "Bearer"},
    )


def user_guard(users: UserDirectory) -> Callable[..., str]:
    """The dependency every action route has: the name of the user whose token the request
    carries (the one name History gets), or 401."""

    def require_user(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
    ) -> str:
        name = users.identify(credentials.credentials) if credentials is not None else None
        if name is None:
            raise UnauthorisedError
        return name

    return require_user


def add_error_handlers(app: FastAPI) -> None:
    """Every failure answered as an ``ErrorOut``: 401, located 422, HTTP errors, and 500."""

    @app.exception_handler(UnauthorisedError)
    async def unauthorised(request: Request, exc: UnauthorisedError) -> JSONResponse:
        return unauthorised_response()

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


def internal_error(exc: BaseException) -> JSONResponse:
    reference = secrets.token_hex(4)
    log.error("internal error %s", reference, exc_info=(type(exc), exc, exc.__traceback__))
    return error(
        500,
        "internal",
        f"内部错误，请联系管理员，编号 {reference} (internal error, reference {reference})",
    )


# --------------------------------------------------------------------------- request size

ASGIApp = Callable[
    [MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
    Awaitable[None],
]


class RequestSizeLimit:
    """401 for a request to the API (``api_prefix``) without a user's token, and 413 for a body
    over ``limit`` bytes, both before a byte of the body is read: the token from the
    ``Authorization`` header, the size from the declared ``Content-Length``; a chunked upload
    (no declared length) is counted while it streams."""

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        users: UserDirectory | None = None,
        api_prefix: str = "/api/",
    ) -> None:
        self.app = app
        self.limit = limit
        self.users = users
        self.api_prefix = api_prefix

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        if self.users is not None and str(scope.get("path", "")).startswith(self.api_prefix):
            scheme, _, given = headers.get(b"authorization", b"").partition(b" ")
            if scheme.lower() != b"bearer" or self.users.identify(given.strip()) is None:
                await unauthorised_response()(scope, receive, send)
                return
        declared = headers.get(b"content-length")
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
