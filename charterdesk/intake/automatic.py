"""Mail that no person wrote, which the desk must never answer. Pure (no Django).

RFC 3834 and the conventions before it: ``Auto-Submitted`` other than ``no``,
``Precedence: bulk | junk | list``, ``X-Autoreply``/``X-Autorespond``, ``X-Loop`` naming
one of our addresses, the null sender ``<>`` and the mailer daemon.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.message import Message

from charterdesk.intake.headers import decoded, envelope_sender, raw_values

_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_FLAG_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Reply", "X-Autoresponder")
_DAEMONS = ("mailer-daemon@", "postmaster@")


def automatic_reason(message: Message, sender: str) -> str:
    """Why this mail is automatic (``"Auto-Submitted: auto-replied"``), or ``""``."""
    auto_submitted = decoded(message, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted.split(";", 1)[0].strip() != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = decoded(message, "Precedence").lower().strip()
    if precedence in _PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in _FLAG_HEADERS:
        if raw_values(message, name):
            return f"{name} header"
    if envelope_sender(message) == "":
        return "null sender (Return-Path: <>)"
    if sender.startswith(_DAEMONS):
        return f"sent by {sender}"
    return ""


def loop_reason(x_loop: str, ours: Iterable[str]) -> str:
    """``X-Loop`` (all its values, joined) naming one of our addresses."""
    loops = x_loop.lower()
    if not loops:
        return ""
    for address in ours:
        if address and address.lower() in loops:
            return f"X-Loop: {address}"
    return ""
