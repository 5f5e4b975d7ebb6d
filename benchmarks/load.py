"""A load test on loopback: the console queue and the tracking portal at 100,000 cases.

Run: ``.venv/bin/python benchmarks/load.py [--cases 100000] [--postgres URL]
[--seconds 60] [--users 16] [--workers 3]``. Writes the ``load-sqlite-N`` or
``load-postgresql-N`` section of BENCHMARKS.md; docs/reliability.md quotes it.

The history of ``--cases`` cases (``desk_history.py``, made once and kept under
/tmp/charterdesk-bench) is copied, so the run's own writes (sessions, views of personal
data, rate-limit rows) leave it as it was. On the copy: the busiest organization's agent
gets a logged-in session, and 200 of its cases get a tracking link (a token, as an
acknowledgement carries). Then gunicorn (``--workers`` sync workers, the production
server) serves the desk on 127.0.0.1, and locust runs headless for ``--seconds``: half
the users are the agent paging the queue with the console's filters (``/desk/<org>/``),
half are customers opening their tracking page (``/track/<token>/``), each waiting
0.5-1.5 s between requests. A few requests per worker warm the server up first (not
counted). Reported: requests, p50/p95/p99 and max per kind, every
non-200 answer, and the 5xx count (the goal is zero), with the load average before and
after (the machine is shared).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent))

from _bench_db import base_for, ensure_history, is_postgres, load, scratch
from _report import machine_summary, write_section

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TOKENS = 200

#: The locust users, written next to the run's data and handed to ``locust -f``.
LOCUSTFILE = '''
import json
import os
import random

from locust import HttpUser, between, task

SETUP = json.loads(open(os.environ["CHARTERDESK_LOAD_SETUP"], encoding="utf-8").read())
FILTERS = SETUP["filters"]


def check(response, kind):
    if response.status_code != 200:
        response.failure(f"{kind}: HTTP {response.status_code}")
    else:
        response.success()


class Agent(HttpUser):
    """The busiest organization's agent, paging the queue with the console's filters."""

    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.client.cookies.set(SETUP["cookie"], SETUP["session"])

    @task
    def queue(self):
        _kind, params = random.choice(FILTERS)
        with self.client.get(SETUP["queue"], params=params, name="console: queue page",
                             catch_response=True, allow_redirects=False) as response:
            check(response, "queue")


class Customer(HttpUser):
    """A customer opening the tracking page of their case from the link we mailed."""

    wait_time = between(0.5, 1.5)

    @task
    def track(self):
        token = random.choice(SETUP["tokens"])
        with self.client.get(f"/track/{token}/", name="portal: tracking page",
                             catch_response=True, allow_redirects=False) as response:
            check(response, "portal")
'''


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(copy: str, folder: Path) -> dict[str, Any]:
    """On the copy: a session for the busiest organization's agent, tracking links, and
    the queue's filters (those of benchmarks/queue_page.py)."""
    from desk_history import use_database

    use_database(copy)
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django.utils.module_loading import import_string
    from queue_page import busiest_organization, requests_for

    from charterdesk.cases.models import Case
    from charterdesk.portal.links import grant, new_token

    org = busiest_organization()
    agent = User.objects.get(username=f"bench-agent1@{org.slug}")
    session = SessionStore()
    session[SESSION_KEY] = str(agent.pk)
    session[BACKEND_SESSION_KEY] = next(  # as login() stores it (axes' backend logs no one in)
        path for path in settings.AUTHENTICATION_BACKENDS
        if hasattr(import_string(path), "get_user")
    )  # fmt: skip
    session[HASH_SESSION_KEY] = agent.get_session_auth_hash()
    session.create()
    rng = random.Random(2026)
    now = timezone.now()
    ids = list(Case.objects.filter(organization=org).values_list("pk", flat=True))
    tokens = []
    for case in Case.objects.filter(pk__in=rng.sample(ids, min(TOKENS, len(ids)))):
        token = new_token()
        grant(case, token, now)
        tokens.append(token)
    setup = {
        "org": org.slug,
        "queue": f"/desk/{org.slug}/",
        "cookie": settings.SESSION_COOKIE_NAME,
        "session": session.session_key,
        "tokens": tokens,
        "filters": requests_for(org, rng, 200),
        "cases": Case.objects.count(),
        "org_cases": len(ids),
    }
    (folder / "setup.json").write_text(json.dumps(setup), encoding="utf-8")
    (folder / "locustfile.py").write_text(LOCUSTFILE, encoding="utf-8")
    return setup


def serve(copy: str, port: int, workers: int, folder: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    if is_postgres(copy):
        env["CHARTERDESK_DATABASE_URL"] = copy
    else:
        env.pop("CHARTERDESK_DATABASE_URL", None)
        env["CHARTERDESK_VAR_DIR"] = str(Path(copy).resolve())
    env.update(DJANGO_SETTINGS_MODULE="charterdesk.settings", CHARTERDESK_DEBUG="0")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "charterdesk.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--access-logfile", "-",
         "--access-logformat", '%(s)s %(m)s "%(U)s" %(M)s'],
        cwd=ROOT, env=env, stdout=(folder / "access.log").open("wb"),
        stderr=(folder / "gunicorn.log").open("wb"), start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                sys.exit(f"gunicorn did not start: see {folder / 'gunicorn.log'}")
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start within 60 s")


def warm(port: int, setup: dict[str, Any], workers: int) -> None:
    """A few requests of each kind first, so every worker has loaded the desk (templates,
    translations, charters) before the measured run; not counted."""
    import urllib.request

    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", f"{setup['cookie']}={setup['session']}")]
    for n in range(4 * workers):
        for path in (setup["queue"], f"/track/{setup['tokens'][n % len(setup['tokens'])]}/"):
            with opener.open(f"http://127.0.0.1:{port}{path}", timeout=120) as response:
                response.read()


def swarm(port: int, users: int, seconds: int, folder: Path) -> None:
    env = dict(os.environ, CHARTERDESK_LOAD_SETUP=str(folder / "setup.json"))
    subprocess.run(
        [str(BIN / "locust"), "-f", str(folder / "locustfile.py"), "--headless",
         "--host", f"http://127.0.0.1:{port}", "--users", str(users),
         "--spawn-rate", str(max(1, users // 4)), "--run-time", f"{seconds}s",
         "--csv", str(folder / "run"), "--only-summary", "--loglevel", "WARNING",
         "--exit-code-on-error", "0"],
        env=env, check=True, cwd=folder,
    )  # fmt: skip


def access_counts(folder: Path, skip: int) -> dict[str, int]:
    """Every status code gunicorn answered with, from its access log (after ``skip`` lines)."""
    counts: dict[str, int] = {}
    for line in (folder / "access.log").read_text(encoding="utf-8").splitlines()[skip:]:
        status = line.split(" ", 1)[0]
        if status.isdigit():
            counts[status] = counts.get(status, 0) + 1
    return counts


def read_stats(folder: Path) -> list[dict[str, str]]:
    with (folder / "run_stats.csv").open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def read_failures(folder: Path) -> list[dict[str, str]]:
    path = folder / "run_failures.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--postgres", help="a PostgreSQL server's URL (default: SQLite)")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    base = base_for(args.cases, args.postgres)
    ensure_history(base, args.cases)
    copy = scratch(base, "load")
    folder = Path(os.environ.get("CHARTERDESK_BENCH_DIR", "/tmp/charterdesk-bench")) / (
        f"load-run-{'postgresql' if is_postgres(base) else 'sqlite'}-{args.cases}"
    )
    folder.mkdir(parents=True, exist_ok=True)
    setup = prepare(copy, folder)
    port = free_port()
    before = load()
    server = serve(copy, port, args.workers, folder)
    try:
        warm(port, setup, args.workers)
        warm_lines = len((folder / "access.log").read_bytes().splitlines())  # not counted
        swarm(port, args.users, args.seconds, folder)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    after = load()
    stats, failures = read_stats(folder), read_failures(folder)
    codes = access_counts(folder, skip=warm_lines)
    vendor = "postgresql" if is_postgres(base) else "sqlite"
    text = report(args, vendor, setup, (stats, failures, codes), (before, after))
    print(text)
    write_section(f"load-{vendor}-{args.cases}", text)


def report(
    args: argparse.Namespace,
    vendor: str,
    setup: dict[str, Any],
    measured: tuple[list[dict[str, str]], list[dict[str, str]], dict[str, int]],
    loads: tuple[str, str],
) -> str:
    stats, failures, codes = measured
    database = "PostgreSQL" if vendor == "postgresql" else "SQLite (WAL)"
    total = next(row for row in stats if row["Name"] == "Aggregated")
    by_kind = [row for row in stats if row["Name"] != "Aggregated"]
    queue = [row for row in by_kind if row["Name"].startswith("console")]
    portal = [row for row in by_kind if row["Name"].startswith("portal")]
    server_errors = sum(n for code, n in codes.items() if code.startswith("5"))
    requests = int(total["Request Count"])
    failed = int(total["Failure Count"])
    rows = "\n".join(_row(row) for row in [*portal, *queue, total])
    answers = ", ".join(f"{code}: {n:,}" for code, n in sorted(codes.items()))
    failed_lines = "\n".join(
        f"- {row['Name']}: {row['Error']} ({row['Occurrences']}x)" for row in failures
    )
    title = f"Load: console queue and tracking portal at {args.cases:,} cases, {database}"
    return f"""## {title} (`benchmarks/load.py`)

{machine_summary("django", "gunicorn", "locust")} Load average (1, 5, 15 min) before the
run: {loads[0]}; after: {loads[1]} (the machine is shared with other work).

gunicorn with {args.workers} sync workers on 127.0.0.1; locust, headless, {args.users} users
for {args.seconds} s: half of them {setup["org"]}'s agent paging the queue
({setup["org_cases"]:,} cases) with the console's filters, half customers opening their
tracking page (one of {len(setup["tokens"])} links), each waiting 0.5-1.5 s between requests.
{requests:,} requests ({float(total["Requests/s"]):.1f}/s), {failed} not answered 200.

| request | count | p50 ms | p95 ms | p99 ms | max ms |
| --- | ---: | ---: | ---: | ---: | ---: |
{rows}

Answers by status (gunicorn's access log): {answers}. **5xx: {server_errors}** (goal: 0);
error rate {failed / requests if requests else 0:.2%}.
{failed_lines}"""


def _row(row: dict[str, str]) -> str:
    name = "**all**" if row["Name"] == "Aggregated" else row["Name"]
    return (
        f"| {name} | {int(row['Request Count']):,} | {row['50%']} | {row['95%']} | "
        f"{row['99%']} | {float(row['Max Response Time']):.0f} |"
    )


if __name__ == "__main__":
    main()
