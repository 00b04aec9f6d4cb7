"""E-mailing the monthly review pack: a real SMTP server on loopback receives it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from credit_register.adapters import mail
from credit_register.app import document_actions as doc_usecases
from credit_register.app import review_mail
from credit_register.core.schema import HISTORY
from credit_register.engines.results import Results
from support.demo_run import demo_results
from support.smtp import BAD, Inbox, loopback_smtp


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, mail.SmtpMailer]]:
    with loopback_smtp() as (inbox, settings):
        yield inbox, mail.SmtpMailer(settings)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    base = demo_results(tmp_path_factory)
    reviews = base.policy.reviews.model_copy(
        update={"distribution": ("cfo@hengyuan-demo.cn", BAD, "risk@hengyuan-demo.cn")}
    )
    return dataclasses.replace(base, policy=base.policy.model_copy(update={"reviews": reviews}))


@pytest.fixture(scope="module")
def pack(results: Results, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("pack")
    return [doc_usecases.review_pack(results, "2026-10", out_dir=out)]


def _with_history(results: Results, rows: list[list[Any]]) -> Results:
    table = results.register.tables[HISTORY.key]
    added = pd.DataFrame(rows, columns=[c.key for c in HISTORY.columns]).assign(
        _row=range(2, 2 + len(rows)), _error=False
    )
    frame = pd.concat([table.frame, added], ignore_index=True) if len(table.frame) else added
    tables = {**results.register.tables, HISTORY.key: dataclasses.replace(table, frame=frame)}
    return dataclasses.replace(
        results, register=dataclasses.replace(results.register, tables=tables)
    )


def test_the_pack_reaches_every_reader_but_the_refused_one(
    smtp: tuple[Inbox, mail.SmtpMailer], results: Results, pack: list[Path], tmp_path: Path
) -> None:
    inbox, mailer = smtp
    expected = review_mail.review_recipients(results, "2026-10")
    # the Policy's list first, then the account managers of the customers the pack names
    assert expected[:3] == ["cfo@hengyuan-demo.cn", BAD, "risk@hengyuan-demo.cn"]
    managers = set(results.register.frame("customers")["manager_email"].dropna())
    assert set(expected[3:]) <= managers and expected[3:]

    report, changes = review_mail.send_review(
        results,
        "2026-10",
        pack,
        send=True,
        force=False,
        outbox=tmp_path,
        mailer=mailer,
        user="lina",
        when=dt.datetime(2026, 11, 2, 8, 30),
    )

    assert list(report.failed) == [BAD] and "550" in report.failed[BAD]
    assert report.sent == [r for r in expected if r != BAD]
    received = {next(iter(to)): message for to, message in inbox.messages}
    assert set(received) == set(report.sent)
    message = received["cfo@hengyuan-demo.cn"]
    assert message["Subject"] == "月度信用评审报告 2026-10"
    assert message["From"] == "credit@hengyuan-demo.cn"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == pack[0].name
    assert attachment.get_content() == pack[0].read_bytes()
    # the send log: one History row per delivery, none for the refused reader
    log = changes.append[HISTORY.key]
    assert [row[7] for row in log] == report.sent
    assert log[0][:3] == [dt.datetime(2026, 11, 2, 8, 30), "lina", "发送月度评审包"]
    assert log[0][6] == "2026-10"
    assert not list(tmp_path.iterdir())  # sending writes no outbox


def test_the_same_month_is_not_sent_twice_unless_forced(
    smtp: tuple[Inbox, mail.SmtpMailer], results: Results, pack: list[Path], tmp_path: Path
) -> None:
    inbox, mailer = smtp
    first, changes = review_mail.send_review(
        results, "2026-10", pack, send=True, force=False, outbox=tmp_path, mailer=mailer
    )
    after = _with_history(results, changes.append[HISTORY.key])
    count = len(inbox.messages)

    again, log = review_mail.send_review(
        after, "2026-10", pack, send=True, force=False, outbox=tmp_path, mailer=mailer
    )
    assert again.sent == [] and not log
    assert sorted(again.skipped) == sorted(first.sent)
    assert list(again.failed) == [BAD]  # never delivered, so tried again
    assert len(inbox.messages) == count

    forced, _ = review_mail.send_review(
        after, "2026-10", pack, send=True, force=True, outbox=tmp_path, mailer=mailer
    )
    assert forced.sent == first.sent
    assert len(inbox.messages) == count + len(first.sent)
    # another month is a new send
    other, _ = review_mail.send_review(
        after, "2026-11", pack, send=True, force=False, outbox=tmp_path, mailer=mailer
    )
    assert other.skipped == []


def test_without_send_the_messages_wait_in_the_outbox(
    results: Results, pack: list[Path], tmp_path: Path
) -> None:
    mailer = mail.SmtpMailer(
        mail.SmtpSettings(host="127.0.0.1", port=9, sender="credit@hengyuan-demo.cn")
    )
    report, changes = review_mail.send_review(
        results, "2026-10", pack, send=False, force=False, outbox=tmp_path, mailer=mailer
    )
    assert not changes and report.sent == []
    assert len(report.written) == len(review_mail.review_recipients(results, "2026-10"))
    parsed = email.message_from_bytes(report.written[0].read_bytes(), policy=default)
    assert isinstance(parsed, EmailMessage)
    assert parsed["To"] == "cfo@hengyuan-demo.cn"
    assert [a.get_filename() for a in parsed.iter_attachments()] == [pack[0].name]


def test_an_unreachable_server_is_reported_for_each_reader(
    results: Results, pack: list[Path], tmp_path: Path
) -> None:
    mailer = mail.SmtpMailer(
        mail.SmtpSettings(host="127.0.0.1", port=1, security="none", timeout=2)
    )
    report, changes = review_mail.send_review(
        results, "2026-10", pack, send=True, force=False, outbox=tmp_path, mailer=mailer
    )
    assert report.sent == [] and not changes
    assert set(report.failed) == set(review_mail.review_recipients(results, "2026-10"))


def test_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "CREDIT_REGISTER_SMTP_HOST=smtp.example.cn\nCREDIT_REGISTER_SMTP_PASSWORD=s3cret\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CREDIT_REGISTER_SMTP_PORT", "465")
    monkeypatch.setenv("CREDIT_REGISTER_SMTP_SECURITY", "ssl")
    settings = mail.SmtpSettings()
    assert (settings.host, settings.port, settings.security) == ("smtp.example.cn", 465, "ssl")
    assert settings.password is not None and settings.password.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(settings)
