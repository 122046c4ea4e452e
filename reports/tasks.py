"""Background tasks of the reports app, run by `manage.py db_worker` (django-tasks, database backend).

A task is stored by its import path (``reports.tasks.build_batch``), so this module
is what every worker, on every machine, imports. The work itself is in reports.batch.
"""

from django_tasks import task


@task()
def build_batch(batch_id: int) -> None:
    """Build the ZIP of all reports of a ReportBatch's campaign. Safe to run twice: see run_batch."""
    from .batch import run_batch  # reports.batch imports this module to enqueue

    run_batch(batch_id)
