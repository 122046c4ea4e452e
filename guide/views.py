"""使用说明: the contents, one section a page, the "?" of the navigation bar, and the Word manual.
Every signed-in person reads all of it (guide.permissions); the anonymous are sent to sign in."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from . import manual as manuals
from . import pages, permissions
from .content import render_section
from .sections import BY_SLUG, SECTIONS, number


def _check(request: HttpRequest) -> None:
    if not permissions.can_read_guide(request.user):
        raise PermissionDenied


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    _check(request)
    role = pages.role_at(request.user, "", {})
    return render(request, "guide/index.html", {"sections": SECTIONS, "role": role})


@require_safe
def section(request: HttpRequest, slug: str) -> HttpResponse:
    _check(request)
    current = BY_SLUG.get(slug)
    if current is None:
        raise Http404
    n = number(current)
    return render(
        request,
        "guide/section.html",
        {
            "sections": SECTIONS,
            "section": current,
            "number": n,
            "body": render_section(current),
            "previous": SECTIONS[n - 2] if n > 1 else None,
            "next": SECTIONS[n] if n < len(SECTIONS) else None,
        },
    )


@require_safe
def for_page(request: HttpRequest) -> HttpResponse:
    """The "?" of the navigation bar: the section explaining the page it was pressed on."""
    _check(request)
    page = request.GET.get("from", "")
    found = pages.section_for_path(request.user, page) if page.startswith("/") else pages.Found(None)
    if found.section is None:
        return redirect("guide:index")
    url = reverse("guide:section", args=[found.section.slug])
    return redirect(f"{url}#{found.anchor}" if found.anchor else url)


@require_safe
def manual(request: HttpRequest) -> HttpResponse:
    """The whole guide as one Word file, for offices that hand out paper."""
    _check(request)
    response = HttpResponse(manuals.render_manual(), content_type=manuals.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=manuals.FILE_NAME
    )
    return response
