import logging

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _plain_error_page(status: int) -> str:
    """The last resort when an error page itself cannot be rendered: no template, no static file."""
    heading = {
        400: _("请求有误，无法处理"),
        403: _("您没有权限进行此操作"),
        404: _("找不到您要访问的页面"),
        500: _("系统出现了错误"),
    }.get(status, _("系统出现了错误"))
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{status} · {_("党建考核")}'
        f"</title></head><body><h1>{heading}</h1><p>{_('请稍后重试；如果问题持续出现，请联系系统管理员。')}</p>"
        f'<p><a href="/">{_("返回首页")}</a></p></body></html>'
    )


def error_page(template: str, status: int, context: dict | None = None, request=None) -> HttpResponse:
    """An error page that never fails itself: whatever broke the request (the database, the
    static files' manifest) may break the page's rendering too, and then a plain page says it."""
    try:
        html = render_to_string(template, context, request=request)
    except Exception:
        logger.exception("The error page %s could not be rendered; answered with the plain one.", template)
        html = _plain_error_page(status)
    return HttpResponse(html, status=status)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The request itself is suspect (a bad Host header, a malformed upload): no request context.
    return error_page("errors/400.html", 400)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return error_page("errors/403.html", 403, {"message": message}, request)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page("errors/404.html", 404, request=request)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors, no database: whatever broke may break them too.
    return error_page("errors/500.html", 500)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page("errors/403_csrf.html", 403, request=request)


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages without an icon link (Django's admin)."""
    return redirect(static("img/favicon.svg"), permanent=True)
