"""安全审计: the security audit trail for administrators, filtered, and exported to Excel."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import audit
from .audit_export import EXPORT_LIMIT, audit_workbook, file_name
from .audit_log import PAGE_SIZE, AuditFilterForm, changes, filtered_entries, model_name
from .permissions import admin_required

LIST_ITEMS = 20  # of a long list (the units an import created) on the page; the export has them all
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTERS = ("person", "start", "end", "kind", "result", "q")


def _form(request: HttpRequest) -> AuditFilterForm:
    return AuditFilterForm(request.GET if any(request.GET.get(k) for k in FILTERS) else None)


@admin_required
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    page = Paginator(filtered_entries(form), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"entry": e, "changes": changes(e, items=LIST_ITEMS), "model": model_name(e.model)} for e in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "export_limit": EXPORT_LIMIT,
        },
    )


@admin_required
@require_safe
def audit_log_export(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    entries = filtered_entries(form)
    total = entries.count()
    filters = form.describe() if form.is_bound else ""
    data = audit_workbook(entries[:EXPORT_LIMIT], total=total, filters=filters)
    name = file_name()
    shown = min(total, EXPORT_LIMIT)
    audit.export(
        request,
        label=name,
        detail=_("筛选条件：%(filters)s；导出 %(shown)s 条（共 %(total)s 条）。")
        % {"filters": filters or _("全部记录"), "shown": f"{shown:,}", "total": f"{total:,}"},
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
