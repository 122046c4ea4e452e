from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static

from accounts import permissions
from assessment import selectors
from units.models import RosterImport
from units.selectors import roster_overview


def home(request: HttpRequest) -> HttpResponse:
    """我的考核: an inspector's targets, a reviewer's campaigns, an admin's campaigns and roster."""
    user = request.user
    context = {
        "my_targets": selectors.my_targets(user),
        "reviewed": selectors.reviewed_campaigns(user),
        "overview": roster_overview(),
    }
    if permissions.is_admin(user):
        context["campaigns"] = permissions.visible_campaigns(user).order_by("-year", "title")[:6]
        context["recent_imports"] = RosterImport.objects.select_related("uploaded_by")[:5]
    return render(request, "core/home.html", context)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(request, "errors/403.html", {"message": message}, status=403)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors, no database: whatever broke may break them too.
    return HttpResponse(render_to_string("errors/500.html"), status=500)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", status=403)


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages without an icon link (Django's admin)."""
    return redirect(static("img/favicon.svg"), permanent=True)
