"""Writing the security audit trail (安全审计日志): one function, used by every layer.

``record`` appends one ``AuditLog`` entry. Call it inside the transaction of the write it
records, so the entry and the change commit or roll back together. Security events that
happen outside a write (a failed sign-in, a download) are recorded on their own.

Who acted comes from the arguments, else from ``accounts.acting``: the request being served
(``accounts.middleware.RequestContextMiddleware``), or the person or command a task runs for
(``with audit.acting(user):``). Writes to the models themselves are recorded by
``accounts.model_audit``; downloads and exports by the views that hand the files out
(``download``, ``export``); refused writes by the middleware (``denied``).
"""

from django.http import HttpRequest

from core.net import client_ip

from .acting import Acting, acting, current
from .models import AuditLog

Kind = AuditLog.Kind
Result = AuditLog.Result

__all__ = ["Acting", "Kind", "Result", "acting", "current", "denied", "download", "entry", "export", "record"]


def entry(
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
    context: Acting | None = None,
) -> AuditLog:
    """An entry, not yet saved (``record`` saves one; bulk writes save many at once)."""
    path = ""
    if request is None and actor is None:
        context = context if context is not None else current()
        if context is not None:
            request, actor, path = context.request, context.user, context.via
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
    if request is not None:
        path = request.get_full_path()
    return AuditLog(
        kind=kind,
        result=result,
        actor=actor,
        username=(username or "")[:150],
        ip=client_ip(request) if request is not None else None,
        path=path[:300],
        model=model[:60],
        object_id=str(object_id)[:64],
        label=(label or "")[:200],
        before=before,
        after=after,
        detail=detail,
    )


def record(kind: str, **kwargs) -> AuditLog:
    """Append one entry (the arguments as for ``entry``).

    ``actor`` defaults to the request's signed-in user; ``username`` to the actor's. ``obj`` (a
    model instance) fills ``model``, ``object_id`` and ``label`` unless they are given. Without a
    request or an actor, whoever ``accounts.acting`` says is acting.
    """
    log = entry(kind, **kwargs)
    log.save()
    return log


# --- security events of the views ----------------------------------------------------------------


def download(request: HttpRequest, obj=None, *, label: str, detail: str = "") -> AuditLog:
    """A stored file handed out (evidence, a ZIP of reports, a blank template): ``label`` names it."""
    return record(Kind.DOWNLOAD, request=request, obj=obj, label=label, detail=detail)


def export(request: HttpRequest, obj=None, *, label: str, detail: str = "") -> AuditLog:
    """A file made from the data and handed out (a report, an Excel export): ``label`` is its name,
    ``obj`` what it was made from."""
    return record(Kind.EXPORT, request=request, obj=obj, label=label, detail=detail)


def denied(request: HttpRequest, *, detail: str = "") -> AuditLog:
    """A write refused (403): who tried, from where, which address, and why."""
    match = getattr(request, "resolver_match", None)
    return record(
        Kind.DENIED,
        request=request,
        result=Result.FAILURE,
        label=(match.view_name if match is not None else "") or request.path,
        detail=detail,
    )
