"""``manage.py db_worker``: django-tasks' database worker, with a heartbeat (core.worker).

The same command and options as django_tasks_db's (this app comes before it in INSTALLED_APPS, so
this one is found first); its worker also keeps a row in core.WorkerHeartbeat while it runs, so the
pages can say when tasks wait and no worker runs them.
"""

from django_tasks_db.management.commands import db_worker as upstream

from core.worker import heartbeat


class HeartbeatWorker(upstream.Worker):
    """The upstream worker, beating while its loop runs (in the reloader's child, with --reload)."""

    def run(self) -> None:
        queues = ["*"] if self.process_all_queues else list(self.queue_names)
        with heartbeat(self.worker_id, queues):
            super().run()


class Command(upstream.Command):
    help = "Run a database background worker (with a heartbeat the pages read: core.worker)"

    def handle(self, *args, **options) -> None:
        # The upstream command builds its worker from its module's ``Worker``: ours, for this call.
        original = upstream.Worker
        upstream.Worker = HeartbeatWorker
        try:
            super().handle(*args, **options)
        finally:
            upstream.Worker = original
