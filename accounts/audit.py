"""Writing the security audit trail (安全审计日志): one function, used by every layer.

``record`` appends one ``AuditLog`` entry. Call it inside the transaction of the write it
records, so the entry and the change commit or roll back together. Security events that
happen outside a write (a failed sign-in, a download) are recorded on their own.
"""

from django.http import HttpRequest

from core.net import client_ip

from .models import AuditLog

Kind = AuditLog.Kind
Result = AuditLog.Result


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    actor=None,
    username: str = "",
    result: str = Result.SUCCESS,
    obj=None,
    model: str = "",
    object_id: str | int = "",
    label: str = "",
    before: dict | None = None,
    after: dict | None = None,
    detail: str = "",
) -> AuditLog:
    """Append one entry.

    ``actor`` defaults to the request's signed-in user; ``username`` to the actor's. ``obj`` (a
    model instance) fills ``model``, ``object_id`` and ``label`` unless they are given.
    """
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if not username and actor is not None:
        username = actor.get_username()
    if obj is not None:
        model = model or obj._meta.label_lower
        object_id = object_id or obj.pk or ""
        label = label or str(obj)
    return AuditLog.objects.create(
        kind=kind,
        result=result,
        actor=actor,
        username=(username or "")[:150],
        ip=client_ip(request) if request is not None else None,
        path=(request.get_full_path() if request is not None else "")[:300],
        model=model[:60],
        object_id=str(object_id)[:64],
        label=(label or "")[:200],
        before=before,
        after=after,
        detail=detail,
    )
