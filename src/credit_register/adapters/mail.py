"""E-mail out: the monthly review pack through the company's SMTP server, or as ``.eml`` files.

``SmtpMailer`` is the ``Mailer`` of ``core.port`` that the doors hand the use cases. A credit
manager must be able to check what would go out before anything does, so ``write`` puts each
message in an ``.eml`` file (opens in Outlook or Thunderbird, ready to send by hand). ``send``
goes through SMTP one recipient at a time, so a refused address is reported while every other
reader still gets the pack. Who receives the pack and what History records of it is the use
case's (``app.review_mail``).

Settings come from the environment or a ``.env`` file (prefix ``CREDIT_REGISTER_SMTP_``):
``HOST``, ``PORT``, ``SECURITY`` (``starttls``, ``ssl`` or ``none``), ``USER``, ``PASSWORD``,
``SENDER``, ``TIMEOUT``. The password is a ``SecretStr``: it never appears in a log or a repr.
"""

from __future__ import annotations

import contextlib
import mimetypes
import re
import smtplib
import ssl
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from credit_register.core.port import OutgoingMail, SendReport

__all__ = [
    "SendReport",
    "SmtpMailer",
    "SmtpSettings",
    "build_message",
    "send_messages",
    "write_outbox",
]


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


def smtp_settings() -> SmtpSettings:
    """The SMTP settings from the environment, or a ``WorkbookError`` naming each wrong
    variable (``CREDIT_REGISTER_SMTP_PORT='abc'``), never "internal error"."""
    from credit_register.adapters.settings import load_settings

    return load_settings(SmtpSettings, "CREDIT_REGISTER_SMTP_")


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


def send_messages(
    messages: Sequence[EmailMessage],
    settings: SmtpSettings,
    on_sent: Callable[[str], None] | None = None,
) -> SendReport:
    """Deliver each message; a refused recipient (or a dropped connection) is reported for that
    message and the others still go. An unreachable server fails every message, with why.
    ``on_sent`` is told of each delivery as it happens (before the next message goes), so that it
    is on record even if the program stops halfway."""
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
                if on_sent is not None:
                    on_sent(recipient)
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


class SmtpMailer:
    """The ``Mailer`` the doors hand the use cases: SMTP, or ``.eml`` files in an outbox.

    The settings are read from the environment when a message is first built (most actions
    send nothing), unless given."""

    def __init__(self, settings: SmtpSettings | None = None) -> None:
        self._settings = settings

    @property
    def settings(self) -> SmtpSettings:
        if self._settings is None:
            self._settings = smtp_settings()
        return self._settings

    def _messages(self, mails: Sequence[OutgoingMail]) -> list[EmailMessage]:
        sender = self.settings.sender
        return [
            build_message(
                sender=sender,
                recipient=m.recipient,
                subject=m.subject,
                body=m.body,
                attachments=m.attachments,
            )
            for m in mails
        ]

    def write(self, mails: Sequence[OutgoingMail], outbox: Path, stem: str) -> list[Path]:
        return write_outbox(self._messages(mails), outbox, stem)

    def send(
        self, mails: Sequence[OutgoingMail], on_sent: Callable[[str], None] | None = None
    ) -> SendReport:
        return send_messages(self._messages(mails), self.settings, on_sent)
