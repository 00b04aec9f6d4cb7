"""The Office add-in's door: the API, the protocol's identity with the file, who acted, the
manifest, the task pane in node and in headless Chromium.

The story: a finance user opens the register in Excel, presses "run" in the task pane, and the
cells Excel receives are exactly those ``credit-register run`` writes into the file; when she
approves a limit, History names her, because the token is hers.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from lxml import etree
from python_calamine import CalamineWorkbook

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import credit_register.app.usecases
from credit_register import cli, server
from credit_register.adapters.addin_json import apply_to_values, excel_serial
from credit_register.core import dashboard
from credit_register.core.schema import HISTORY, OUTPUT_SHEETS, RATINGS
from credit_register.server import DEFAULT_ORIGIN, ServerSettings, create_app, render_manifest
from credit_register.server.guards import RequestSizeLimit
from credit_register.server.manifest import MAX_GROUP_CONTROLS, RibbonGroup, check_ribbon
from credit_register.server.users import UserDirectory

ROOT = Path(__file__).resolve().parents[1]
#: the add-in's files (package data) and its node tooling (the repository's addin/)
ADDIN = ROOT / "src" / "credit_register" / "addin"
ADDIN_TOOLS = ROOT / "addin"
TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
#: the users file's two users: the tests act as 王丽, with 张伟 as her colleague
USER = "王丽"
COLLEAGUE, COLLEAGUE_TOKEN = "张伟", "another-token-9876543210"
IN_CI = os.environ.get("CI") == "true"


def need(tool: str | None, why: str) -> None:
    """Skip locally when a tool is missing; in CI the tool must be there."""
    if tool is None or not Path(tool).exists():
        if IN_CI:
            pytest.fail(f"{why} is required in CI")
        pytest.skip(f"{why} is not installed")


# --------------------------------------------------------------------------- a register


def small_tables() -> dict[str, pd.DataFrame]:
    """A register with problems on purpose: a formula-like name, a future date, a duplicate."""
    return {
        "customers": pd.DataFrame(
            {
                "customer_id": ["C001", "C002", "C002"],
                "name": ["华东机械有限公司", "=HYPERLINK(1)", "南方贸易"],
                "country": ["CN", "CN", "CN"],
                "payment_terms_days": [30.0, 60.0, 400.0],
                "since": [dt.date(2020, 1, 1), dt.date(2099, 1, 1), None],
            }
        ),
        "invoices": pd.DataFrame(
            {
                "invoice_no": ["I1", "I2"],
                "customer_id": ["C001", "C999"],
                "invoice_date": [dt.date(2026, 1, 5), dt.date(2026, 2, 1)],
                "due_date": [dt.date(2026, 2, 4), dt.date(2026, 1, 1)],
                "amount": [1000.0, 0.0],
            }
        ),
    }


@pytest.fixture(scope="module")
def register_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from credit_register.tools.build import build_workbook

    path = tmp_path_factory.mktemp("register") / "credit_register.xlsm"
    try:
        build_workbook(path, demo=True, overwrite=True)
    except ImportError:  # the demo register is not there yet: a small one of our own
        build_workbook(path, tables=small_tables(), as_of=dt.date(2026, 3, 31), overwrite=True)
    return path


def office_value(value: Any) -> Any:
    """A cell as Office.js ``values`` gives it: dates as serials, blanks as ``""``."""
    if isinstance(value, dt.date | dt.datetime):
        return excel_serial(value)
    return "" if value is None else value


def office_values(path: Path) -> dict[str, list[list[Any]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {
        name: [
            [office_value(v) for v in row]
            for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        ]
        for name in book.sheet_names
    }


def comparable(grid: list[list[Any]]) -> dict[tuple[int, int], Any]:
    """Non-blank cells; numbers as floats (the file stores 10 as 10.0)."""
    return {
        (r, c): float(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
        for r, row in enumerate(grid)
        for c, v in enumerate(row)
        if v != ""
    }


#: the least a register needs for "run" to write back: the Issues sheet and the Dashboard
MINIMAL: dict[str, list[list[Any]]] = {
    **{sheet.zh: [sheet.headers("zh")] for sheet in OUTPUT_SHEETS},
    "控制台": [[""]],
}


def write_users(path: Path, users: dict[str, str]) -> Path:
    """A users file in its documented format: ``sha256:<hex of the token> <name>`` a line."""
    lines = ["# users of the test server"]
    lines += [f"sha256:{hashlib.sha256(t.encode()).hexdigest()} {n}" for n, t in users.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def settings_for(tmp_path: Path, **overrides: Any) -> ServerSettings:
    users = write_users(tmp_path / "users.txt", {USER: TOKEN, COLLEAGUE: COLLEAGUE_TOKEN})
    return ServerSettings(users_file=users, allow_http=True, _env_file=None, **overrides)


@pytest.fixture
def app_settings(tmp_path: Path) -> ServerSettings:
    return settings_for(tmp_path)


@pytest.fixture
def client(app_settings: ServerSettings) -> TestClient:
    return TestClient(create_app(app_settings), raise_server_exceptions=False)


# --------------------------------------------------------------------------- identity


def test_run_through_the_add_in_writes_what_the_command_line_writes(
    register_file: Path, tmp_path: Path, client: TestClient
) -> None:
    book = tmp_path / register_file.name
    shutil.copyfile(register_file, book)
    sheets = office_values(book)
    answer = client.post(
        "/api/v1/actions/run", json={"sheets": sheets, "workbook_name": book.name}, headers=AUTH
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    in_excel = apply_to_values(sheets, body)

    assert cli.main(["run", str(book)]) in (0, 1)
    in_file = office_values(book)

    assert set(in_excel) == set(in_file)
    last_run = dashboard.HEADLINE_BY_KEY["last_run"].cell
    last_run_at = (int(last_run[1:]) - 1, ord(last_run[0]) - ord("A"))
    for name in in_file:
        excel_cells, file_cells = comparable(in_excel[name]), comparable(in_file[name])
        if name == body["writes"][-1]["sheet"] and last_run_at in file_cells:
            # the two runs are seconds apart: the time stamp is the one cell allowed to differ
            assert abs(excel_cells.pop(last_run_at) - file_cells.pop(last_run_at)) < 5 / 86_400
        if name in ("变更日志", "History"):
            # ... and so is the same time stamp on each History row the run appended
            stamps = [cell for cell in file_cells if cell[1] == 0 and cell[0] > 0]
            for cell in stamps:
                assert abs(excel_cells.pop(cell) - file_cells.pop(cell)) < 5 / 86_400
        assert excel_cells == file_cells, f"sheet {name} differs"
    # the run wrote something worth comparing: the Issues sheet and the Dashboard figures
    written = {w["sheet"] for w in body["writes"]}
    assert {"问题", "控制台"} <= written or {"Issues", "Dashboard"} <= written
    assert body["message"] == in_file[body["writes"][-1]["sheet"]][10][2]


def test_issues_come_back_located_and_dates_with_a_format(client: TestClient) -> None:
    sheets = {
        "客户": [["客户编号", "客户名称", "合作起始日"], ["C001", "华东机械", "not a date"]],
        "问题": [["位置", "级别", "说明"], ["old", "错误", "stale"], ["old", "错误", "stale"]],
        "控制台": [[""]],
    }
    body = client.post("/api/v1/actions/validate", json={"sheets": sheets}, headers=AUTH).json()
    places = {i["place"] for i in body["issues"]}
    assert "workbook.xlsx:客户!C2" in places
    # the old Issues rows are cleared before the new ones are written
    assert {"sheet": "问题", "range": "A2:C3"} in body["clear"]
    after = apply_to_values(sheets, body)
    assert after["问题"][0] == ["位置", "级别", "说明"]
    assert "stale" not in json.dumps(after["问题"], ensure_ascii=False)


# --------------------------------------------------------------------------- 401 / 413 / 422


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": TOKEN}]
)
def test_without_the_right_token_nothing_runs(client: TestClient, headers: dict[str, str]) -> None:
    answer = client.post("/api/v1/actions/run", json={"sheets": {}}, headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["error"] == "unauthorised"


def test_a_request_over_the_limit_is_refused_with_413(tmp_path: Path) -> None:
    # room for the output sheets' headers (MINIMAL), not for two long cells
    settings = settings_for(tmp_path, max_request_bytes=2000)
    client = TestClient(create_app(settings))
    big = {"sheets": {"客户": [["x" * 1100], ["y" * 1100]]}}
    declared = client.post("/api/v1/actions/run", json=big, headers=AUTH)
    assert declared.status_code == 413
    assert "limit" in declared.json()["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the bytes themselves are counted
        yield b'{"sheets": {"x": [["'
        for _ in range(12):
            yield b"z" * 200
        yield b'"]]}}'

    streamed = client.post(
        "/api/v1/actions/run",
        content=chunks(),
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    small = client.post("/api/v1/actions/run", json={"sheets": MINIMAL}, headers=AUTH)
    assert small.status_code == 200, small.text


def test_a_malformed_payload_gets_422_naming_the_sheet_and_cell(client: TestClient) -> None:
    bad_cell = {"sheets": {"客户": [["客户编号", "客户名称"], ["C001", {"nested": 1}]]}}
    answer = client.post("/api/v1/actions/run", json=bad_cell, headers=AUTH)
    assert answer.status_code == 422
    details = answer.json()["details"]
    assert [d["place"] for d in details] == ["客户!B2"]
    assert "客户!B2" in answer.json()["message"]

    not_json = client.post(
        "/api/v1/actions/run",
        content=b"{sheets:",
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert not_json.status_code == 422
    assert "JSON" in not_json.json()["message"]

    nan = client.post(
        "/api/v1/actions/run",
        content=b'{"sheets": {"FX": [[1, NaN]]}}',
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert nan.status_code == 422
    assert nan.json()["details"][0]["place"] == "FX!B1"

    no_sheets = client.post(
        "/api/v1/actions/run", json={"selection": {"sheet": "客户", "rows": [0]}}, headers=AUTH
    )
    assert no_sheets.status_code == 422
    assert {d["place"] for d in no_sheets.json()["details"]} == {"sheets", "selection.rows[0]"}


def test_every_dashboard_action_has_its_route_and_unknown_ones_404(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert {f"/api/v1/actions/{a.key}" for a in dashboard.PANE_ACTIONS} <= set(spec["paths"])
    # importing asks for a file with Excel's own dialog, which the task pane does not have
    assert "/api/v1/actions/import" not in spec["paths"]
    answer = client.post("/api/v1/actions/format_disk", json={"sheets": {}}, headers=AUTH)
    assert answer.status_code == 404
    assert "traceback" not in answer.text.lower()


def test_cors_answers_only_the_configured_origin(client: TestClient) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    ok = client.options("/api/v1/actions/run", headers={"Origin": DEFAULT_ORIGIN, **preflight})
    assert ok.headers.get("access-control-allow-origin") == DEFAULT_ORIGIN
    other = client.options(
        "/api/v1/actions/run", headers={"Origin": "https://evil.example", **preflight}
    )
    assert "access-control-allow-origin" not in other.headers


def test_a_bug_answers_json_without_a_traceback(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("secret internals")

    monkeypatch.setattr(credit_register.app.usecases, "run_action", broken)
    answer = client.post("/api/v1/actions/run", json={"sheets": {}}, headers=AUTH)
    assert answer.status_code == 500
    assert answer.json()["error"] == "internal"
    assert "secret internals" not in answer.text and "Traceback" not in answer.text


# --------------------------------------------------------------------------- who acted


def tab(sheets: dict[str, Any], sheet: Any) -> str:
    return next(n for n in sheets if n in (sheet.zh, sheet.en))


def logged_users(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The user column of the History rows an action appended."""
    history = tab(after, HISTORY)
    header = after[history][0]
    column = next(
        i
        for i, h in enumerate(header)
        if h in (HISTORY.column("user").header("zh"), HISTORY.column("user").header("en"))
    )
    return [row[column] for row in after[history][len(before[history]) :]]


@pytest.fixture(scope="module")
def after_run(register_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The register as Excel holds it after "run" through the add-in: Ratings filled."""
    client = TestClient(create_app(settings_for(tmp_path_factory.mktemp("server"))))
    sheets = office_values(register_file)
    ran = client.post("/api/v1/actions/run", json={"sheets": sheets}, headers=AUTH)
    assert ran.status_code == 200, ran.text
    return apply_to_values(sheets, ran.json())


def test_an_approval_is_logged_under_the_tokens_user_whatever_the_body_says(
    after_run: dict[str, Any], client: TestClient
) -> None:
    sheets = json.loads(json.dumps(after_run))
    board = sheets[next(n for n in sheets if n in ("控制台", "Dashboard"))]
    row, col = int(dashboard.REASON.cell[1:]) - 1, ord(dashboard.REASON.cell[0]) - ord("A")
    board[row][col] = "年度复核 (annual review)"  # an approval needs its reason
    first_customer = {"sheet": tab(sheets, RATINGS), "rows": [2]}
    claim = {"sheets": sheets, "selection": first_customer, "user": "总经理 (the boss)"}

    mine = client.post("/api/v1/actions/approve", json=claim, headers=AUTH)
    assert mine.status_code == 200 and mine.json()["ok"], mine.text
    assert mine.json()["user"] == USER
    assert logged_users(sheets, apply_to_values(sheets, mine.json())) == [USER]
    assert "boss" not in mine.text

    # the same body with the colleague's token: History names the colleague
    theirs = client.post(
        "/api/v1/actions/approve",
        json=claim,
        headers={"Authorization": f"Bearer {COLLEAGUE_TOKEN}"},
    )
    assert logged_users(sheets, apply_to_values(sheets, theirs.json())) == [COLLEAGUE]


def test_whoami_names_the_tokens_user(client: TestClient) -> None:
    assert client.get("/api/v1/me", headers=AUTH).json() == {"user": USER}
    assert client.get("/api/v1/me").status_code == 401
    assert (
        client.get("/api/v1/me", headers={"Authorization": "Bearer nobody-0123456789"}).status_code
        == 401
    )


def test_a_deleted_line_revokes_at_once_and_a_new_user_needs_no_restart(
    client: TestClient, app_settings: ServerSettings
) -> None:
    assert client.get("/api/v1/me", headers=AUTH).status_code == 200
    write_users(
        app_settings.users_file, {COLLEAGUE: COLLEAGUE_TOKEN, "李娜": "third-token-0123456789"}
    )
    assert client.get("/api/v1/me", headers=AUTH).status_code == 401
    newcomer = {"Authorization": "Bearer third-token-0123456789"}
    assert client.get("/api/v1/me", headers=newcomer).json() == {"user": "李娜"}
    app_settings.users_file.write_text("sha256:not-hex 李娜\n", encoding="utf-8")
    assert client.get("/api/v1/me", headers=newcomer).status_code == 401, (
        "a broken file lets nobody in"
    )


def test_no_byte_of_the_body_is_read_without_a_users_token(app_settings: ServerSettings) -> None:
    reached: list[str] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        reached.append("app")

    async def receive() -> dict[str, Any]:
        reached.append("body")
        return {"type": "http.request", "body": b"{}", "more_body": False}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    gate = RequestSizeLimit(inner, limit=1000, users=UserDirectory(app_settings.users_file))

    def post(authorization: bytes) -> int:
        reached.clear()
        sent.clear()
        headers = [(b"authorization", authorization), (b"content-length", b"47000000")]
        scope = {
            "type": "http",
            "method": "POST",
            "path": "/api/v1/actions/run",
            "headers": headers,
        }
        asyncio.run(gate(scope, receive, send))
        return int(sent[0]["status"])

    assert post(b"Bearer wrong-token-0123456789") == 401
    assert reached == [], "neither the body nor the app was touched"
    assert post(f"Bearer {TOKEN}".encode()) == 413, "a user's token, then the size"
    assert reached == []


# --------------------------------------------------------------------------- documents


def test_documents_are_downloadable_until_they_expire(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    report = tmp_path / "资信报告_C001.docx"
    report.write_bytes(b"PK fake docx")
    real = credit_register.app.usecases.run_action

    def with_document(request: Any, port: Any, **kwargs: Any) -> Any:
        result = real(request, port, **kwargs)
        result.documents = [report]
        return result

    monkeypatch.setattr(credit_register.app.usecases, "run_action", with_document)
    body = client.post("/api/v1/actions/report", json={"sheets": {}}, headers=AUTH).json()
    (doc,) = body["documents"]
    assert doc["name"] == "资信报告_C001.docx"
    assert not report.exists(), "the server keeps no copy on disk"
    download = client.get(doc["url"])
    assert download.status_code == 200 and download.content == b"PK fake docx"
    assert "attachment" in download.headers["content-disposition"]

    store = client.app.state.documents  # type: ignore[attr-defined]
    later = time.monotonic() + store.ttl + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert client.get(doc["url"]).status_code == 404
    assert len(store) == 0


def test_a_report_through_the_add_in_names_no_server_path(
    after_run: dict[str, Any], client: TestClient
) -> None:
    selected = {"sheet": tab(after_run, RATINGS), "rows": [2]}
    answer = client.post(
        "/api/v1/actions/report", json={"sheets": after_run, "selection": selected}, headers=AUTH
    )
    assert answer.status_code == 200 and answer.json()["ok"], answer.text
    (document,) = answer.json()["documents"]
    assert document["url"].startswith("/api/v1/documents/")
    assert tempfile.gettempdir() not in answer.text
    assert "credit-register-" not in answer.text
    # where the files are, in the user's terms: the pane's list of documents
    assert "“文件”列表" in answer.json()["message"] or "Documents list" in answer.json()["message"]


def test_after_a_run_the_server_holds_no_workbook_data(client: TestClient) -> None:
    sheets = {**MINIMAL, "客户": [["客户编号", "客户名称"], ["C001", "华东机械"]]}
    assert client.post("/api/v1/actions/run", json={"sheets": sheets}, headers=AUTH).is_success
    assert len(client.app.state.documents) == 0  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- schemathesis


def test_the_api_gives_no_server_error_for_generated_input(app_settings: ServerSettings) -> None:
    import hypothesis
    import schemathesis
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(app_settings))

    @hypothesis.settings(
        max_examples=6,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=schema["/api/v1/actions/run"]["POST"].as_strategy())
    def generated(case: Any) -> None:
        for headers in (AUTH, {}):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

    generated()
    for action in dashboard.PANE_ACTIONS:
        strategy = schema[f"/api/v1/actions/{action.key}"]["POST"].as_strategy()

        @hypothesis.settings(
            max_examples=1,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        @hypothesis.given(case=strategy)
        def each(case: Any) -> None:
            case.call_and_validate(headers=AUTH, checks=[not_a_server_error])

        each()


# --------------------------------------------------------------------------- the command


def test_serve_issues_tokens_and_refuses_to_start_without_users_or_certificate(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("CREDIT_REGISTER_"):
            monkeypatch.delenv(name)
    parser = argparse.ArgumentParser()
    server.add_serve_parser(parser.add_subparsers(dest="command"))

    def serve(*args: str) -> int:
        return server.serve_main(parser.parse_args(["serve", *args]))

    assert serve() == 2
    assert "--add-user" in capsys.readouterr().err, "no users yet: how to add one"
    assert serve("--add-user", "王丽") == 0
    token = capsys.readouterr().out.split()
    issued = next(word for word in token if len(word) >= 32 and "." not in word)
    users = tmp_path / "users.txt"
    assert issued not in users.read_text("utf-8"), "the file keeps only the token's hash"
    assert UserDirectory(users).identify(issued) == "王丽"
    assert serve("--add-user", "王丽") == 2, "one token per user: revoke first"
    assert "--remove-user" in capsys.readouterr().err

    assert serve() == 2
    assert "CREDIT_REGISTER_CERT_FILE" in capsys.readouterr().err
    monkeypatch.setenv("CREDIT_REGISTER_TOKEN", TOKEN)
    assert serve() == 2
    assert "--add-user" in capsys.readouterr().err, "the old shared token: what to do instead"
    monkeypatch.delenv("CREDIT_REGISTER_TOKEN")

    assert serve("--remove-user", "王丽") == 0
    assert UserDirectory(users).identify(issued) is None
    assert serve("--remove-user", "王丽") == 2

    target = tmp_path / "manifest.xml"
    monkeypatch.setenv("CREDIT_REGISTER_ALLOWED_ORIGIN", "https://credit.example.com")
    assert serve("--write-manifest", str(target)) == 0
    assert "https://credit.example.com/taskpane/taskpane.html" in target.read_text("utf-8")


def test_the_address_serve_prints_opens_the_pane(client: TestClient) -> None:
    for path in ("/taskpane/", "/taskpane", "/"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "<title>客户资信管理 Credit Register</title>" in page.text
    actions = client.get("/taskpane/actions.js")
    assert actions.text.startswith("window.CREDIT_REGISTER_ACTIONS = ")
    listed = json.loads(actions.text.split(" = ", 1)[1].rstrip(";\n"))
    assert [a["key"] for a in listed] == [a.key for a in dashboard.PANE_ACTIONS]


# --------------------------------------------------------------------------- the manifest

OFFICE = "{http://schemas.microsoft.com/office/appforoffice/1.1}"
BT = "{http://schemas.microsoft.com/office/officeappbasictypes/1.0}"
OV = "{http://schemas.microsoft.com/office/taskpaneappversionoverrides}"
#: the OfficeApp children of a TaskPaneApp in the order Microsoft's schema requires
#: (learn.microsoft.com, "OfficeApp element"); True = required
TASKPANE_ORDER = [
    ("Id", True),
    ("AlternateId", False),
    ("Version", True),
    ("ProviderName", True),
    ("DefaultLocale", True),
    ("DisplayName", True),
    ("Description", True),
    ("IconUrl", True),
    ("HighResolutionIconUrl", False),
    ("SupportUrl", True),
    ("AppDomains", False),
    ("Hosts", False),
    ("Requirements", False),
    ("DefaultSettings", True),
    ("Permissions", True),
    ("VersionOverrides", False),
]


def structural_problems(xml: bytes, origin: str) -> list[str]:
    root = etree.fromstring(xml)
    problems = []
    if root.tag != f"{OFFICE}OfficeApp":
        problems.append("root is not OfficeApp")
    names = [etree.QName(c).localname for c in root if isinstance(c.tag, str)]
    order = [n for n, _ in TASKPANE_ORDER]
    for name, required in TASKPANE_ORDER:
        if required and name not in names:
            problems.append(f"missing {name}")
    positions = [order.index(n) for n in names if n in order]
    if positions != sorted(positions):
        problems.append(f"elements out of order: {names}")
    problems += [f"unexpected {n}" for n in names if n not in order]
    resources = root.find(f"{OV}VersionOverrides/{OV}Resources")
    defined = (
        {el.get("id") for el in resources.iter() if el.get("id")}
        if resources is not None
        else set()
    )
    for el in root.iter():
        resid = el.get("resid")
        if resid is not None:
            if resid not in defined:
                problems.append(f"unresolved resid {resid}")
            if len(resid) > 32:
                problems.append(f"resid longer than 32 characters: {resid}")
    for el in root.iter():
        for attr in ("DefaultValue", "Value"):
            value = el.get(attr) or ""
            if value.startswith("http") and not value.startswith(origin + "/"):
                problems.append(f"URL off the origin: {value}")
        named = etree.QName(el).localname in ("AppDomain", "SourceLocation")
        if named and el.text and not el.text.startswith(origin):
            problems.append(f"URL off the origin: {el.text}")
    if not origin.startswith("https://"):
        problems.append("origin is not HTTPS")
    return problems


def test_the_committed_manifest_is_the_generated_one_and_well_formed() -> None:
    committed = (ADDIN / "manifest.xml").read_text("utf-8")
    assert committed == render_manifest(DEFAULT_ORIGIN)
    assert structural_problems(committed.encode(), DEFAULT_ORIGIN) == []
    # one ribbon button per Dashboard action
    root = etree.fromstring(committed.encode())
    functions = [el.text for el in root.iter(f"{OV}FunctionName")]
    assert sorted(functions) == sorted(a.key for a in dashboard.PANE_ACTIONS)
    for size in (16, 32, 64, 80):
        png = (ADDIN / "assets" / f"icon-{size}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == size


def test_the_structural_check_catches_a_broken_manifest() -> None:
    good = render_manifest("https://credit.example.com")
    assert structural_problems(good.encode(), "https://credit.example.com") == []
    broken = good.replace('resid="Taskpane.Url"', 'resid="Nowhere.Url"').replace(
        "https://credit.example.com/assets/icon-16.png", "http://cdn.example.net/icon.png"
    )
    problems = structural_problems(broken.encode(), "https://credit.example.com")
    assert "unresolved resid Nowhere.Url" in problems
    assert "URL off the origin: http://cdn.example.net/icon.png" in problems
    swapped = good.replace("<Version>0.1.0.0</Version>", "").replace(
        "<Id>", "<Version>0.1.0.0</Version><Id>"
    )
    assert any(
        "out of order" in p
        for p in structural_problems(swapped.encode(), "https://credit.example.com")
    )


def test_the_ribbon_is_a_tab_of_its_own_with_at_most_six_controls_a_group() -> None:
    root = etree.fromstring(render_manifest(DEFAULT_ORIGIN).encode())
    surface = root.find(
        f".//{OV}ExtensionPoint[@{{http://www.w3.org/2001/XMLSchema-instance}}type"
        "='PrimaryCommandSurface']"
    )
    assert surface is not None
    assert surface.find(f"{OV}OfficeTab") is None, "nothing added to Home"
    (tab,) = surface.findall(f"{OV}CustomTab")
    groups = tab.findall(f"{OV}Group")
    counts = {g.get("id"): len(g.findall(f"{OV}Control")) for g in groups}
    assert len(groups) >= 2 and all(1 <= n <= 6 for n in counts.values()), counts
    assert sum(counts.values()) == len(dashboard.PANE_ACTIONS) + 1, "every action and the pane"
    # the tab's label comes after its groups (the schema's order)
    assert etree.QName(tab[-1]).localname == "Label"
    # the rule is checked when the manifest is made, not only here
    crowded = RibbonGroup("All", "全部", "All", ("pane", *(a.key for a in dashboard.PANE_ACTIONS)))
    assert len(crowded.controls) > MAX_GROUP_CONTROLS
    with pytest.raises(ValueError, match="more than 6"):
        check_ribbon((crowded,))
    with pytest.raises(ValueError, match="not the pane and the actions"):
        check_ribbon((RibbonGroup("Few", "少", "Few", ("pane", "run")),))


def test_office_addin_manifest_reads_the_manifest_back() -> None:
    tool = ADDIN_TOOLS / "node_modules" / ".bin" / "office-addin-manifest"
    need(str(tool) if tool.exists() else None, "office-addin-manifest (npm ci in addin/)")
    out = subprocess.run(
        [str(tool), "info", str(ADDIN / "manifest.xml")],
        cwd=ADDIN_TOOLS,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "Type: TaskPaneApp" in out.stdout
    assert "Hosts: Workbook" in out.stdout
    assert "Source Location: https://localhost:3000/taskpane/taskpane.html" in out.stdout


# --------------------------------------------------------------------------- node and Chromium


def test_the_task_pane_logic_passes_its_node_tests() -> None:
    node = shutil.which("node")
    need(node, "node")
    out = subprocess.run(
        [str(node), "--test", "tests/addin/"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "# fail 0" in out.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def running_server(app_settings: ServerSettings) -> Iterator[str]:
    import uvicorn

    port = free_port()
    config = uvicorn.Config(
        create_app(app_settings), host="127.0.0.1", port=port, log_level="warning"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


def test_the_task_pane_in_chromium_runs_and_writes_the_cells(
    running_server: str, register_file: Path, tmp_path: Path
) -> None:
    node = shutil.which("node")
    need(node, "node")
    need("/usr/bin/chromium", "chromium (apt-get install -y chromium)")
    need(
        str(ADDIN_TOOLS / "node_modules" / "playwright-core")
        if (ADDIN_TOOLS / "node_modules" / "playwright-core").exists()
        else None,
        "playwright-core (npm ci in addin/)",
    )
    sheets = office_values(register_file)
    payload = tmp_path / "register.json"
    payload.write_text(json.dumps({"sheets": sheets}, ensure_ascii=False), "utf-8")
    shot = os.environ.get("CREDIT_REGISTER_SCREENSHOT", "")
    out = subprocess.run(
        [
            str(node),
            "tests/addin/browser_run.mjs",
            running_server,
            TOKEN,
            str(payload),
            "run",
            *([shot] if shot else []),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    seen = json.loads(out.stdout)
    assert seen["errors"] == []
    assert seen["user"] == f"当前用户：{USER}", "the pane shows whom History names"
    assert all(not s["refused"] for s in seen["syncLog"]), "no sync over Excel on the web's limit"
    board_tab = next(n for n in seen["sheets"] if n in ("控制台", "Dashboard"))
    issues_tab = next(n for n in seen["sheets"] if n in ("问题", "Issues"))
    board = seen["sheets"][board_tab]
    outcome = board[10][2]
    assert seen["status"] == outcome  # the pane shows what the Dashboard now says
    errors = int(board[11][2])
    issue_rows = seen["sheets"][issues_tab][1:]
    assert sum(row[1] in ("错误", "error") for row in issue_rows) == errors
    assert len(issue_rows) == len(seen["issueLinks"]) or len(seen["issueLinks"]) == 500
    assert seen["dialog"] == {
        "lines": ["第一行", "<b>不是标记</b>"],
        "bold": 0,
        "links": [["资信报告_C001.docx", "/api/v1/documents/abc_123"]],
    }
    if seen["issueLinks"]:  # the first issue's link selected its cell
        assert seen["selected"] is not None
        assert seen["selected"].endswith(seen["issueLinks"][0].split("!")[-1].split(":")[0])


def test_the_add_in_carries_the_package_version_from_its_one_home() -> None:
    """pyproject.toml holds the version; the manifest is rendered with it, and the add-in's
    npm package (its test tools) says the same."""
    from credit_register import __version__

    root = etree.fromstring(render_manifest(DEFAULT_ORIGIN).encode())
    assert root.findtext(
        "{http://schemas.microsoft.com/office/appforoffice/1.1}Version"
    ) == ".".join([*__version__.split(".")[:3], "0"])
    package = json.loads((Path(__file__).parents[1] / "addin" / "package.json").read_text())
    assert package["version"] == __version__
