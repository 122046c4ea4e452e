"""Who may do what: the one place the application answers that question.

Views never test roles themselves; they call these functions, or load objects
through the ``*_for_read`` / ``*_for_write`` helpers, which return the object or
raise. The rule: an object outside a user's scope is 404 (we do not confirm it
exists); read-only access to a write is 403.

Roles so far: administrators (``is_staff``) manage everything; every other
signed-in user may read the roster. Campaign roles (reviewer, group leader,
member) extend this module when campaigns arrive.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from units.models import Unit


def is_admin(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


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


# --- the roster -------------------------------------------------------------


def can_read_roster(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_manage_roster(user) -> bool:
    return is_admin(user)


def unit_for_read(user, pk: int) -> Unit:
    if not can_read_roster(user):
        raise PermissionDenied
    return get_object_or_404(Unit, pk=pk)


def unit_for_write(user, pk: int) -> Unit:
    unit = unit_for_read(user, pk)
    if not can_manage_roster(user):
        raise PermissionDenied(_("只有系统管理员可以修改单位名册。"))
    return unit
