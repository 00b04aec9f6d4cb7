"""What an attacker (or an unlucky colleague) found, each closed: templates that run code, an
error log a planted link could redirect, a download header a customer ID could break, settings
and arguments that ended in "internal error". (The server's token before the body and the
token's user in History are in ``test_server``.)"""

from __future__ import annotations

import datetime as dt
import os
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jinja2.exceptions import SecurityError

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from credit_register.adapters.error_log import write_error_log
from credit_register.adapters.xlsx import FileWorkbook
from credit_register.app.pipeline import load_register
from credit_register.cli import main
from credit_register.core import dashboard
from credit_register.core.schema import DASHBOARD, HISTORY
from credit_register.documents import rendering as documents
from credit_register.server import ServerSettings, create_app
from support.tampering import set_cell_value

TOKEN = "test-token-0123456789"


def cli(*args: str | Path) -> int:
    return main([str(a) for a in args])


# --------------------------------------------------------------------------- templates


def test_a_template_with_a_jinja_payload_does_not_run_it(tmp_path: Path) -> None:
    marker = tmp_path / "owned"
    payload = (
        "{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}"
        "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    )
    template = tmp_path / "letter_zh.docx"
    shipped = documents.template_path("letter", "zh")
    with zipfile.ZipFile(shipped) as source, zipfile.ZipFile(template, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(
                    b"<w:body>",
                    b"<w:body><w:p><w:r><w:t>" + payload.encode() + b"</w:t></w:r></w:p>",
                )
            target.writestr(info, data)

    with pytest.raises(SecurityError):
        documents.render(template, {"customer": "ACME"}, tmp_path / "out.docx")
    assert not marker.exists()


# --------------------------------------------------------------------------- the server


def test_a_customer_id_cannot_break_the_download_header(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    users.write_text("", encoding="utf-8")
    app = create_app(ServerSettings(users_file=users, allow_http=True, _env_file=None))
    doc_id, _ = app.state.documents.put('contract_C"1\r\nSet-Cookie: x=1_20261031.docx', b"PK")
    answer = TestClient(app).get(f"/api/v1/documents/{doc_id}")
    assert answer.status_code == 200
    header = answer.headers["content-disposition"]
    assert "\r" not in header and "\n" not in header and "set-cookie" not in answer.headers
    assert header.startswith('attachment; filename="contract_C_1__Set-Cookie_ x=1_20261031.docx"')
    assert "filename*=UTF-8''contract_C%221%0D%0ASet-Cookie" in header


# --------------------------------------------------------------------------- the error log


def test_the_error_log_is_the_users_own_and_a_planted_link_is_not_followed(
    demo_copy: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    folder = tmp_path / "cache" / "credit-register"
    folder.mkdir(parents=True)
    (folder / "error.log").symlink_to(victim)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr("credit_register.app.usecases.run_action", broken)
    assert cli("validate", demo_copy()) == 2
    err = capsys.readouterr().err
    assert victim.read_text() == "precious"
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "RuntimeError" in err

    (folder / "error.log").unlink()
    assert cli("validate", demo_copy()) == 2
    assert str(folder / "error.log") in capsys.readouterr().err
    assert "RuntimeError: a bug" in (folder / "error.log").read_text()
    assert oct((folder / "error.log").stat().st_mode & 0o777) == "0o600"


def test_the_error_log_refuses_another_users_file(tmp_path: Path) -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs chown (root)")
    (tmp_path / "error.log").write_text("theirs")
    os.chown(tmp_path / "error.log", 65534, 65534)
    with pytest.raises(OSError, match="not this user's own file"):
        write_error_log("details", tmp_path)
    assert (tmp_path / "error.log").read_text() == "theirs"


# --------------------------------------------------------------------------- named problems


def test_a_bad_smtp_setting_is_named(
    demo_copy: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CREDIT_REGISTER_SMTP_PORT", "abc")
    assert cli("review", demo_copy(), "--send", "--out", tmp_path / "docs") == 2
    err = capsys.readouterr().err
    assert "CREDIT_REGISTER_SMTP_PORT='abc'" in err and "internal error" not in err


def test_an_impossible_as_of_date_is_named(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli("run", demo_copy(), "--as-of", "9999-12-31")
    assert stopped.value.code == 2
    assert "9999-12-31" in capsys.readouterr().err


def test_an_impossible_as_of_date_on_the_dashboard_falls_back_to_today(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_copy()
    set_cell_value(path, DASHBOARD.zh, dashboard.AS_OF.cell, "<v>2958465</v>")  # 9999-12-31
    assert cli("run", path) == 0
    out = capsys.readouterr().out
    assert f"控制台!{dashboard.AS_OF.cell}" in out and "9999-12-31" in out
    book = FileWorkbook(path)
    register = load_register(book.read(), book.label, today=dt.date.today()).register
    assert register.as_of == dt.date.today()
    assert len(register.frame(HISTORY.key))


def test_a_5001_character_customer_id_ends_in_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from credit_register.tools.build import build_workbook
    from credit_register.tools.demo import DEMO_AS_OF, demo_tables

    tables = demo_tables()
    long_id = "C" * 5001
    for frame in tables.values():
        if "customer_id" in frame:
            frame.loc[frame["customer_id"] == "C00007", "customer_id"] = long_id
    path = build_workbook(tmp_path / "r.xlsm", tables=tables, as_of=DEMO_AS_OF)

    assert cli("run", path) == 1
    out = capsys.readouterr().out
    assert "5001 characters long, over the limit of 64" in out
    assert cli("report", path, "--customer", long_id, "--out", tmp_path / "docs") == 2
    captured = capsys.readouterr()
    assert "internal error" not in captured.err and "data errors" in captured.out


def test_an_infinite_amount_argument_is_named(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        cli("check-order", demo_copy(), "--customer", "C00001", "--amount", "inf")
    assert "'inf'" in capsys.readouterr().err
