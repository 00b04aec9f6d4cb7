"""E-mail: the monthly review pack to its readers, through the company's SMTP server or an outbox.

A credit manager must be able to check what would go out before anything does, so without
``--send`` each message is written as an ``.eml`` file (opens in Outlook or Thunderbird, ready to
send by hand). With ``--send`` the messages go through SMTP one recipient at a time, so a refused
address is reported while every other reader still gets the pack. What was delivered is logged
as History rows (the register's audit trail), and a second send of the same month skips those who
already have it unless forced: a scheduled job that runs twice must not mail the board twice.

Settings come from the environment or a ``.env`` file (prefix ``CREDIT_REGISTER_SMTP_``):
``HOST``, ``PORT``, ``SECURITY`` (``starttls``, ``ssl`` or ``none``), ``USER``, ``PASSWORD``,
``SENDER``, ``TIMEOUT``. The password is a ``SecretStr``: it never appears in a log or a repr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import mimetypes
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from credit_register.core.port import CellValue
from credit_register.core.schema import Language, normalise_label

#: the History ``action`` of a delivered review pack, per language
SEND_ACTION = ("发送月度评审包", "send review pack")
#: the History ``field`` naming what the row is about
MONTH_FIELD = ("月份", "month")


class SmtpSettings(BaseSettings):
    """How to reach the SMTP server (environment or ``.env``, prefix CREDIT_REGISTER_SMTP_)."""

    model_config = SettingsConfigDict(
        env_prefix="CREDIT_REGISTER_SMTP_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    host: str = "localhost"
    port: int = 587
    security: Literal["starttls", "ssl", "none"] = "starttls"
    user: str | None = None
    password: SecretStr | None = None
    sender: str = "credit-register@localhost"
    timeout: float = 30.0


@dataclass
class SendReport:
    """What happened to each recipient: delivered, refused (with the server's reason), skipped
    (already has this month's pack), or written to the outbox."""

    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self, lang: Language) -> str:
        if lang == "zh":
            return (
                f"已发送 {len(self.sent)}，失败 {len(self.failed)}，跳过（本月已发送）"
                f"{len(self.skipped)}，写入发件箱 {len(self.written)}"
            )
        return (
            f"sent {len(self.sent)}, failed {len(self.failed)}, skipped (already sent this "
            f"month) {len(self.skipped)}, written to the outbox {len(self.written)}"
        )


def build_message(
    *, sender: str, recipient: str, subject: str, body: str, attachments: Sequence[Path] = ()
) -> EmailMessage:
    """One message to one recipient, with the files attached under their own names."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body)
    for path in attachments:
        kind, _ = mimetypes.guess_type(path.name)
        maintype, subtype = (kind or "application/octet-stream").split("/", 1)
        message.add_attachment(
            path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name
        )
    return message


def _safe(name: str) -> str:
    return re.sub(r"[^\w.@-]+", "_", name)


def write_outbox(messages: Sequence[EmailMessage], outbox: Path, stem: str) -> list[Path]:
    """Each message as ``<stem>_<recipient>.eml`` in ``outbox``."""
    outbox.mkdir(parents=True, exist_ok=True)
    written = []
    for message in messages:
        path = outbox / f"{_safe(stem)}_{_safe(str(message['To']))}.eml"
        path.write_bytes(message.as_bytes())
        written.append(path)
    return written


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            timeout=settings.timeout,
            context=ssl.create_default_context(),
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        if settings.security == "starttls":
            client.starttls(context=ssl.create_default_context())
    if settings.user:
        password = settings.password.get_secret_value() if settings.password else ""
        client.login(settings.user, password)
    return client


def _decoded(text: bytes | str) -> str:
    return text.decode(errors="replace") if isinstance(text, bytes) else text


def send_messages(messages: Sequence[EmailMessage], settings: SmtpSettings) -> SendReport:
    """Deliver each message; a refused recipient (or a dropped connection) is reported for that
    message and the others still go. An unreachable server fails every message, with why."""
    report = SendReport()
    client: smtplib.SMTP | None = None
    try:
        for message in messages:
            recipient = str(message["To"])
            try:
                if client is None:
                    client = _connect(settings)
                client.send_message(message)
                report.sent.append(recipient)
            except smtplib.SMTPRecipientsRefused as exc:
                reasons = [f"{code} {_decoded(text)}" for code, text in exc.recipients.values()]
                report.failed[recipient] = "; ".join(reasons)
            except (smtplib.SMTPException, OSError) as exc:
                report.failed[recipient] = f"{type(exc).__name__}: {exc}"
                if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
                    client = None  # reconnect for the next recipient
    finally:
        if client is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                client.quit()
    return report


def already_sent(history: pd.DataFrame, month: str) -> set[str]:
    """Recipients (case-folded) whose delivery of ``month``'s pack History records."""
    if history.empty:
        return set()
    actions = {normalise_label(a) for a in SEND_ACTION}
    mine = history["action"].fillna("").astype(str).map(normalise_label).isin(actions)
    month_rows = history["new"].astype(str).str.strip() == month
    return {str(r).strip().casefold() for r in history.loc[mine & month_rows, "reason"].dropna()}


def send_log_rows(
    delivered: Sequence[str], month: str, *, user: str, when: dt.datetime, lang: Language
) -> list[list[CellValue]]:
    """History rows (``schema.HISTORY`` order) for each delivered pack: the send log."""
    action = SEND_ACTION[0] if lang == "zh" else SEND_ACTION[1]
    month_field = MONTH_FIELD[0] if lang == "zh" else MONTH_FIELD[1]
    stamp = when.replace(microsecond=0)
    return [[stamp, user, action, None, month_field, None, month, address] for address in delivered]
