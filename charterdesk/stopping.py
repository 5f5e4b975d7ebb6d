"""Long-running processes (the worker, the mail adapters) stop cleanly: SIGTERM or SIGINT
sets an event that the loop checks between pieces of work, so the piece under way (a pass,
a poll, a delivery) finishes first."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def stopped_by_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set ``stop``; the handlers that were there before come back
    afterwards. Signals reach only the main thread, so elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def asked_to_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    before = {sig: signal.signal(sig, asked_to_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
