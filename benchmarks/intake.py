"""Mails per second into the desk through IMAP and LMTP, beside django-helpdesk 2.6.1's
``get_email`` on the same mails, in the same run.

Run: ``.venv/bin/python benchmarks/intake.py [--mails 500] [--postgres URL]``. Writes the
``intake`` section of BENCHMARKS.md. Needs the test dovecot (``scripts/test-dovecot.sh``,
started here) and the peer's virtualenv (``var/peer-helpdesk/venv``, made by
``benchmarks/peer_django_helpdesk.py``'s ``ensure_peer`` if missing: PyPI the first time).

The mails: ``--mails`` new complaints from as many customers to one organization's
address, made once and used by every side: plain UTF-8, HTML with a text part,
Windows-1251 Cyrillic, and some with a 20 KB PDF attached. Each side starts from a freshly
created and migrated database (SQLite in a temporary directory unless ``--postgres``), and
outgoing mail goes to Django's in-memory backend on both sides. The sides run one after
another, never at the same time.

1. Charterdesk, IMAP: the mails are appended to a dovecot mailbox (not timed), then one
   ``poll`` is timed: fetch, ``receive`` (a case: contact, ``received`` event, clocks,
   the acknowledgement queued and, by the task backend, sent), flag seen.
2. Charterdesk, LMTP: the listener on loopback; one client connection delivers the mails
   one transaction each (MAIL, RCPT, DATA, the answer after the commit), as a mail server
   does. Timed from the first MAIL to the last answer.
3. django-helpdesk: ``benchmarks/peer/measure_email.py`` in the peer's virtualenv times
   ``manage.py get_email`` over the same dovecot (its IMAP import) and over a directory of
   the same ``.eml`` files (its ``local`` mailbox, the cheapest way it has).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import smtplib
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ORG, ADDRESS = "leviatan", "contact@leviatan.ro"
IMAP_PASSWORD = "charterdesk"  # scripts/test-dovecot.sh's test users
#: Mails received, untimed, before Charterdesk's measures (modules loaded, charter parsed).
WARM_UP = 20


def main() -> None:
    options = _arguments()
    sys.path.insert(0, str(HERE))
    from peer_django_helpdesk import PEER_PYTHON, ensure_peer

    imap = subprocess.run(
        ["bash", str(ROOT / "scripts" / "test-dovecot.sh")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    installed = ensure_peer(options.postgres)
    load_before = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="charterdesk-intake-"))
    try:
        mails = corpus(options.mails)
        (workdir / "mails").mkdir()
        for number, raw in enumerate(mails):
            (workdir / "mails" / f"{number:05d}.eml").write_bytes(raw)
        ours = measure_ours(mails, imap, workdir / "charterdesk", options.postgres)
        print("charterdesk:", json.dumps(ours), file=sys.stderr, flush=True)
        fill_mailbox(imap, "peer", mails)
        theirs = run_peer(PEER_PYTHON, workdir, imap, options.postgres)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    loads = (load_before, os.getloadavg()[0])
    text = report(ours, theirs, options.mails, installed, loads)
    import _report

    _report.write_section("intake", text)
    print(text)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=500, help="how many mails (default 500)")
    parser.add_argument("--postgres", default="", metavar="URL", help="PostgreSQL, not SQLite")
    return parser.parse_args()


# --- the mails ---------------------------------------------------------------------------
def corpus(count: int, first: int = 0) -> list[bytes]:
    """``count`` new complaints, each from another customer, the same on every run
    (numbered from ``first``)."""
    rng = random.Random(5)
    sent = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    pdf = b"%PDF-1.4\n" + rng.randbytes(20_000) + b"\n%%EOF\n"
    mails = []
    for number in range(first, first + count):
        message = EmailMessage(policy=SMTP)
        message["From"] = f"Client {number} <client{number}@example.ro>"
        message["To"] = f"Leviatan Design <{ADDRESS}>"
        message["Date"] = format_datetime(sent + timedelta(minutes=number))
        message["Message-ID"] = f"<bench-{number}@example.ro>"
        kind = number % 10
        if kind == 3:  # Cyrillic in Windows-1251, as older Russian mail clients send it
            message["Subject"] = f"Жалоба номер {number}"
            text = f"Здравствуйте! Заказ {number} пришёл повреждённым. Прошу заменить."
            message.set_content(text, charset="windows-1251", cte="8bit")
        else:
            message["Subject"] = f"Reclamație comanda {number}"
            text = (
                f"Bună ziua,\n\nComanda {number} a sosit deteriorată: masa are un picior "
                "rupt. Vă rog să o înlocuiți.\n\nMulțumesc,\nClient\n"
            )
            message.set_content(text)
        if kind in (1, 5):  # HTML with a text part, as webmail sends it
            message.add_alternative(f"<html><body><p>{text}</p></body></html>", subtype="html")
        if kind == 7:
            message.add_attachment(
                pdf, maintype="application", subtype="pdf", filename=f"factura-{number}.pdf"
            )
        mails.append(message.as_bytes())
    return mails


def fill_mailbox(imap: str, user: str, mails: list[bytes]) -> None:
    """Empty ``user``'s dovecot mailbox and put the mails in it (never timed)."""
    from imap_tools import MailBoxUnencrypted

    host, _, port = imap.rpartition(":")
    with MailBoxUnencrypted(host, int(port)).login(user, IMAP_PASSWORD) as box:
        box.delete(box.uids("ALL"))
        for raw in mails:
            box.append(raw, "INBOX")


# --- Charterdesk -------------------------------------------------------------------------
def measure_ours(mails: list[bytes], imap: str, workdir: Path, database_url: str) -> dict[str, Any]:
    workdir.mkdir(parents=True)
    (workdir / "static").mkdir()  # whitenoise wants it
    os.environ["CHARTERDESK_VAR_DIR"] = str(workdir)
    os.environ["CHARTERDESK_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    if database_url:
        os.environ["CHARTERDESK_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charterdesk.settings")
    import django

    django.setup()
    from django.db import connection

    sys.path.append(str(HERE / "peer"))
    from timing import fresh_database

    result: dict[str, Any] = {"engine": connection.vendor}
    name = database_url and "charterdesk_intake_bench"
    with fresh_database(name or str(workdir / "warm-up.sqlite3")):  # imports, caches
        through_receive(corpus(WARM_UP, first=len(mails)))
    fill_mailbox(imap, "bench", mails)
    with fresh_database(name or str(workdir / "imap.sqlite3")):
        result["imap"] = through_imap(imap, len(mails))
    with fresh_database(name or str(workdir / "lmtp.sqlite3")):
        result["lmtp"] = through_lmtp(mails)
    with fresh_database(name or str(workdir / "receive.sqlite3")):
        result["receive"] = through_receive(mails)
    return result


def _install() -> Any:
    from charterdesk.cases.charters import approve_charter, propose_charter
    from charterdesk.cases.models import Organization

    text = (ROOT / "charters" / f"{ORG}.yaml").read_text(encoding="utf-8")
    version = approve_charter(propose_charter(text, f"charters/{ORG}.yaml"), by=None)
    return Organization.objects.get(pk=version.organization_id)


def _counts(seconds: float, expected: int) -> dict[str, Any]:
    """What the timed part made, checked, then the acknowledgements it queued sent by the
    worker's ``send_due`` (timed on its own)."""
    from django.core import mail
    from django.utils import timezone

    from charterdesk.cases.models import Case, OutboxMessage
    from charterdesk.outbox.sending import send_due

    cases = Case.objects.count()
    if cases != expected:
        raise SystemExit(f"expected {expected} cases, found {cases}")
    queued = OutboxMessage.objects.filter(kind="mail").count()
    mail.outbox = []
    started = time.perf_counter()
    while send_due(timezone.now(), limit=500).sent:
        pass
    sending = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cases": cases,
        "per_second": cases / seconds,
        "queued": queued,
        "mails_sent": len(getattr(mail, "outbox", [])),
        "sending_seconds": sending,
        "with_sending_per_second": cases / (seconds + sending),
    }


def through_imap(imap: str, count: int) -> dict[str, Any]:
    from django.utils import timezone

    from charterdesk.intake.adapters.imap import MailboxConfig, poll
    from charterdesk.intake.routing import our_addresses

    org = _install()
    host, _, port = imap.rpartition(":")
    config = MailboxConfig(
        organization=ORG,
        host=host,
        port=int(port),
        user="bench",
        password=IMAP_PASSWORD,
        security="none",
    )
    started = time.perf_counter()
    polled = poll(config, clock=timezone.now, own_addresses=our_addresses(org))
    seconds = time.perf_counter() - started
    return {**_counts(seconds, count), "outcomes": dict(polled.counts)}


def through_lmtp(mails: list[bytes]) -> dict[str, Any]:
    from django.conf import settings

    from charterdesk.intake.adapters.lmtp import LmtpListener

    _install()
    listener = LmtpListener(
        host="127.0.0.1", port=_free_port(), max_bytes=settings.CHARTERDESK_MAX_MESSAGE_BYTES
    )
    listener.start()
    try:
        with smtplib.LMTP(listener.hostname, listener.port, timeout=60) as client:
            client.ehlo()
            started = time.perf_counter()
            for number, raw in enumerate(mails):
                client.sendmail(f"client{number}@example.ro", [ADDRESS], raw)
            seconds = time.perf_counter() - started
    finally:
        listener.stop()
    return _counts(seconds, len(mails))


def through_receive(mails: list[bytes]) -> dict[str, Any]:
    """The intake service alone, called in a loop: what the adapters add is the rest."""
    from django.utils import timezone

    from charterdesk.intake.receive import receive

    _install()
    started = time.perf_counter()
    for raw in mails:
        receive(raw, recipients=[ADDRESS], now=timezone.now(), source="lmtp")
    return _counts(time.perf_counter() - started, len(mails))


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the peer ----------------------------------------------------------------------------
def run_peer(python: Path, workdir: Path, imap: str, database_url: str) -> dict[str, Any]:
    peer_dir = workdir / "helpdesk"
    peer_dir.mkdir()
    command = [
        str(python),
        str(HERE / "peer" / "measure_email.py"),
        "--workdir",
        str(peer_dir),
        "--mails",
        str(workdir / "mails"),
        "--imap",
        imap,
        "--imap-user",
        "peer",
        "--imap-password",
        IMAP_PASSWORD,
    ]
    if database_url:
        command += ["--database-url", database_url]
    print("running", " ".join(command[1:]), file=sys.stderr, flush=True)
    environment = {
        name: value
        for name, value in os.environ.items()
        if name != "DJANGO_SETTINGS_MODULE" and not name.startswith("CHARTERDESK_")
    }
    done = subprocess.run(
        command, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=environment
    )
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


# --- the report --------------------------------------------------------------------------
def report(
    ours: dict[str, Any],
    theirs: dict[str, Any],
    count: int,
    frozen: list[str],
    loads: tuple[float, float],
) -> str:
    sys.path.insert(0, str(HERE))
    import _report

    imap, lmtp, alone = ours["imap"], ours["lmtp"], ours["receive"]
    peer_imap, peer_local = theirs["imap"], theirs["local"]
    engine = "PostgreSQL" if ours["engine"] == "postgresql" else "SQLite (WAL)"
    peer_versions = ", ".join(
        line for line in frozen if line.startswith(("django==", "django-helpdesk=="))
    )

    def rate(figures: dict[str, Any], key: str = "per_second") -> str:
        return f"{figures[key]:.1f}"

    def worst(mine: dict[str, Any], peer: dict[str, Any]) -> float:
        return float(mine["with_sending_per_second"] / peer["per_second"])

    def ratio(mine: dict[str, Any], peer: dict[str, Any]) -> str:
        return f"{worst(mine, peer):.2f}×"

    lines = [
        "## Mail intake: mails per second, beside django-helpdesk",
        "",
        f"{count} mails, each a new customer's complaint to one organization (plain UTF-8, "
        "HTML with a text part, Windows-1251 Cyrillic, one in ten with a 20 KB PDF), the "
        f"same bytes for every side; each measure from a fresh {engine} database, one after "
        "another, never at the same time. Charterdesk makes a case of each (contact, "
        "`received` event, clocks, raw message kept, the acknowledgement queued in the "
        "outbox); the worker's `send_due` then sends the acknowledgements. "
        "django-helpdesk 2.6.1's `get_email` makes a ticket of each (follow-up, the "
        "new-ticket mail sent as it goes). Mail goes to Django's in-memory backend on both "
        "sides. The ratio counts Charterdesk's sending too.",
        "",
        "| Way in | Charterdesk, intake | with the acknowledgements sent | "
        "django-helpdesk `get_email` | Ratio |",
        "|---|---:|---:|---:|---:|",
        f"| IMAP: one poll of the same dovecot mailbox | {rate(imap)} mails/s | "
        f"{rate(imap, 'with_sending_per_second')} mails/s | {rate(peer_imap)} mails/s | "
        f"{ratio(imap, peer_imap)} |",
        f"| LMTP (Charterdesk), one connection / a local directory of .eml files "
        f"(helpdesk, its {peer_local['mails']} UTF-8 mails) | {rate(lmtp)} mails/s | "
        f"{rate(lmtp, 'with_sending_per_second')} mails/s | {rate(peer_local)} mails/s | "
        f"{ratio(lmtp, peer_local)} |",
        f"| `receive()` called in a loop, no transport (for reference) | {rate(alone)} "
        f"mails/s | {rate(alone, 'with_sending_per_second')} mails/s | | |",
        "",
        f"Seconds: Charterdesk IMAP {imap['seconds']:.2f} + {imap['sending_seconds']:.2f} "
        f"sending, LMTP {lmtp['seconds']:.2f} + {lmtp['sending_seconds']:.2f}, receive() "
        f"alone {alone['seconds']:.2f}; helpdesk IMAP {peer_imap['seconds']:.2f}, local "
        f"{peer_local['seconds']:.2f}. Made: {imap['cases']}, {lmtp['cases']} and "
        f"{alone['cases']} cases with {imap['mails_sent']}, {lmtp['mails_sent']} and "
        f"{alone['mails_sent']} acknowledgements sent; {peer_imap['tickets']} and "
        f"{peer_local['tickets']} tickets with {peer_imap['mails_sent']} and "
        f"{peer_local['mails_sent']} mails. helpdesk's local import reads each file as UTF-8 "
        "text and stops altogether at the first that is not, so it was given only those.",
        "",
        goal(min(worst(imap, peer_imap), worst(lmtp, peer_local)), imap, lmtp, alone),
        "",
        f"Peer: {peer_versions}. "
        + _report.machine_summary("django", "imap-tools", "aiosmtpd")
        + f" Load average {loads[0]:.1f} before, {loads[1]:.1f} after (other work shared the "
        "machine when above the number of CPUs; both sides ran under the same load).",
        "",
        f"Reproduce: `.venv/bin/python benchmarks/intake.py --mails {count}`.",
    ]
    return "\n".join(lines)


def goal(ratio: float, *measures: dict[str, Any]) -> str:
    imap, lmtp, alone = (measure["seconds"] for measure in measures)
    cost = (
        f"The adapters' own cost, over `receive()` alone: IMAP {imap / alone - 1:+.0%}, "
        f"LMTP {lmtp / alone - 1:+.0%}."
    )
    if ratio >= 10:
        return f"The goal, at least 10× django-helpdesk, is met ({ratio:.1f}× at the least). {cost}"
    return (
        f"The goal, at least 10× django-helpdesk, is **not met** ({ratio:.2f}× at the least). "
        f"{cost} Most of the time is `receive()` itself: opening the case and acknowledging "
        "it (some 40 queries a mail, the clocks evaluated twice) and parsing headers."
    )


if __name__ == "__main__":
    main()
