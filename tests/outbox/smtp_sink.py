"""A real SMTP server on loopback that keeps what it is sent, for the outbox tests.

It is aiosmtpd's ``Controller`` on 127.0.0.1 and a free port. It can be told to refuse
recipients (``refuse_with = "451 ..."`` or ``"550 ..."``), and be stopped and started
again on the same port, as a real relay goes down and comes back.
"""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpSink:
    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[list[str]] = []
        #: An SMTP reply to every RCPT TO, e.g. "451 4.3.2 try later"; None accepts.
        self.refuse_with: str | None = None
        self._controller: Controller | None = None

    # --- aiosmtpd handler hooks ---------------------------------------------------------
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.envelopes.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    # --- running ------------------------------------------------------------------------
    def start(self) -> None:
        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
