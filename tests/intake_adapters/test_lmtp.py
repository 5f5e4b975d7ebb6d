"""The LMTP listener, spoken to by a real LMTP client (``smtplib.LMTP``) on loopback:
one answer per recipient, unknown recipients refused, a database outage deferred (4xx, the
mail server retries), the size limit announced and enforced."""

from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import OperationalError, connection

from charterdesk.cases.models import Case, Message
from charterdesk.intake.adapters import lmtp
from charterdesk.intake.adapters.lmtp import LmtpListener
from tests.seeds import install

from .conftest import LMTP_MAX_BYTES, REPO, customer_mail, free_port

SENDER = "ana.popescu@example.ro"


def client(listener: LmtpListener) -> smtplib.LMTP:
    connection = smtplib.LMTP(listener.hostname, listener.port, timeout=30)
    connection.ehlo()  # smtplib.LMTP says LHLO
    return connection


def deliver(listener: LmtpListener, raw: bytes, *recipients: str) -> list[tuple[int, bytes]]:
    """MAIL, RCPT per recipient, DATA; the RCPT answers of refused recipients, then the
    DATA answer of each accepted one, in order (as RFC 2033 gives them)."""
    with client(listener) as connection:
        code, reply = connection.mail(SENDER)
        assert code == 250, reply
        answers, accepted = [], 0
        for recipient in recipients:
            code, reply = connection.rcpt(recipient)
            if code == 250:
                accepted += 1
            else:
                answers.append((code, reply))
        if not accepted:
            return answers
        answers.append(connection.data(raw))  # smtplib reads the first answer only
        answers += [connection.getreply() for _ in range(accepted - 1)]
        return answers


def test_a_complaint_delivered_over_lmtp_becomes_a_case(lmtp_listener):
    org = install("leviatan")

    answers = deliver(lmtp_listener, customer_mail(), "contact@leviatan.ro")

    [(code, reply)] = answers
    case = Case.objects.get(organization=org)
    assert code == 250
    assert reply.startswith(b"2.0.0 <contact@leviatan.ro> case " + case.reference.encode())
    assert case.channel == "email"
    assert Message.objects.filter(case=case, direction="in").count() == 1


def test_each_recipient_gets_its_own_answer(lmtp_listener):
    leviatan, lt_pro = install("leviatan"), install("lt-pro")
    raw = customer_mail(to="contact@leviatan.ro, info@lt-pro.ru")

    answers = deliver(
        lmtp_listener, raw, "contact@leviatan.ro", "nobody@leviatan.ro", "Info@LT-Pro.ru"
    )

    assert [code for code, _ in answers] == [550, 250, 250]
    assert answers[0][1].startswith(b"5.1.1 <nobody@leviatan.ro>")
    assert b"<contact@leviatan.ro> case LEV-" in answers[1][1]
    assert b"<Info@LT-Pro.ru> case " in answers[2][1]
    assert Case.objects.filter(organization=leviatan).count() == 1
    assert Case.objects.filter(organization=lt_pro).count() == 1


def test_a_mail_only_for_unknown_recipients_is_refused_before_data(lmtp_listener):
    install("leviatan")

    answers = deliver(lmtp_listener, customer_mail(), "postmaster@example.org")

    assert [code for code, _ in answers] == [550]
    assert Case.objects.count() == 0


def test_database_down_answers_451_and_the_retry_is_delivered_once(lmtp_listener, monkeypatch):
    install("leviatan")
    raw = customer_mail()

    def database_down(mails: object, **kwargs: object) -> object:
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(lmtp, "receive_many", database_down)
    [(code, reply)] = deliver(lmtp_listener, raw, "contact@leviatan.ro")
    assert (code, reply[:5]) == (451, b"4.3.0")
    assert Case.objects.count() == 0

    monkeypatch.undo()  # the database is back; the mail server tries again, twice even
    assert deliver(lmtp_listener, raw, "contact@leviatan.ro")[0][0] == 250
    [(code, reply)] = deliver(lmtp_listener, raw, "contact@leviatan.ro")
    assert code == 250
    assert b" duplicate " in reply
    assert Case.objects.count() == 1


def test_the_size_limit_is_announced_and_enforced(lmtp_listener):
    install("leviatan")
    install("lt-pro")
    with client(lmtp_listener) as connection:
        assert connection.has_extn("size")
        assert int(connection.esmtp_features["size"]) == LMTP_MAX_BYTES
        code, _ = connection.mail(SENDER, [f"SIZE={LMTP_MAX_BYTES + 1}"])
        assert code == 552

    huge = customer_mail(body=("x" * 70 + "\n") * (LMTP_MAX_BYTES // 70 + 100))
    answers = deliver(lmtp_listener, huge, "contact@leviatan.ro", "info@lt-pro.ru")

    assert [code for code, _ in answers] == [552, 552]  # one answer per recipient
    assert Case.objects.count() == 0


def test_run_lmtp_command_listens_until_stopped():
    """``manage.py run_lmtp`` as an operator starts it: it answers LHLO, then stops on
    SIGTERM."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "run_lmtp", "--port", str(port)],
        cwd=REPO,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "charterdesk.settings"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert f"LMTP on 127.0.0.1:{port}" in banner
        with smtplib.LMTP("127.0.0.1", port, timeout=10) as connection:
            code, _ = connection.ehlo()
            assert code == 250
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""


def test_a_database_connection_dropped_under_the_listener_is_replaced(lmtp_listener):
    """The database server restarts (or drops an idle connection): the next delivery goes
    through on a new connection, not a 451."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server that can drop a connection")
    install("leviatan")
    assert deliver(lmtp_listener, customer_mail(), "contact@leviatan.ro")[0][0] == 250
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1  # the listener's connection

    [(code, reply)] = deliver(lmtp_listener, customer_mail(), "contact@leviatan.ro")

    assert code == 250, reply
    assert Case.objects.count() == 2


def test_smtp_mode_answers_once_for_the_whole_message(transactional_db, monkeypatch):
    """``run_lmtp --smtp``: 250 when every recipient's copy is in; a 451 for any makes the
    sender try the whole message again, and the copies already in come back as
    duplicates."""
    install("leviatan")
    install("lt-pro")
    raw = customer_mail(to="contact@leviatan.ro, info@lt-pro.ru")
    real_receive_many = lmtp.receive_many

    def lt_pro_database_down(mails, **kwargs):
        if any(recipients == ["info@lt-pro.ru"] for _, recipients in mails):
            raise OperationalError("could not connect to server")
        return real_receive_many(mails, **kwargs)

    listener = LmtpListener(host="127.0.0.1", port=free_port(), max_bytes=10**6, smtp=True)
    listener.start()
    try:
        monkeypatch.setattr(lmtp, "receive_many", lt_pro_database_down)
        with (
            smtplib.SMTP(listener.hostname, listener.port, timeout=30) as smtp,
            pytest.raises(smtplib.SMTPDataError) as refused,
        ):
            smtp.sendmail(SENDER, ["contact@leviatan.ro", "info@lt-pro.ru"], raw)
        assert refused.value.smtp_code == 451
        assert Case.objects.count() == 1  # Leviatan's copy is in

        monkeypatch.undo()
        with smtplib.SMTP(listener.hostname, listener.port, timeout=30) as smtp:
            assert smtp.sendmail(SENDER, ["contact@leviatan.ro", "info@lt-pro.ru"], raw) == {}
    finally:
        listener.stop()
    assert Case.objects.count() == 2  # Leviatan's came back as a duplicate


def test_copies_arriving_together_over_several_connections_are_committed_together(
    lmtp_listener, monkeypatch
):
    """Group commit: while one copy is being written, those that arrive over other
    connections wait, then go in together, each answered with its own case after the
    commit."""
    install("leviatan")
    groups: list[int] = []
    go_on = threading.Event()
    real_receive_many = lmtp.receive_many

    def held_first(mails, **kwargs):
        groups.append(len(mails))
        if len(groups) == 1:
            assert go_on.wait(30)
        return real_receive_many(mails, **kwargs)

    def until(condition) -> None:  # another thread's progress, not a clock
        for _ in range(3000):
            if condition():
                return
            time.sleep(0.01)
        raise AssertionError("the deliveries did not arrive")

    monkeypatch.setattr(lmtp, "receive_many", held_first)
    mails = [
        customer_mail(sender=f"Client {n} <client{n}@example.ro>", subject=f"Reclamație {n}")
        for n in range(6)
    ]
    with ThreadPoolExecutor(max_workers=6) as pool:
        first = pool.submit(deliver, lmtp_listener, mails[0], "contact@leviatan.ro")
        until(lambda: groups == [1])  # the first copy is being written, alone
        others = [
            pool.submit(deliver, lmtp_listener, raw, "contact@leviatan.ro") for raw in mails[1:]
        ]
        until(lambda: len(lmtp_listener.handler._waiting) == 5)
        go_on.set()
        answers = [first.result(), *(other.result() for other in others)]

    assert groups == [1, 5]
    assert [code for [(code, _)] in answers] == [250] * 6
    references = {reply.split()[3] for [(_, reply)] in answers}
    assert len(references) == 6
    assert set(Case.objects.values_list("reference", flat=True)) == {
        reference.decode() for reference in references
    }
