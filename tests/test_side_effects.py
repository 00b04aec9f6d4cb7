"""Nothing leaves the machine that the register could not record, and nothing is sent twice.

With Excel holding the file, ``review --send`` used to mail everyone, record nothing, and send
everything again on the retry after Excel was closed; ``letters`` wrote 45 letters and then
failed. Now the register is checked before any document or e-mail, each delivery is journalled
beside the register the moment it happens, and the journal reaches History with the next write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from credit_register.adapters import mail
from credit_register.adapters.xlsx import FileWorkbook, lock_path
from credit_register.adapters.xlsx.journal import journal_file
from credit_register.app.pipeline import load_register
from credit_register.app.review_mail import SEND_ACTION
from credit_register.cli import main
from credit_register.core.port import SendReport
from credit_register.core.schema import HISTORY
from credit_register.tools.build import build_workbook
from credit_register.tools.demo import DEMO_AS_OF, demo_tables
from support.smtp import Inbox, loopback_smtp


def cli(*args: str | Path) -> int:
    return main([str(a) for a in args])


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A loopback SMTP server the command line reaches through its settings."""
    with loopback_smtp() as (inbox, settings):
        monkeypatch.setenv("CREDIT_REGISTER_SMTP_HOST", settings.host)
        monkeypatch.setenv("CREDIT_REGISTER_SMTP_PORT", str(settings.port))
        monkeypatch.setenv("CREDIT_REGISTER_SMTP_SECURITY", "none")
        yield inbox


def sent_rows(path: Path) -> list[str]:
    """The recipients History records a delivery of the review pack for."""
    book = FileWorkbook(path)
    history = load_register(book.read(), book.label, today=dt.date.today()).register.frame(
        HISTORY.key
    )
    sends = history.loc[history["action"].isin(SEND_ACTION), "reason"]
    return [str(r) for r in sends]


def test_review_send_under_excels_lock_sends_nothing(
    demo_copy: Callable[..., Path],
    smtp: Inbox,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = demo_copy()
    lock_path(path).write_bytes(b"Excel")
    documents = tmp_path / "documents"

    assert cli("review", path, "--send", "--out", documents) == 2
    assert "open in Excel" in capsys.readouterr().err
    assert smtp.messages == []
    assert not documents.exists()  # not even the pack was written


def test_a_send_whose_write_fails_is_never_sent_again(
    demo_copy: Callable[..., Path],
    smtp: Inbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = demo_copy()
    deliver = mail.send_messages

    def excel_opens_it_meanwhile(*args: Any, **kwargs: Any) -> SendReport:
        report = deliver(*args, **kwargs)
        lock_path(path).write_bytes(b"Excel")  # a colleague opened the register while we sent
        return report

    monkeypatch.setattr(mail, "send_messages", excel_opens_it_meanwhile)
    assert cli("review", path, "--send", "--out", tmp_path) == 2
    first = list(smtp.recipients)
    assert first and "open in Excel" in capsys.readouterr().err
    assert journal_file(path).exists()  # the deliveries are on record beside the register

    monkeypatch.setattr(mail, "send_messages", deliver)
    lock_path(path).unlink()  # Excel closed; the scheduled job tries again
    assert cli("review", path, "--send", "--out", tmp_path) == 0
    assert smtp.recipients == first  # nobody got the pack twice
    assert "跳过（本月已发送）" in capsys.readouterr().out
    assert sorted(sent_rows(path)) == sorted(first)  # each delivery in History once
    assert not journal_file(path).exists()


def test_letters_under_excels_lock_write_no_letter(
    demo_copy: Callable[..., Path], tmp_path: Path
) -> None:
    path = demo_copy()
    lock_path(path).write_bytes(b"Excel")
    assert cli("letters", path, "--out", tmp_path / "letters") == 2
    assert not (tmp_path / "letters").exists()


def test_an_address_validation_calls_invalid_never_receives_the_pack(
    tmp_path: Path, smtp: Inbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """A manager cell with a second, broken address on its own line: validation warns about
    that part, and mail goes to the working one only (one rule, ``core.addresses``)."""
    tables = demo_tables()
    customers = tables["customers"]
    broken = "mallory@evil"  # no top-level domain: not a working address
    customers["manager_email"] = customers["manager_email"].astype(object)
    customers.loc[customers.index[::2], "manager_email"] = (
        customers.loc[customers.index[::2], "manager_email"] + "\n" + broken
    )
    path = build_workbook(tmp_path / "r.xlsm", tables=tables, as_of=DEMO_AS_OF)

    assert cli("validate", path) == 0  # a warning, not an error
    assert broken in capsys.readouterr().out
    assert cli("review", path, "--send", "--out", tmp_path / "documents") == 0
    received = set(smtp.recipients)
    assert received  # the working addresses still get it
    assert not any(address.startswith("mallory") for address in received)
