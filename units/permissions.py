"""Who may read and change the roster (the contract: accounts.permissions).

Every signed-in person may read the roster; only administrators change it.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

# The shared part of the contract, for this app's views.
from accounts.permissions import admin_required as admin_required
from accounts.permissions import is_admin as is_admin
from accounts.permissions import is_signed_in
from accounts.permissions import require_admin as require_admin

from .models import Unit


def can_read_roster(user) -> bool:
    return is_signed_in(user)


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
