"""A target's report: the Word file and its preview (the same blocks, drawn as a page)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from accounts import audit
from assessment import permissions
from assessment.views.workspace import gap_links, workspace_context

from ..context import build_report
from ..exporting import report_export
from ..models import ReportExport

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_safe
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """报告预览: the report as it will print, for everyone who may read the target."""
    target = permissions.target_for_read(request.user, pk)
    context = workspace_context(request, target, "report")
    report = build_report(target)
    context.update(
        report=report,
        gaps=gap_links(target, report.gaps),  # the submission check, each gap linked to its fix
        can_download=permissions.can_download_report(request.user, target),
        exports=ReportExport.objects.filter(target=target).select_related("exported_by")[:10],
    )
    return render(request, "reports/preview.html", context)


@require_safe
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The .docx, recorded with its SHA-256 each time it is handed out."""
    target = permissions.target_for_report(request.user, pk)
    data, record = report_export(target=target, user=request.user)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=record.file_name
    )
    response["X-Content-SHA256"] = record.sha256
    audit.export(request, target, label=record.file_name, detail=f"SHA-256 {record.sha256}")
    return response
