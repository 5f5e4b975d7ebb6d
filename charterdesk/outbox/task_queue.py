"""Background tasks on Django's task API, run by the one worker process.

With django-tasks' database backend (the default), tasks wait in a table; each worker
pass runs the ready ones with the backend's own worker in batch mode, so there is one
process and one loop to operate (docs/decisions/0005-outbox-at-least-once.md).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def run_ready_tasks(limit: int) -> int:
    """Run up to ``limit`` ready tasks; how many ran. Other backends run tasks themselves.

    Only a worker outside any transaction drains the queue: the backend's worker checks
    its connection between tasks, which must not happen inside someone's transaction."""
    if settings.TASKS["default"]["BACKEND"] != DATABASE_BACKEND or connection.in_atomic_block:
        return 0
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=limit,
        worker_id=f"run_worker-{os.getpid()}",
        excluded_queue_names=[],
    )
    worker.run()
    return worker._run_tasks
