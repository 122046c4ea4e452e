"""Who may do what: the contract every app's permissions module follows, and what they share.

Each app answers for its own objects in a ``permissions`` module of its own
(``units.permissions`` for the roster, ``assessment.permissions`` for campaigns,
groups, targets and their reports, ``people.permissions`` for the accounts it
manages, whose rules are the accounts' own, below; one for each app to come). Views never test
roles themselves: a view imports its own app's permissions module, and calls it.
Every such module keeps to one contract:

- ``can_<verb>(user, obj) -> bool`` answers a question and never raises;
- ``<object>_for_read(user, pk)`` returns the object, or raises Http404 when it
  is outside the user's scope (we do not confirm it exists);
- ``<object>_for_<action>(user, pk)`` (``_for_write``, ``_for_admin``,
  ``_for_edit``…) loads the object as ``_for_read`` does (so 404 outside the
  scope), then raises PermissionDenied (403, with a Chinese message) when the
  user may look but not act;
- an answer that costs a query is ``remembered`` for the rest of the request, so
  a page that asks the same question twenty times pays once.

This module holds what they share: the request's memo, sign-in, and the
administrator (``is_staff``), who manages everything. App modules re-export
``is_admin``, ``require_admin`` and ``admin_required`` so that their views need
no other permissions module. The bottom layer: it imports no app above it.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

# Answers remembered for the length of one request (``remembering``, entered for each request by
# accounts.middleware.RequestContextMiddleware); outside a request (services called from commands or
# tests) nothing is remembered.
_request_cache: ContextVar[dict | None] = ContextVar("permission_cache", default=None)


def remembered(key, compute):
    """``compute()``, asked once a request for each ``key`` (a tuple naming the question)."""
    cache = _request_cache.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def remember(key, value) -> None:
    """Record an answer learnt on the way (read with the object it is about), for ``remembered``."""
    cache = _request_cache.get()
    if cache is not None:
        cache[key] = value


@contextmanager
def remembering():
    """A fresh memo of permission answers for the block (a request)."""
    token = _request_cache.set({})
    try:
        yield
    finally:
        _request_cache.reset(token)


def is_signed_in(user) -> bool:
    """A signed-in, active person: the least anyone needs to be shown anything."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_admin(user) -> bool:
    return bool(is_signed_in(user) and user.is_staff)


def require_admin(user) -> None:
    if not is_admin(user):
        raise PermissionDenied(_("只有系统管理员可以进行此操作。"))


def admin_required(view):
    """For views only administrators may open. Sign-in itself is enforced for every
    view by LoginRequiredMiddleware, so anonymous users are sent to the login page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require_admin(request.user)
        return view(request, *args, **kwargs)

    return wrapped


# --- people's accounts (用户管理: the people app's pages, accounts.users' writes) ----------------


def can_change_account(user, person) -> bool:
    """Whether ``user`` may edit, reset or deactivate ``person``'s account: an administrator may, a
    superuser's only if a superuser too (else resetting its password would hand over Django's
    admin, which is the superusers' alone)."""
    return is_admin(user) and (user.is_superuser or not person.is_superuser)


def require_account_change(user, person) -> None:
    require_admin(user)
    if not can_change_account(user, person):
        raise PermissionDenied(_("%(user)s 是超级管理员，只有超级管理员可以修改其账户。") % {"user": person})
