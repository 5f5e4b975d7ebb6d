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
   ``poll`` is timed: fetch 100 at a time, ``receive_many`` (a case each: contact,
   ``received`` and ``acknowledged`` events, clocks, the acknowledgement queued in the
   outbox and handed to the task backend), flag them seen.
2. Charterdesk, LMTP: the listener on loopback; client connections deliver the mails one
   transaction each (MAIL, RCPT, DATA, the answer after the commit), as a mail server
   does: over one connection (each mail its own commit), and over ``LMTP_CONNECTIONS`` at
   once (Postfix delivers over several; the listener commits the copies that wait
   together). Timed from the first MAIL to the last answer.
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
#: Connections delivering at once in the second LMTP measure.
LMTP_CONNECTIONS = 8
#: Mails per ``receive_many`` call in the reference measure (as the IMAP poller does).
BATCH = 100


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
    with fresh_database(name or str(workdir / "lmtp-parallel.sqlite3")):
        result["lmtp_parallel"] = through_lmtp(mails, connections=LMTP_CONNECTIONS)
    with fresh_database(name or str(workdir / "receive.sqlite3")):
        result["receive"] = through_receive(mails)
    with fresh_database(name or str(workdir / "receive-many.sqlite3")):
        result["receive_many"] = through_receive_many(mails)
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


def through_lmtp(mails: list[bytes], connections: int = 1) -> dict[str, Any]:
    """The mails over ``connections`` LMTP connections at once, each delivering its share
    (every ``connections``-th mail) one after another."""
    from concurrent.futures import ThreadPoolExecutor

    from django.conf import settings

    from charterdesk.intake.adapters.lmtp import LmtpListener

    _install()
    listener = LmtpListener(
        host="127.0.0.1", port=_free_port(), max_bytes=settings.CHARTERDESK_MAX_MESSAGE_BYTES
    )
    listener.start()
    clients = []
    try:
        for _ in range(connections):
            client = smtplib.LMTP(listener.hostname, listener.port, timeout=120)
            client.ehlo()
            clients.append(client)

        def deliver(share: int) -> None:
            for number in range(share, len(mails), connections):
                clients[share].sendmail(f"client{number}@example.ro", [ADDRESS], mails[number])

        with ThreadPoolExecutor(max_workers=connections) as pool:
            started = time.perf_counter()
            for done in [pool.submit(deliver, share) for share in range(connections)]:
                done.result()
            seconds = time.perf_counter() - started
    finally:
        for client in clients:
            client.quit()
        listener.stop()
    return {**_counts(seconds, len(mails)), "connections": connections}


def through_receive(mails: list[bytes]) -> dict[str, Any]:
    """The intake service alone, called in a loop: what the adapters add is the rest."""
    from django.utils import timezone

    from charterdesk.intake.receive import receive

    _install()
    started = time.perf_counter()
    for raw in mails:
        receive(raw, recipients=[ADDRESS], now=timezone.now(), source="lmtp")
    return _counts(time.perf_counter() - started, len(mails))


def through_receive_many(mails: list[bytes]) -> dict[str, Any]:
    """``receive_many`` on :data:`BATCH` mails at a time, no transport."""
    from django.utils import timezone

    from charterdesk.intake.receive import receive_many

    _install()
    started = time.perf_counter()
    for start in range(0, len(mails), BATCH):
        batch = [(raw, [ADDRESS]) for raw in mails[start : start + BATCH]]
        receive_many(batch, now=timezone.now(), source="lmtp")
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

    imap, lmtp, parallel = ours["imap"], ours["lmtp"], ours["lmtp_parallel"]
    alone, many = ours["receive"], ours["receive_many"]
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

    def intake_only(mine: dict[str, Any], peer: dict[str, Any]) -> str:
        return f"{mine['per_second'] / peer['per_second']:.2f}×"

    local = f"a local directory of .eml files (helpdesk, its {peer_local['mails']} UTF-8 mails)"
    lines = [
        "## Mail intake: mails per second, beside django-helpdesk",
        "",
        f"{count} mails, each a new customer's complaint to one organization (plain UTF-8, "
        "HTML with a text part, Windows-1251 Cyrillic, one in ten with a 20 KB PDF), the "
        f"same bytes for every side; each measure from a fresh {engine} database, one after "
        "another, never at the same time. Charterdesk makes a case of each (contact, "
        "`received` and `acknowledged` events, clocks, raw message kept, the "
        "acknowledgement queued in the outbox); the worker's `send_due` then sends the "
        "acknowledgements. django-helpdesk 2.6.1's `get_email` makes a ticket of each "
        "(follow-up, the new-ticket mail sent as it goes). Mail goes to Django's in-memory "
        "backend on both sides. The ratio counts Charterdesk's sending too (the last column "
        "does not).",
        "",
        "| Way in | Charterdesk, intake | with the acknowledgements sent | "
        "django-helpdesk `get_email` | Ratio | Ratio, intake alone |",
        "|---|---:|---:|---:|---:|---:|",
        f"| IMAP: one poll of the same dovecot mailbox (Charterdesk: {BATCH} mails a "
        f"transaction) | {rate(imap)} mails/s | {rate(imap, 'with_sending_per_second')} "
        f"mails/s | {rate(peer_imap)} mails/s | {ratio(imap, peer_imap)} | "
        f"{intake_only(imap, peer_imap)} |",
        f"| LMTP (Charterdesk), one connection: a commit per mail / {local} | "
        f"{rate(lmtp)} mails/s | {rate(lmtp, 'with_sending_per_second')} mails/s | "
        f"{rate(peer_local)} mails/s | {ratio(lmtp, peer_local)} | "
        f"{intake_only(lmtp, peer_local)} |",
        f"| LMTP (Charterdesk), {parallel['connections']} connections at once, copies "
        f"that wait committed together / {local} | {rate(parallel)} mails/s | "
        f"{rate(parallel, 'with_sending_per_second')} mails/s | {rate(peer_local)} mails/s | "
        f"{ratio(parallel, peer_local)} | {intake_only(parallel, peer_local)} |",
        f"| `receive()` called in a loop, no transport (for reference) | {rate(alone)} "
        f"mails/s | {rate(alone, 'with_sending_per_second')} mails/s | | | |",
        f"| `receive_many()` on {BATCH} mails at a time, no transport (for reference) | "
        f"{rate(many)} mails/s | {rate(many, 'with_sending_per_second')} mails/s | | | |",
        "",
        f"Seconds: Charterdesk IMAP {imap['seconds']:.2f} + {imap['sending_seconds']:.2f} "
        f"sending, LMTP {lmtp['seconds']:.2f} + {lmtp['sending_seconds']:.2f}, LMTP over "
        f"{parallel['connections']} connections {parallel['seconds']:.2f} + "
        f"{parallel['sending_seconds']:.2f}, receive() alone {alone['seconds']:.2f}, "
        f"receive_many() {many['seconds']:.2f}; helpdesk IMAP {peer_imap['seconds']:.2f}, "
        f"local {peer_local['seconds']:.2f}. Made: {imap['cases']}, {lmtp['cases']}, "
        f"{parallel['cases']}, {alone['cases']} and {many['cases']} cases with "
        f"{imap['mails_sent']}, {lmtp['mails_sent']}, {parallel['mails_sent']}, "
        f"{alone['mails_sent']} and {many['mails_sent']} acknowledgements sent; "
        f"{peer_imap['tickets']} and {peer_local['tickets']} tickets with "
        f"{peer_imap['mails_sent']} and {peer_local['mails_sent']} mails. helpdesk's local "
        "import reads each file as UTF-8 text and stops altogether at the first that is "
        "not, so it was given only those.",
        "",
        goal(
            min(worst(imap, peer_imap), worst(lmtp, peer_local), worst(parallel, peer_local)),
            imap,
            lmtp,
            many,
        ),
        "",
        f"Peer: {peer_versions}. "
        + _report.machine_summary("django", "imap-tools", "aiosmtpd")
        + f" Load average {loads[0]:.1f} before, {loads[1]:.1f} after (other work shared the "
        "machine when above the number of CPUs; both sides ran under the same load).",
        "",
        f"Reproduce: `.venv/bin/python benchmarks/intake.py --mails {count}`.",
    ]
    return "\n".join(lines)


def goal(ratio: float, imap: dict[str, Any], lmtp: dict[str, Any], many: dict[str, Any]) -> str:
    sending = imap["sending_seconds"] / (imap["seconds"] + imap["sending_seconds"])
    over = imap["seconds"] / many["seconds"] - 1
    cost = (
        f"IMAP's own cost over `receive_many()` alone: {over:+.0%}. "
        f"Sending the acknowledgements (the outbox's `send_due`, the same for every way in) is "
        f"{sending:.0%} of the IMAP figure with sending. Over one LMTP connection each mail "
        "is its own transaction (the mail server waits for the commit before it sends the "
        "next), so nothing is written together."
    )
    if ratio >= 10:
        return f"The goal, at least 10× django-helpdesk, is met ({ratio:.1f}× at the least). {cost}"
    return (
        f"The goal, at least 10× django-helpdesk, is **not met** ({ratio:.2f}× at the least). "
        f"{cost} Per plain new mail, intake now writes every row in one insert per table "
        "for the batch and evaluates the clocks once; what is left is the work itself "
        "(reading the mail with `policy.default`, some 25 rows a case, the acknowledgement "
        "text) and the sending; see docs/decisions/0006-intake.md."
    )


if __name__ == "__main__":
    main()
