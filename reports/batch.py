"""Batch export: every report of a campaign in one ZIP, built in the background.

``batch_request`` records a ReportBatch and enqueues ``reports.tasks.build_batch``
on the database-backed task queue; ``manage.py db_worker`` (on any machine that
shares the database) picks it up and calls ``run_batch``, which writes the
reports one by one into a ZIP, saving ``done`` after each so the batch page can
show progress, and ends the batch done (with the file) or failed (with a
message). A batch is taken by one worker only: the task starts it with a
conditional UPDATE (queued → running), so a second run of the same task is a
no-op.
"""

import datetime as dt
import hashlib
import logging
import re
import tempfile
import zipfile
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Campaign, Target
from core import worker

from .context import build_report
from .models import ReportBatch, ReportExport
from .tasks import build_batch

logger = logging.getLogger(__name__)

ACTIVE = (ReportBatch.Status.QUEUED, ReportBatch.Status.RUNNING)

#: No batch takes this long: one still queued or running after it is taken for dead
#: (a worker killed mid-task, or none running), so it no longer blocks a new request.
STALE_AFTER = dt.timedelta(hours=6)

_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class BatchInProgress(ValidationError):
    """Refused: the campaign already has a batch queued or running (``.batch``)."""

    def __init__(self, batch: ReportBatch):
        super().__init__(
            _("该考核工作的报告正在批量导出（%(status)s），请等待完成后再重新生成。")
            % {"status": batch.get_status_display()},
            code="batch_in_progress",
        )
        self.batch = batch


def zip_file_name(campaign: Campaign) -> str:
    """2021年度党建工作年终考核_考核报告.zip"""
    title = _UNSAFE_IN_FILE_NAME.sub("_", campaign.title).strip(" .") or str(campaign.year)
    return f"{title}_考核报告.zip"


def is_active(batch: ReportBatch) -> bool:
    return batch.status in ACTIVE


def waits_for_a_worker(batch: ReportBatch) -> bool:
    """Queued or running while no worker serving its queue is running (core.worker's heartbeat):
    nothing will happen until an administrator of the server starts one."""
    return is_active(batch) and not worker.running(build_batch.queue_name)


def is_stale(batch: ReportBatch) -> bool:
    return is_active(batch) and batch.requested_at < timezone.now() - STALE_AFTER


def expire_stale(campaign: Campaign | None = None) -> int:
    """Mark batches queued or running for longer than STALE_AFTER failed; how many were."""
    cutoff, now = timezone.now() - STALE_AFTER, timezone.now()
    batches = ReportBatch.objects.filter(requested_at__lt=cutoff)
    if campaign is not None:
        batches = batches.filter(campaign=campaign)
    expired = batches.filter(status=ReportBatch.Status.RUNNING).update(
        status=ReportBatch.Status.FAILED,
        error=_("导出长时间未完成，后台任务可能已中断。请重新生成。"),
        finished_at=now,
    )
    expired += batches.filter(status=ReportBatch.Status.QUEUED).update(
        status=ReportBatch.Status.FAILED,
        error=_("导出长时间未开始，后台任务进程可能没有运行。请联系系统管理员检查后重新生成。"),
        finished_at=now,
    )
    return expired


def batch_request(*, campaign: Campaign, user) -> ReportBatch:
    """Record a batch of all the campaign's reports and queue it for a worker.

    Refused (BatchInProgress, a ValidationError carrying the batch) while another
    batch of the campaign is queued or running, and (ValidationError) when the
    campaign has no targets.
    """
    expire_stale(campaign)
    with transaction.atomic():
        # Serialize requests for one campaign, so two clicks cannot both pass the check below.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        active = ReportBatch.objects.filter(campaign=campaign, status__in=ACTIVE).order_by("-pk").first()
        if active is not None:
            raise BatchInProgress(active)
        total = Target.objects.filter(campaign=campaign).count()
        if not total:
            raise ValidationError(_("该考核工作还没有考核对象，没有可以导出的报告。"), code="no_targets")
        try:
            with transaction.atomic():
                batch = ReportBatch.objects.create(campaign=campaign, requested_by=user, total=total)
        except IntegrityError:  # a simultaneous request won (the one-active-batch constraint)
            raise BatchInProgress(
                ReportBatch.objects.filter(campaign=campaign, status__in=ACTIVE).first()
            ) from None
        # With the database backend the task is a row written in this same transaction:
        # the worker sees the batch and its task together, or neither.
        build_batch.enqueue(batch.pk)
    return batch


def _render(context) -> bytes:
    # Imported here: the Word renderer (python-docx) is needed by the worker only.
    from core.officialdoc import render_docx

    return render_docx(context)


def _unique(name: str, taken: set[str]) -> str:
    """The entry name, with （2）, （3）… before the extension if an earlier entry has it."""
    candidate, number = name, 1
    path = PurePosixPath(name)
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{path.stem}（{number}）{path.suffix}"
    taken.add(candidate.casefold())
    return candidate


def _zip_info(name: str, timestamp: dt.datetime) -> zipfile.ZipInfo:
    """An entry dated by the report's data (as the .docx is), so the same data gives the same ZIP."""
    when = max(timezone.localtime(timestamp).replace(tzinfo=None), dt.datetime(1980, 1, 1))
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


class _Abandoned(Exception):
    """The batch stopped being ours while we worked (marked failed as stale): drop the work."""


def _still_running(batch_id: int, **fields) -> None:
    if not ReportBatch.objects.filter(pk=batch_id, status=ReportBatch.Status.RUNNING).update(**fields):
        raise _Abandoned


def run_batch(batch_id: int) -> None:
    """Build and store the ZIP of ReportBatch ``batch_id``; the body of the build_batch task.

    Only a queued batch is started, by one conditional UPDATE, so when two workers (or a
    retry) run the task for the same batch, exactly one does the work and the other returns.
    On any error the batch ends failed with a message (the traceback goes to the log).
    """
    taken = ReportBatch.objects.filter(pk=batch_id, status=ReportBatch.Status.QUEUED).update(
        status=ReportBatch.Status.RUNNING, done=0, error=""
    )
    if not taken:
        logger.info("Report batch %s is not queued (taken by another worker, finished or gone).", batch_id)
        return
    batch = ReportBatch.objects.select_related("campaign", "requested_by").get(pk=batch_id)
    current: Target | None = None
    stored = ""
    try:
        targets = list(
            Target.objects.filter(campaign=batch.campaign).select_related("unit").order_by("unit__name", "pk")
        )
        _still_running(batch_id, total=len(targets))
        exports, names = [], set()
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for done, target in enumerate(targets, start=1):
                    current = target
                    context = build_report(target)
                    data = _render(context)
                    name = _unique(context.file_name, names)
                    archive.writestr(_zip_info(name, context.timestamp), data)
                    exports.append(
                        ReportExport(
                            target=target,
                            exported_by=batch.requested_by,
                            target_status=target.status,
                            sha256=hashlib.sha256(data).hexdigest(),
                            file_name=name,
                            size=len(data),
                            batch=batch,
                        )
                    )
                    _still_running(batch_id, done=done)  # its own small UPDATE: the page polls it
            current = None
            spool.seek(0)
            batch.file.save(zip_file_name(batch.campaign), File(spool), save=False)
            stored = batch.file.name
        with transaction.atomic():
            _still_running(
                batch_id,
                status=ReportBatch.Status.DONE,
                file=stored,
                done=len(targets),
                finished_at=timezone.now(),
            )
            ReportExport.objects.bulk_create(exports)
        logger.info("Report batch %s done: %s reports in %s.", batch_id, len(targets), stored)
    except _Abandoned:
        logger.warning("Report batch %s was marked failed while it ran; its work is dropped.", batch_id)
        _delete(batch, stored)
    except BaseException:  # SystemExit too: a worker stopped mid-task must not leave it "running"
        logger.exception("Report batch %s failed (target %s).", batch_id, current.pk if current else "-")
        if current is not None:
            message = _("生成“%(unit)s”的考核报告时出错，批量导出已停止。") % {"unit": current.unit.name}
        else:
            message = _("批量导出时出错，未能生成压缩包。")
        message += _("请稍后重新生成；如仍失败，请联系系统管理员。")
        ReportBatch.objects.filter(pk=batch_id, status=ReportBatch.Status.RUNNING).update(
            status=ReportBatch.Status.FAILED, error=message, finished_at=timezone.now()
        )
        _delete(batch, stored)
        raise


def _delete(batch: ReportBatch, stored: str) -> None:
    if stored:
        try:
            batch.file.storage.delete(stored)
        except Exception:
            logger.exception("Could not delete %s of report batch %s.", stored, batch.pk)
