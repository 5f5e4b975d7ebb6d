"""Timing django-helpdesk 2.6.1's mail import (``manage.py get_email``) on given mails.

Runs inside the peer's own virtualenv (``var/peer-helpdesk/venv``), started by
``benchmarks/intake.py``, and prints one JSON object on stdout. Nothing here imports
Charterdesk. Two ways in, each from a freshly created and migrated database with one
queue that accepts mail:

1. IMAP: the mails are already in ``--imap-user``'s INBOX on the test dovecot
   (``benchmarks/intake.py`` put them there); helpdesk's ``imap_sync`` logs in, fetches
   each message, makes a ticket of it (its "Ticket Opened" follow-up, attachments saved,
   the new-ticket mail to the submitter rendered into Django's in-memory mail backend),
   and flags it deleted.
2. Local: the same mails as ``.eml`` files in a directory (``email_box_type="local"``,
   the cheapest way in helpdesk offers: no server at all); each file is deleted once
   its ticket is made. helpdesk reads these files as UTF-8 text and its whole import
   stops at the first that is not, so only the mails that are UTF-8 go in this one.

Only ``call_command("get_email")`` is timed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = ("django", "django-helpdesk")


def main() -> None:
    options = _arguments()
    workdir = Path(options.workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
    os.environ["PEER_SQLITE"] = str(workdir / "peer-helpdesk.sqlite3")
    os.environ["PEER_MEDIA_ROOT"] = str(workdir / "media")
    if options.database_url:
        os.environ["PEER_DATABASE_URL"] = options.database_url
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import django

    django.setup()
    from django.db import connection
    from timing import fresh_database

    count = len(list(Path(options.mails).glob("*.eml")))
    result: dict[str, Any] = {
        "engine": connection.vendor,
        "versions": {name: metadata.version(name) for name in PACKAGES},
        "mails": count,
    }
    database = options.database_url and "peer_helpdesk_email_bench"
    host, _, port = options.imap.rpartition(":")
    with fresh_database(database or str(workdir / "peer-imap.sqlite3")):
        result["imap"] = measure(
            email_box_type="imap",
            email_box_host=host,
            email_box_port=int(port),
            email_box_ssl=False,
            email_box_user=options.imap_user,
            email_box_pass=options.imap_password,
            email_box_imap_folder="INBOX",
        )
    local = workdir / "local-mailbox"
    local.mkdir()
    utf8 = [path for path in Path(options.mails).glob("*.eml") if _is_utf8(path.read_bytes())]
    for path in utf8:
        shutil.copy(path, local / path.name)
    with fresh_database(database or str(workdir / "peer-local.sqlite3")):
        result["local"] = {
            "mails": len(utf8),
            **measure(email_box_type="local", email_box_local_dir=str(local)),
        }
    print(json.dumps(result))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--database-url", default="", help="a PostgreSQL URL instead")
    parser.add_argument("--mails", required=True, help="a directory of .eml files")
    parser.add_argument("--imap", required=True, help="host:port of the IMAP server")
    parser.add_argument("--imap-user", required=True)
    parser.add_argument("--imap-password", required=True)
    return parser.parse_args()


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def measure(**mailbox: Any) -> dict[str, Any]:
    from django.core import mail
    from django.core.management import call_command
    from helpdesk.models import FollowUp, Queue, Ticket

    Queue.objects.create(
        title="Support",
        slug="support",
        email_address="contact@leviatan.ro",
        allow_email_submission=True,
        email_box_interval=0,
        **mailbox,
    )
    mail.outbox = []
    started = time.perf_counter()
    call_command("get_email", quiet=True)
    seconds = time.perf_counter() - started
    tickets = Ticket.objects.count()
    return {
        "seconds": seconds,
        "tickets": tickets,
        "per_second": tickets / seconds,
        "followups": FollowUp.objects.count(),
        "mails_sent": len(mail.outbox),
    }


if __name__ == "__main__":
    main()
