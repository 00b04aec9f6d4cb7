"""The add-in's API: one route per Dashboard button, the documents it made, and a health check.

Each action runs the very use case the Excel button and the command line run
(``usecases.run_action`` over a ``JsonWorkbook``), so the results are the same whichever door the
user came through; History names the user whose token the request carries, never a name in the
body. The answer names no file or folder of the server (documents are links). Nothing is kept:
the workbook lives for one request; generated documents (contracts, reports) stay in memory until
they expire, under an unguessable id: the link is a short-lived capability, because Office opens
downloads in the system browser, which cannot send the token.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, FastAPI
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from credit_register import __version__
from credit_register.adapters.addin_json import LAST_ROW, JsonWorkbook
from credit_register.app import usecases
from credit_register.app.usecases import ActionRequest
from credit_register.core import dashboard
from credit_register.core.issues import Issue
from credit_register.core.port import DocumentServices, Selection, WorkbookError
from credit_register.core.text import pick
from credit_register.server.guards import ERROR_RESPONSES, ErrorOut, error, internal_error

API = "/api/v1"


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
    user: Annotated[str, Field(max_length=100)] | None = Field(
        default=None,
        description="ignored (older task panes sent it): History names the token's user",
    )


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
    user: str = Field(description="who History names for this action: the token's user")
    ok: bool
    message: str
    exit_code: int
    lang: Literal["zh", "en"]
    issues: list[IssueOut]
    clear: list[ClearOut] = Field(description="ranges whose contents to clear first")
    writes: list[WriteOut] = Field(description="then the values to write")
    formats: list[FormatOut] = Field(description="then number formats (dates)")
    documents: list[DocumentOut]


class UserOut(BaseModel):
    user: str


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


def _without_folder(text: str, folder: Path, lang: Literal["zh", "en"]) -> str:
    """``text`` with the request's private folder named as what the user sees instead: the
    server's paths are its own business, and the documents are links in the pane."""
    shown = pick(lang, "任务窗格的“文件”列表", "the task pane's Documents list")
    for form in {str(folder), str(folder.resolve())}:
        text = text.replace(form, shown)
    return text


def add_api_routes(
    app: FastAPI,
    store: DocumentStore,
    require_user: Callable[..., str],
    services: DocumentServices,
) -> None:
    """The action routes (their documents made with ``services``), who-am-I, the document
    download and the health check."""

    def run(action: str, payload: ActionIn, user: str) -> ActionOut | JSONResponse:
        selection = (
            Selection(payload.selection.sheet, list(payload.selection.rows))
            if payload.selection is not None
            else None
        )
        book = JsonWorkbook(payload.sheets, label=payload.workbook_name, selection=selection)
        folder = Path(tempfile.mkdtemp(prefix="credit-register-"))
        try:
            request = usecases.request_from_dashboard(book.read(), action, selection)
            request.user = user  # the token's owner; the body's ``user`` is never trusted
            result = usecases.run_action(
                _request_with_output_dir(request, folder), book, services=services
            )
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
            ops = book.to_json()
            message = _without_folder(result.message, folder, result.lang)
            issues = [_issue_out(i, result.lang) for i in result.issues]
            for issue in issues:
                issue.message = _without_folder(issue.message, folder, result.lang)
            for op in ops["writes"]:
                op["values"] = [
                    [
                        _without_folder(v, folder, result.lang) if isinstance(v, str) else v
                        for v in row
                    ]
                    for row in op["values"]
                ]
        except WorkbookError as exc:
            return error(422, "workbook", str(exc))
        except Exception as exc:
            return internal_error(exc)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return ActionOut(
            action=action,
            user=user,
            ok=result.ok,
            message=message,
            exit_code=result.exit_code,
            lang=result.lang,
            issues=issues,
            clear=[ClearOut(**op) for op in ops["clear"]],
            writes=[WriteOut(**op) for op in ops["writes"]],
            formats=[FormatOut(**op) for op in ops["formats"]],
            documents=documents,
        )

    for action in dashboard.PANE_ACTIONS:
        _add_action_route(app, action, run, require_user)

    @app.get(
        f"{API}/me",
        summary="令牌的用户 Whose token this is",
        response_model=UserOut,
        responses={401: ERROR_RESPONSES[401]},
    )
    # (``Depends`` as the default: the annotation of a local dependency cannot be resolved
    # from its string form under ``from __future__ import annotations``)
    def me(user: str = Depends(require_user)) -> UserOut:
        # the task pane checks a token when it is saved, and shows whom History will name
        return UserOut(user=user)

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
        return Response(
            stored.content,
            media_type=media,
            headers={
                "Content-Disposition": content_disposition(stored.name),
                "Cache-Control": "no-store",
            },
        )

    @app.get(f"{API}/health", summary="Liveness")
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}


def content_disposition(name: str) -> str:
    r"""The download header for a document named ``name`` (RFC 6266): an ASCII fallback with
    nothing that could end the quoted string or the header (``"``, ``\``, control characters
    such as CR/LF, all from a customer ID), and the exact name percent-encoded in ``filename*``.

    >>> header = content_disposition('report_A"B\r\nX-Evil: 1_报告.docx')
    >>> header.split("; filename*=")[0]
    'attachment; filename="report_A_B__X-Evil_ 1___.docx"'
    >>> header.split("; filename*=")[1]
    "UTF-8''report_A%22B%0D%0AX-Evil%3A%201_%E6%8A%A5%E5%91%8A.docx"
    """
    from urllib.parse import quote

    fallback = re.sub(r'[^\x20-\x7e]|["\\:;]', "_", name) or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _add_action_route(
    app: FastAPI,
    action: dashboard.Action,
    run: Callable[[str, ActionIn, str], ActionOut | JSONResponse],
    require_user: Callable[..., str],
) -> None:
    # one route per Dashboard button, so the OpenAPI document lists each action by name
    def endpoint(payload: ActionIn, user: str = Depends(require_user)) -> ActionOut | JSONResponse:
        return run(action.key, payload, user)

    app.post(
        f"{API}/actions/{action.key}",
        summary=f"{action.zh} {action.en}",
        operation_id=f"action_{action.key}",
        response_model=ActionOut,
        responses=ERROR_RESPONSES,
    )(endpoint)
