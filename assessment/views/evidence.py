"""Evidence files (资料印证): upload, download, thumbnail, delete.

Files are never reachable by a public URL: every download goes through
``evidence_file`` / ``evidence_thumbnail``, which check that the user may read
the target (404 otherwise). Uploads and deletes need the right to edit the
target's findings (403 for reviewers and for a submitted target).

The upload and delete views answer an htmx request with the refreshed
``assessment/workspace/_evidence.html`` partial (422 with the message when a
file is refused), and a plain form post with a redirect back.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import audit
from core.formtokens import replayed_message, submit_once

from .. import permissions
from ..models import Deduction, Evidence, Problem
from ..services import evidence as services
from ..services import locks

PARTIAL = "assessment/workspace/_evidence.html"

# Shown in the browser (opened from the list); Office files are downloaded.
INLINE_TYPES = {services.PDF.content_type, services.JPEG.content_type, services.PNG.content_type}

# The site's policy forbids plugins (object-src 'none'), which also stops Chrome's built-in PDF
# viewer from showing a PDF opened directly. A PDF response carries this narrower policy instead:
# it can only ever be rendered as a PDF (explicit Content-Type, nosniff), never as a page.
PDF_POLICY = "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def _kind(finding: Model) -> str:
    return "deduction" if isinstance(finding, Deduction) else "problem"


def evidence_context(
    finding: Deduction | Problem, *, can_edit: bool, error: str = "", next_url: str = ""
) -> dict:
    """What the _evidence.html partial needs for one deduction or problem; the workspace page
    includes the partial with this context for each finding."""
    kind = _kind(finding)
    return {
        "finding": finding,
        "kind": kind,
        "evidence": list(finding.evidence.all()),
        "can_edit": can_edit,
        "upload_url": reverse(f"campaigns:{kind}_evidence", args=[finding.pk]),
        "accept": services.ACCEPT,
        "max_mb": services.megabytes(services.max_bytes()),
        "error": error,
        "next_url": next_url,
    }


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _answer(request: HttpRequest, finding, target, *, error: str = "") -> HttpResponse:
    next_url = _safe_next(request)
    if _is_htmx(request):
        context = evidence_context(
            finding, can_edit=not locks.target_refusal(target, locks.FINDINGS), error=error, next_url=next_url
        )
        return render(request, PARTIAL, context, status=422 if error else 200)
    if error:
        messages.error(request, error)
    return redirect(next_url or target.get_absolute_url())


# --- download ----------------------------------------------------------------------------


def _readable_evidence(request: HttpRequest, pk: int) -> Evidence:
    evidence = get_object_or_404(Evidence, pk=pk)
    permissions.target_for_read(request.user, evidence.target_id)
    return evidence


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response


@require_safe
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _readable_evidence(request, pk)
    try:
        stream = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = evidence.content_type in INLINE_TYPES
    response = FileResponse(stream, content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=not inline, filename=evidence.original_name
    )
    if evidence.content_type == services.PDF.content_type:
        response["Content-Security-Policy"] = PDF_POLICY
    audit.download(request, evidence, label=evidence.original_name)
    return _private(response)


@require_safe
def evidence_thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _readable_evidence(request, pk)
    if not evidence.thumbnail:
        raise Http404
    try:
        stream = evidence.thumbnail.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return _private(FileResponse(stream, content_type="image/jpeg"))


# --- upload and delete ---------------------------------------------------------------------


def _upload(request: HttpRequest, finding: Deduction | Problem) -> HttpResponse:
    target = permissions.target_for_edit(request.user, finding.target_id)
    files = request.FILES.getlist("file")
    try:
        submission = submit_once(
            request,
            lambda: services.evidence_attach_many(
                deduction=finding if isinstance(finding, Deduction) else None,
                problem=finding if isinstance(finding, Problem) else None,
                uploads=files,
                user=request.user,
            ),
        )
    except ValidationError as exc:
        return _answer(request, finding, target, error="\n".join(exc.messages))
    if not _is_htmx(request):
        if submission.replayed:
            messages.info(request, replayed_message())
        else:
            messages.success(request, _("已上传 %(count)d 个文件。") % {"count": len(submission.created)})
    return _answer(request, finding, target)


@require_POST
def deduction_evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload(request, get_object_or_404(Deduction, pk=pk))


@require_POST
def problem_evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    return _upload(request, get_object_or_404(Problem, pk=pk))


@require_POST
def evidence_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("deduction", "problem"), pk=pk)
    target = permissions.target_for_edit(request.user, evidence.target_id)
    finding = evidence.deduction or evidence.problem
    name = evidence.original_name
    services.evidence_delete(evidence=evidence, user=request.user)
    if not _is_htmx(request):
        messages.success(request, _("已删除文件“%(name)s”。") % {"name": name})
    return _answer(request, finding, target)
