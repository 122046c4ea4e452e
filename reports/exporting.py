"""Handing out a target's report: render it and record who took which file, when."""

import hashlib

from django.db import transaction

from assessment.models import Target

from .context import build_report
from .models import ReportExport


@transaction.atomic
def report_export(*, target: Target, user, batch=None) -> tuple[bytes, ReportExport]:
    """The report's .docx and the record of this export (who, when, the state then, SHA-256)."""
    from core.officialdoc import render_docx  # the renderer pulls in python-docx; only load it when exporting

    context = build_report(target)
    data = render_docx(context)
    record = ReportExport.objects.create(
        target=target,
        exported_by=user,
        target_status=target.status,
        sha256=hashlib.sha256(data).hexdigest(),
        file_name=context.file_name,
        size=len(data),
        batch=batch,
    )
    return data, record
