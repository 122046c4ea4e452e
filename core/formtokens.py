"""One record per submitted form: the token of a rendered form, used once.

Every form that creates something carries a hidden ``form_token`` (``{% form_token %}``, a new
UUID each time the form is rendered). The view runs its create through ``submit_once``, which
records the token in ``FormToken`` (unique) in the same transaction as the record. A second
submission of the same form — a double click, a request resent after a lost answer, two tabs —
creates nothing: it gets ``replayed=True`` and the record the first one created, and answers as
the first did. Two submissions racing each other meet at the token's unique key: the second
waits for the first to commit (SQLite: the write lock; PostgreSQL: the uncommitted key), then
replays it. A submission that failed (a validation error) rolled its token back with everything
else, so the corrected form can be sent again with the same token.

Tokens are kept 30 days; older ones are pruned now and then by the creates themselves.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormToken

FIELD = "form_token"
KEEP = dt.timedelta(days=30)
PRUNE_ONE_IN = 64  # creates that also prune expired tokens, on average


def new_token() -> str:
    return str(uuid.uuid4())


def replayed_message() -> str:
    """Told to whoever submitted a form a second time (with a redirect, as the first was told)."""
    return _("这份表单已经提交过，没有重复保存。")


def expired() -> ValidationError:
    return ValidationError(_("表单已过期或不完整，请刷新页面后重新填写提交。"), code="form_token")


@dataclass(frozen=True)
class Submission:
    """What ``submit_once`` did: ``created`` is what the create returned (first submission) or the
    record the first submission created (a replay; None if it has been deleted since)."""

    created: Any
    replayed: bool


def _token(request: HttpRequest) -> uuid.UUID:
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        raise expired() from None


def _replay(request: HttpRequest, row: FormToken) -> Submission:
    if row.user_id != request.user.pk or row.path != request.path[:300]:
        raise expired()  # somebody else's form, or another page's
    created = None
    if row.model and row.object_id is not None:
        model = apps.get_model(row.model)
        created = model._default_manager.filter(pk=row.object_id).first()
    return Submission(created=created, replayed=True)


def submit_once(request: HttpRequest, create: Callable[[], Any]) -> Submission:
    """Run ``create`` (the service call that makes the record) once for the form's token.

    Raises ValidationError when the request carries no token, or another person's; whatever
    ``create`` raises passes through, and then nothing (not even the token) is written.
    """
    token = _token(request)
    done = FormToken.objects.filter(token=token).first()
    if done is not None:
        return _replay(request, done)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = FormToken.objects.create(token=token, user=request.user, path=request.path[:300])
        except IntegrityError:
            row = None  # the same form's other submission got there first; replay it below
        if row is not None:
            created = create()
            if isinstance(created, models.Model) and created.pk is not None:
                row.model, row.object_id = created._meta.label_lower, created.pk
                row.save(update_fields=["model", "object_id"])
            if token.int % PRUNE_ONE_IN == 0:
                FormToken.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
            return Submission(created=created, replayed=False)
    return _replay(request, FormToken.objects.get(token=token))
