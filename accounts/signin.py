"""Sign-in events in the security audit log: every sign-in (successful or not, with the username
tried and the address), sign-out and lockout. Connected in AccountsConfig.ready.

A failure is recorded with why it failed: no such user, a deactivated account, a wrong password,
or refused before the password was checked (locked, or slowed down). The lockout handler
(accounts.lockout.LockoutHandler, run by axes' receiver, connected before this one) leaves the
address's standing before and after the failure on the request; a lock that has just begun gets
its own LOCKOUT entry after the failure that caused it.
"""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from . import audit
from .lockout import ADDRESS, PAIR, lockout_entry
from .models import AuditLog

# Session keys: when the person signed in and when they were last seen (accounts.middleware).
SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"


@receiver(user_logged_in, dispatch_uid="accounts.signin.logged_in")
def logged_in(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[SIGNED_IN_AT] = now
        session[SEEN_AT] = now
    audit.record(AuditLog.Kind.LOGIN, request=request, actor=user)


@receiver(user_logged_out, dispatch_uid="accounts.signin.logged_out")
def logged_out(sender, request, user, **kwargs):
    if user is None:
        return  # nobody was signed in
    audit.record(
        AuditLog.Kind.LOGOUT, request=request, actor=user, detail=getattr(request, "logout_reason", "")
    )


@receiver(user_login_failed, dispatch_uid="accounts.signin.login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:150]
    user = get_user_model().objects.filter(username=username).first() if username else None
    audit.record(
        AuditLog.Kind.LOGIN_FAILED,
        request=request,
        actor=None,
        username=username,
        result=AuditLog.Result.FAILURE,
        obj=user,
        label="" if user else username,
        detail=_why(request, user),
    )
    before = getattr(request, "lockout_before", None)
    after = getattr(request, "lockout_after", None)
    if before is None or after is None:
        return
    if after.pair_locked and not before.pair_locked:
        lockout_entry(request=request, scope=PAIR, username=username, state=after)
    if after.address_locked and not before.address_locked:
        lockout_entry(request=request, scope=ADDRESS, username=username, state=after)


def _why(request, user) -> str:
    checked = hasattr(request, "lockout_after")  # the handler counted it: the password was checked
    if not checked and getattr(request, "axes_locked_out", False):
        if getattr(request, "login_wait_seconds", 0):
            return _("该地址登录失败过多，尝试过于频繁，未核对密码。")
        return _("已锁定，未核对密码。")
    if user is None:
        return _("用户名不存在。")
    if not user.is_active:
        return _("账号已停用。")
    return _("密码错误。")
