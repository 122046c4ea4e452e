"""Batch export pages: start a batch, watch its progress, download the ZIP. Administrators only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import audit
from assessment import permissions
from assessment.permissions import admin_required

from .. import batch as batches
from ..models import ReportBatch


def _batch_for_admin(user, pk: int) -> ReportBatch:
    """A batch whose campaign the user may manage (administrators: every campaign; a missing id is 404)."""
    batch = get_object_or_404(ReportBatch.objects.select_related("campaign", "requested_by"), pk=pk)
    permissions.campaign_for_admin(user, batch.campaign_id)
    if batches.is_stale(batch):
        batches.expire_stale(batch.campaign)
        batch.refresh_from_db()
    return batch


def _zip_size(batch: ReportBatch) -> int | None:
    try:
        return batch.file.size if batch.status == ReportBatch.Status.DONE and batch.file else None
    except OSError:
        return None


def _progress_context(batch: ReportBatch) -> dict:
    return {
        "batch": batch,
        "campaign": batch.campaign,
        "polling": batches.is_active(batch),
        "no_worker": batches.waits_for_a_worker(batch),
        "zip_size": _zip_size(batch),
    }


@admin_required
@require_POST
def batch_start(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_admin(request.user, pk)
    try:
        batch = batches.batch_request(campaign=campaign, user=request.user)
    except batches.BatchInProgress as exc:
        messages.info(request, " ".join(exc.messages))
        return redirect("reports:batch_detail", exc.batch.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(campaign)
    messages.success(request, _("已开始批量导出“%(title)s”的考核报告。") % {"title": campaign.title})
    return redirect("reports:batch_detail", batch.pk)


@admin_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for_admin(request.user, pk)
    earlier = (
        ReportBatch.objects.filter(campaign=batch.campaign, status=ReportBatch.Status.DONE)
        .exclude(pk=batch.pk)
        .select_related("requested_by")[:5]
    )
    return render(request, "reports/batch_detail.html", {**_progress_context(batch), "earlier": earlier})


@admin_required
@require_GET
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial, which htmx polls every second while the batch is queued or running."""
    batch = _batch_for_admin(request.user, pk)
    response = render(request, "reports/_batch_progress.html", _progress_context(batch))
    response["Cache-Control"] = "no-store"
    return response


@admin_required
@require_GET
def batch_download(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for_admin(request.user, pk)
    if batch.status != ReportBatch.Status.DONE or not batch.file:
        raise Http404(_("压缩包尚未生成。"))
    try:
        handle = batch.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("压缩包文件已不存在，请重新生成。"))
    response = FileResponse(handle, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=batches.zip_file_name(batch.campaign)
    )
    audit.download(request, batch.campaign, label=batches.zip_file_name(batch.campaign))
    return response
