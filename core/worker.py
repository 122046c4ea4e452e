"""Whether a background worker is running, so that a task queued with none says so.

Background tasks (the batch export) wait in the database until ``manage.py db_worker`` runs them.
django-tasks' worker records nothing while it waits for work, so a queue nobody serves looks like
a queue that is merely busy. Our ``db_worker`` (core/management/commands/db_worker.py, the same
command with a heartbeat) therefore keeps a row in WorkerHeartbeat:

- written when the worker starts, then every ``HEARTBEAT_SECONDS`` by a thread of its own, so a
  worker busy with a long task still beats;
- deleted when the worker stops (Ctrl+C, SIGTERM, ``--batch`` done), so a stop shows at once;
- a worker killed outright (``kill -9``, a crash, the machine gone) leaves its row, which counts
  as stopped once it is older than ``STOPPED_AFTER_SECONDS``.

``running(queue)`` answers from the rows alone (one query on a table of a few rows). The pages
say "后台任务未运行，请联系系统管理员启动" when a task waits and no worker serving its queue
has beaten recently: the batch-export page (polled every second) and the administrator's home.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.compat import DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

#: How often a running worker writes its heartbeat (settings.WORKER_HEARTBEAT_SECONDS).
HEARTBEAT_SECONDS = 5
#: A heartbeat older than this is a worker that has stopped: four beats missed
#: (settings.WORKER_STOPPED_AFTER_SECONDS).
STOPPED_AFTER_SECONDS = 20
#: Rows of workers gone for this long are deleted by the next beat of any worker.
FORGET_AFTER = dt.timedelta(days=1)

NOT_RUNNING = _("后台任务未运行，请联系系统管理员启动。")


def beat(worker_id: str, queues: list[str], *, started_at=None) -> None:
    """Record that worker ``worker_id`` (serving ``queues``; "*" for all) is alive now."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "seen_at": now,
            "queues": list(queues),
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
        create_defaults={
            "seen_at": now,
            "started_at": started_at or now,
            "queues": list(queues),
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def forget(worker_id: str) -> None:
    """The worker stopped: its row goes, so the pages know at once."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _every() -> float:
    return getattr(settings, "WORKER_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS)


def _stopped_after() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "WORKER_STOPPED_AFTER_SECONDS", STOPPED_AFTER_SECONDS))


def _forget_the_long_gone() -> None:
    cutoff = timezone.now() - FORGET_AFTER
    for row in WorkerHeartbeat.objects.filter(seen_at__lt=cutoff):
        row.delete()


def live_workers():
    """Heartbeats recent enough to be a running worker."""
    return WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - _stopped_after())


def _served_queues() -> list[list[str]]:
    return [row.queues for row in live_workers().only("queues")]


def _served(queue: str, served: list[list[str]]) -> bool:
    return any(queue in queues or "*" in queues for queues in served)


def running(queue: str = DEFAULT_TASK_QUEUE_NAME) -> bool:
    """Whether some worker serving ``queue`` has beaten within STOPPED_AFTER_SECONDS."""
    return _served(queue, _served_queues())


def waiting_without_worker() -> int:
    """How many tasks wait to run in queues that no running worker serves (0 when all are served)."""
    waiting = list(DBTaskResult.objects.ready().values_list("queue_name", flat=True))
    if not waiting:
        return 0
    served = _served_queues()
    return sum(1 for queue in waiting if not _served(queue, served))


class _Beating(threading.Thread):
    """Writes a worker's heartbeat every few seconds until stopped (with its own connection)."""

    def __init__(self, worker_id: str, queues: list[str], started_at):
        super().__init__(name=f"heartbeat-{worker_id[:8]}", daemon=True)
        self.worker_id, self.queues, self.started_at = worker_id, queues, started_at
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(_every()):
                try:
                    close_old_connections()
                    beat(self.worker_id, self.queues, started_at=self.started_at)
                    _forget_the_long_gone()
                except Exception:  # a database hiccup: try again at the next beat
                    logger.exception("Worker %s could not write its heartbeat.", self.worker_id)
        finally:
            connection.close()


@contextmanager
def heartbeat(worker_id: str, queues: list[str]):
    """Keep ``worker_id``'s heartbeat while the block runs (the worker's loop), and remove it after."""
    started_at = timezone.now()
    beat(worker_id, queues, started_at=started_at)
    beating = _Beating(worker_id, queues, started_at)
    beating.start()
    try:
        yield
    finally:
        beating.stopping.set()
        beating.join(timeout=_every() + 5)
        try:
            forget(worker_id)
        except Exception:
            logger.exception("Worker %s could not remove its heartbeat.", worker_id)
