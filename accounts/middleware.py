"""Sessions that end, and passwords an administrator set that must be changed.

SessionTimeoutMiddleware signs a person out after ``SESSION_IDLE_TIMEOUT`` seconds without a
request (30 minutes) and ``SESSION_ABSOLUTE_TIMEOUT`` seconds after signing in (10 hours), whatever
they do. It runs before any view is chosen, so LoginRequiredMiddleware then sends the person to
the login page (an htmx request gets 401, and static/js/workspace.js keeps the text being typed as
a draft in the browser until the same person signs in again).

PasswordChangeRequiredMiddleware sends a person whose password an administrator set to the
password page until they have chosen their own.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _

from . import audit
from .acting import acting
from .permissions import remembering
from .signin import SEEN_AT, SIGNED_IN_AT

# "Last seen" is written back to the session at most this often (seconds), not on every request.
SEEN_RESOLUTION = 30


class SessionTimeoutMiddleware:
    """Place after AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    @staticmethod
    def check(request: HttpRequest) -> None:
        session = request.session
        now = time.time()
        signed_in = session.get(SIGNED_IN_AT)
        seen = session.get(SEEN_AT)
        idle = settings.SESSION_IDLE_TIMEOUT
        absolute = settings.SESSION_ABSOLUTE_TIMEOUT
        reason = None
        if seen is not None and now - seen > idle:
            reason = _("%(minutes)d 分钟未操作，登录已超时。") % {"minutes": idle // 60}
        elif signed_in is not None and now - signed_in > absolute:
            reason = _("登录已满 %(hours)s 小时，请重新登录。") % {"hours": _hours(absolute)}
        if reason:
            request.logout_reason = reason  # for the LOGOUT entry (accounts.signin)
            logout(request)
            messages.info(
                request, reason + _("为了安全，系统已自动退出登录；正在填写的内容仍保留在本机浏览器中。")
            )
            return
        if signed_in is None:  # a session from before these rules: count from now
            session[SIGNED_IN_AT] = now
        if seen is None or now - seen >= SEEN_RESOLUTION:
            session[SEEN_AT] = now


def _hours(seconds: int) -> str:
    hours = seconds / 3600
    return f"{hours:g}"


# Pages a person who must change their password may still open.
OPEN_WHILE_CHANGING = {
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:logout",
    "accounts:login",
    "favicon",
}


class PasswordChangeRequiredMiddleware(MiddlewareMixin):
    """Place after AuthenticationMiddleware."""

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not getattr(user, "must_change_password", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_WHILE_CHANGING:
            return None
        if request.headers.get("HX-Request"):
            # Like a lapsed session: workspace.js keeps the text as a draft and reloads through the
            # login page, which leads here.
            return HttpResponse(_("请先修改密码。"), status=401, content_type="text/plain; charset=utf-8")
        return redirect("accounts:password_change")


SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class RequestContextMiddleware:
    """What lasts one request. Place after AuthenticationMiddleware.

    - The permission answers' memo (accounts.permissions.remembering).
    - The security audit trail's actor: while the request is served, every write records it
      (accounts.acting, read by accounts.model_audit). A write refused with 403 (a PermissionDenied,
      a failed CSRF check) is recorded as a DENIED entry with the reason the person was given.

    One middleware for both: each middleware adds a layer to every request's call stack, and a
    layer more made the workspace's largest page 15–20% slower (bench/workspace.py at 10x).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with remembering(), acting(request=request):
            response = self.get_response(request)
        if response.status_code == 403 and request.method not in SAFE_METHODS:
            audit.denied(
                request, detail=getattr(request, "audit_denied_reason", "") or _("HTTP 403 拒绝访问")
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, PermissionDenied):
            request.audit_denied_reason = str(exception)
        return None
