from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from .text import strip_invisible


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than MAX_REQUEST_BYTES, before reading it.

    Django caps form fields but not file uploads; without this a client could
    stream gigabytes into the temporary upload directory.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            html = render_to_string("errors/413.html", {"limit_mb": limit // (1024 * 1024)}, request=None)
            return HttpResponse(html, status=413)
        return self.get_response(request)


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, except that an htmx request from a lapsed session gets
    401 instead of a redirect: a redirected XHR would swap the login page into the form.
    static/js/app.js then keeps the unsaved text as a draft and sends the user to log in,
    with a way back to the page they were on."""

    def handle_no_permission(self, request: HttpRequest, view_func):
        if request.headers.get("HX-Request"):
            return HttpResponse(
                "登录已过期，请重新登录。", status=401, content_type="text/plain; charset=utf-8"
            )
        return super().handle_no_permission(request, view_func)


# POST fields whose value must reach the view exactly as sent.
_VERBATIM_FIELDS = ("password", "csrfmiddlewaretoken", "form_token")


def _clean(value: str) -> str:
    # Browsers send a textarea's line breaks as CRLF, while its length on the page (and the
    # counter beside it) counts one character per break: store LF so the limits agree.
    return strip_invisible(value).replace("\r\n", "\n").replace("\r", "\n")


class CleanInputMiddleware:
    """Input hygiene at the boundary: control, bidi-override and zero-width characters are removed
    from every submitted text field (core.text.strip_invisible) before any form or service sees it,
    so no name or text is stored with them and no export or report meets them; line breaks arrive
    as LF. Passwords and
    tokens pass verbatim; files are not touched (their names are cleaned where they are stored)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            post = request.POST
            dirty = any(
                _clean(value) != value
                for key, values in post.lists()
                if not any(word in key for word in _VERBATIM_FIELDS)
                for value in values
            )
            if dirty:
                cleaned = post.copy()
                for key, values in post.lists():
                    if not any(word in key for word in _VERBATIM_FIELDS):
                        cleaned.setlist(key, [_clean(value) for value in values])
                cleaned._mutable = False
                request.POST = cleaned
        return self.get_response(request)
