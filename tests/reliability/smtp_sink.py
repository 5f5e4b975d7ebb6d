"""A real SMTP server on loopback for the fault tests: it keeps what it accepts, refuses
chosen recipients, goes down and comes back on the same port, and can stall on DATA.

It is aiosmtpd's ``Controller`` on 127.0.0.1 and a free port (as tests/outbox's sink),
with three faults a real relay has:

- ``refuse``: an SMTP reply per recipient address (``"550 5.1.1 no such mailbox"``);
- ``stop()`` / ``start()``: down (connections refused) and up again on the same port;
- ``stall()``: the next DATA is read but not answered until ``release()``; a mail whose
  client went away meanwhile is not kept (the server never said 250, so the sender
  cannot know it was delivered, and this server drops it).
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.outbox.smtp_sink import free_port


class FaultySink:
    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        #: recipient address -> the SMTP reply to its RCPT TO (a refusal)
        self.refuse: dict[str, str] = {}
        self.data_started = threading.Event()
        self._stalled: threading.Event | None = None
        self._controller: Controller | None = None
        self._lock = threading.Lock()

    # --- what arrived -----------------------------------------------------------------------
    def message_ids(self) -> Counter[str]:
        """How many times each Message-ID arrived."""
        with self._lock:
            return Counter(str(message["Message-ID"]) for message in self.messages)

    def recipients(self) -> list[str]:
        with self._lock:
            return sorted(str(message["To"]) for message in self.messages)

    # --- faults -----------------------------------------------------------------------------
    def stall(self) -> None:
        """Hold the next DATA unanswered until ``release()``."""
        self.data_started.clear()
        self._stalled = threading.Event()

    def release(self) -> None:
        if self._stalled is not None:
            self._stalled.set()

    # --- aiosmtpd handler hooks -------------------------------------------------------------
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        stalled = self._stalled
        if stalled is not None:
            self.data_started.set()
            while not stalled.is_set():  # the loop's own thread: poll, do not block it
                await asyncio.sleep(0.01)
            self._stalled = None
            if server.transport is None or server.transport.is_closing():
                return "451 4.4.2 the client went away"  # never acknowledged: not kept
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    # --- running ----------------------------------------------------------------------------
    def start(self) -> None:
        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self.release()
            self._controller.stop()
            self._controller = None
