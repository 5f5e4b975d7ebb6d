"""Headers cannot be injected through names or subjects: an outgoing mail built from a
payload carrying CR/LF has exactly the headers Charterdesk meant to set."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from django.core.mail import BadHeaderError

from charterdesk.cases.models import OutboxMessage
from charterdesk.outbox.mail import build_email

INJECTED = "Bcc: victim@example.net"
SUBJECTS = [
    f"Billed twice\r\n{INJECTED}",
    f"Billed twice\n{INJECTED}",
    f"Billed twice\r{INJECTED}",
    "Billed twice\r\n\r\n<html>a new body</html>",
    f"Billed twice\u2028{INJECTED}",
    f"Billed twice\x85{INJECTED}",
]


def row(**payload: object) -> OutboxMessage:
    base: dict[str, object] = {
        "to": ["jan@example.com"],
        "subject": "Your complaint",
        "body": "Hello",
        "language": "en",
    }
    return OutboxMessage(kind="mail", key="mail:test", payload={**base, **payload})


def sent(message: OutboxMessage, sender: str = "Desk <desk@example.org>") -> EmailMessage:
    """The mail as it would leave, parsed back as a receiving server would parse it."""
    raw = build_email(message, sender).message().as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_subject_cannot_add_a_header(subject: str) -> None:
    mail = sent(row(subject=subject))
    assert mail["Bcc"] is None
    assert len(mail.get_all("Subject") or []) == 1
    assert str(mail["Subject"]).startswith("Billed twice")
    assert sorted(set(mail.keys())) == sorted(
        {
            "Content-Type",
            "MIME-Version",
            "Subject",
            "From",
            "To",
            "Date",
            "Message-ID",
            "Content-Language",
        }
    )


#: Other headers take their values as given; Django refuses any with a line break.
OTHER_HEADERS = {
    "contact name": ({"to": [f'"Jan\r\n{INJECTED}" <jan@example.com>']}, ""),
    "in-reply-to": ({"in_reply_to": f"<a@example.com>\r\n{INJECTED}"}, ""),
    "message-id": ({"message_id": f"<a@example.com>\n{INJECTED}"}, ""),
    "references": ({"references": ["<a@example.com>", f"<b@example.com>\r{INJECTED}"]}, ""),
    "organization name": ({}, f'"ASK4\r\n{INJECTED}" <desk@example.org>'),
}


@pytest.mark.parametrize("where", OTHER_HEADERS)
def test_a_name_or_thread_header_with_a_line_break_is_refused(where: str) -> None:
    """The mail is not sent at all rather than sent with the extra header."""
    payload, sender = OTHER_HEADERS[where]
    with pytest.raises(BadHeaderError, match="can't contain newlines"):
        sent(row(**payload), *([sender] if sender else []))
