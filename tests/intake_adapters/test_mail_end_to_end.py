"""Issue 5, done when: a complaint sent by real SMTP to a seed organization's address
becomes a case with its clocks, shown in the console; the worker acknowledges it by mail
in the charter's language, carrying our Message-ID; the customer's reply to that
acknowledgement, delivered over LMTP, threads into the same case."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid, parseaddr

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from outbox.smtp_sink import SmtpSink

from charterdesk.cases.charters import parsed
from charterdesk.cases.models import Case, Clock, Event, Membership, Message
from charterdesk.intake.adapters.lmtp import LmtpListener
from charterdesk.outbox.sending import send_due
from tests.seeds import install

from .conftest import customer_mail, free_port

CUSTOMER = "aliya.mammadova@example.az"


@pytest.fixture
def sink(settings) -> Iterator[SmtpSink]:
    """Outgoing mail to a real SMTP server on loopback; mail goes out only when the
    worker's ``send_due`` sends it (the send-right-after-commit task is switched off)."""
    server = SmtpSink()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_listener(transactional_db: None) -> Iterator[LmtpListener]:
    """The desk's listener speaking SMTP (``run_lmtp --smtp``), as a customer's mail
    client or a relay reaches it."""
    listener = LmtpListener(host="127.0.0.1", port=free_port(), max_bytes=10_000_000, smtp=True)
    listener.start()
    try:
        yield listener
    finally:
        listener.stop()


def reply_to(ack: EmailMessage, body: str) -> bytes:
    """The customer answers the acknowledgement from an ordinary mail client."""
    message = EmailMessage(policy=SMTP)
    message["From"] = f"Алия Мамедова <{CUSTOMER}>"
    message["To"] = ack["Reply-To"] or ack["From"]
    message["Subject"] = f"Re: {ack['Subject']}"
    message["Message-ID"] = make_msgid(domain="example.az")
    message["In-Reply-To"] = ack["Message-ID"]
    message["References"] = f"{ack.get('References', '')} {ack['Message-ID']}".strip()
    message.set_content(body)
    return message.as_bytes()


def test_complaint_by_smtp_is_acknowledged_in_russian_and_the_reply_threads(
    smtp_listener, lmtp_listener, sink
):
    org = install("eurolux")
    agent = User.objects.create_user("eurolux-agent", password="x")
    Membership.objects.create(organization=org, user=agent, role="agent")
    complaint_id = make_msgid(domain="example.az")
    complaint = customer_mail(
        message_id=complaint_id,
        to="Eurolux <customer.care@eurolux.az>",
        sender=f"Алия Мамедова <{CUSTOMER}>",
        subject="Сломался холодильник",
        body="Здравствуйте! Холодильник, купленный у вас неделю назад, не работает. "
        "Прошу заменить его.",
    )

    # 1. A complaint by real SMTP to the organization's published address.
    with smtplib.SMTP(smtp_listener.hostname, smtp_listener.port, timeout=30) as smtp:
        refused = smtp.sendmail(CUSTOMER, ["customer.care@eurolux.az"], complaint)
    assert refused == {}
    case = Case.objects.get(organization=org)
    assert (case.channel, case.language, case.subject) == ("email", "ru", "Сломался холодильник")
    running = list(Clock.objects.filter(case=case, state="running", due_at__isnull=False))
    assert running, "the complaint's commitments are on the clock"

    # 2. It is in the console, with its clocks.
    console = Client()
    console.force_login(agent)
    page = console.get(f"/desk/{org.slug}/cases/{case.reference}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert case.reference in text
    charter = parsed(case.charter).charter
    for clock in running:
        titles = charter.commitment(clock.commitment).title.values()
        assert any(title in text for title in titles), clock.commitment

    # 3. The worker sends the acknowledgement, in the charter's language, with our id.
    assert sink.messages == []
    assert send_due(timezone.now()).sent == 1
    [ack] = sink.messages
    assert sink.envelopes == [[CUSTOMER]]
    stored = Message.objects.get(case=case, direction=Message.Direction.OUT)
    assert ack["Message-ID"] == stored.message_id
    assert ack["In-Reply-To"] == complaint_id  # it answers the complaint
    assert ack["Content-Language"] == "ru"
    assert ack["Auto-Submitted"] == "auto-replied"
    assert case.reference in ack["Subject"]
    assert parseaddr(ack["From"])[1] == "customer.care@eurolux.az"
    body = ack.get_body(("plain",))
    assert body is not None
    assert f"Ваша жалоба зарегистрирована под номером {case.reference}" in body.get_content()

    # 4. The customer's reply, delivered by the mail server over LMTP, joins the case.
    with smtplib.LMTP(lmtp_listener.hostname, lmtp_listener.port, timeout=30) as lmtp:
        lmtp.ehlo()
        lmtp.mail(CUSTOMER)
        assert lmtp.rcpt("customer.care@eurolux.az")[0] == 250
        code, answer = lmtp.data(reply_to(ack, "Спасибо. Когда привезут замену?"))
    assert code == 250
    assert f"message {case.reference}".encode() in answer
    assert Case.objects.count() == 1
    incoming = Message.objects.filter(case=case, direction=Message.Direction.IN).order_by("at")
    assert [m.body.strip()[:8] for m in incoming] == ["Здравств", "Спасибо."]
    assert Event.objects.filter(case=case, kind="customer_replied").count() == 1
