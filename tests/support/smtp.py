"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives and refuses one address,
for the tests of the review pack's e-mail."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller

from credit_register.adapters import mail

#: the address the server refuses (550)
BAD = "nobody@refused.example"


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses ``BAD``."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self,
        server: Any,
        session: Any,
        envelope: Any,
        address: str,
        rcpt_options: Any,
    ) -> str:
        if address == BAD:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    @property
    def recipients(self) -> list[str]:
        return [address for to, _ in self.messages for address in to]


@contextmanager
def loopback_smtp() -> Iterator[tuple[Inbox, mail.SmtpSettings]]:
    """A running server and the settings that reach it."""
    inbox = Inbox()
    with socket.socket() as probe:  # a free loopback port (aiosmtpd cannot take port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield (
            inbox,
            mail.SmtpSettings(
                host="127.0.0.1",
                port=controller.port,
                security="none",
                sender="credit@hengyuan-demo.cn",
                timeout=10,
            ),
        )
    finally:
        controller.stop()
