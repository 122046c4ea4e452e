"""The upload → preview → confirm flow shared by every Excel import.

An import module provides a plan (what would happen, with every error) and an
import (plan and write, all or nothing). This module stores the uploaded file
with its preview, and later applies it once, re-checking it against the
database as it is at that moment.
"""

import hashlib
import uuid
from collections.abc import Callable
from typing import Protocol

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Upload


class Plan(Protocol):
    @property
    def ok(self) -> bool: ...

    def summary(self) -> dict: ...


def upload_store(*, model: type[Upload], name: str, data: bytes, user, plan: Plan, **fields) -> Upload:
    """Keep an uploaded file with its preview (``plan``); nothing else is written.

    A file that failed its checks is not kept (only the record of the attempt and its errors),
    and a file whose record could not be saved is removed again: no upload leaves an orphan file.
    """
    upload = model(
        original_name=name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        status=Upload.Status.PREVIEWED if plan.ok else Upload.Status.FAILED,
        summary=plan.summary(),
        uploaded_by=user,
        **fields,
    )
    if not plan.ok:
        upload.save()
        return upload
    upload.file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(data), save=False)
    stored = upload.file.name
    try:
        upload.save()
    except BaseException:
        upload.file.storage.delete(stored)
        raise
    return upload


@transaction.atomic
def upload_apply(*, upload: Upload, run: Callable[[bytes], Plan]) -> Plan:
    """Import a previewed upload once. ``run`` imports the bytes (all or nothing) and returns its plan."""
    # Lock the record so a double click cannot import the same upload twice.
    upload = type(upload).objects.select_for_update().get(pk=upload.pk)
    if upload.status != Upload.Status.PREVIEWED:
        raise ValidationError(_("该文件已经导入过，或存在错误，不能导入。请重新上传。"))
    with upload.file.open("rb") as stored:
        data = stored.read()
    plan = run(data)
    upload.summary = plan.summary()
    if plan.ok:
        upload.status = Upload.Status.APPLIED
        upload.applied_at = timezone.now()
    else:
        upload.status = Upload.Status.FAILED
        # A file that failed is not kept (see upload_store); removed once the record says so.
        stored, storage = upload.file.name, upload.file.storage
        upload.file = ""
        transaction.on_commit(lambda: storage.delete(stored) if stored else None)
    upload.save(update_fields=["summary", "status", "applied_at", "file"])
    return plan
