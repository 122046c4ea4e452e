from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import audit
from core.forms import form_errors
from core.formtokens import replayed_message, submit_once
from core.responses import xlsx_response
from core.text import clean_name

from . import permissions, selectors, services
from .exporting import roster_export, roster_template
from .forms import RosterUploadForm, UnitForm
from .importing import roster_plan
from .models import RosterImport, Unit
from .permissions import admin_required


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The roster: every city and county with counts per kind, or search results."""
    query = request.GET.get("q", "").strip()
    context = {"query": query, "can_manage": permissions.can_manage_roster(request.user)}
    if query:
        context["hits"] = selectors.unit_search(query)
    else:
        context["overview"] = selectors.roster_overview()
    return render(request, "units/index.html", context)


PICKER_LIMIT = 20


@require_safe
def picker(request: HttpRequest) -> HttpResponse:
    """What the unit picker (units.widgets.UnitPicker) lists for the text typed (``q``): units in
    use whose name contains it, each with where it sits. For anyone signed in, like the roster."""
    query = clean_name(request.GET.get("q", ""))[:100]
    hits, more = selectors.picker_search(query, limit=PICKER_LIMIT) if query else ([], False)
    return render(request, "units/_picker_results.html", {"query": query, "hits": hits, "more": more})


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit (usually a county) and its whole subtree."""
    unit = permissions.unit_for_read(request.user, pk)
    include_inactive = request.GET.get("inactive") == "1"
    focus = request.GET.get("focus")
    tree = selectors.unit_tree(
        unit, include_inactive=include_inactive, focus_id=int(focus) if focus and focus.isdigit() else None
    )
    context = {
        "unit": unit,
        "tree": tree,
        "ancestors": selectors.unit_ancestors(unit),
        "counts": selectors.tree_kind_counts(tree),
        "include_inactive": include_inactive,
        "can_manage": permissions.can_manage_roster(request.user),
    }
    return render(request, "units/detail.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    parent_id = request.POST.get("parent") or request.GET.get("parent")
    parent = get_object_or_404(Unit, pk=parent_id) if parent_id and parent_id.isdigit() else None
    form = UnitForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            submission = submit_once(
                request, lambda: services.unit_create(parent=parent, **form.cleaned_data)
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            unit = submission.created
            if submission.replayed:
                messages.info(request, replayed_message())
                return redirect(_tree_url(unit) if unit else "units:index")
            messages.success(request, _("已添加单位“%(name)s”。") % {"name": unit.name})
            return redirect(_tree_url(unit))
    return render(request, "units/form.html", {"form": form, "parent": parent, "unit": None})


@admin_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = permissions.unit_for_write(request.user, pk)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_update(unit=Unit.objects.get(pk=pk), **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已保存单位“%(name)s”。") % {"name": unit.name})
            return redirect(_tree_url(unit))
    return render(request, "units/form.html", {"form": form, "parent": unit.parent, "unit": unit})


@admin_required
@require_http_methods(["GET", "POST"])
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    unit = permissions.unit_for_write(request.user, pk)
    if request.method == "POST":
        count = services.unit_deactivate(unit=unit)
        messages.success(
            request,
            _("已停用“%(name)s”及其下属单位，共 %(count)d 个。") % {"name": unit.name, "count": count},
        )
        return redirect(_tree_url(unit.parent) if unit.parent else "units:index")
    below = services.unit_active_descendants_count(unit=unit)
    return render(request, "units/deactivate.html", {"unit": unit, "below": below})


@admin_required
@require_POST
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    unit = permissions.unit_for_write(request.user, pk)
    try:
        services.unit_reactivate(unit=unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已重新启用“%(name)s”。") % {"name": unit.name})
    return redirect(_tree_url(unit, inactive=True))


def _tree_url(unit: Unit, *, inactive: bool = False) -> str:
    """The tree page that shows ``unit``: its county's (or its root's), unfolded to it."""
    ancestors = selectors.unit_ancestors(unit)
    hit = selectors.SearchHit(unit=unit, ancestors=ancestors)
    root = hit.tree_root
    url = f"{root.get_absolute_url()}?focus={unit.pk}" + ("&inactive=1" if inactive else "")
    return url + f"#u-{unit.pk}"


# --- import and export ---------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        plan = roster_plan(data=data, file_name=upload.name)  # read before taking the write lock
        try:
            submission = submit_once(
                request,
                lambda: services.roster_upload_create(
                    name=upload.name, data=data, user=request.user, plan=plan
                ),
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            if submission.replayed:
                messages.info(request, replayed_message())
            if submission.created is None:
                return redirect("units:import")
            return redirect("units:import_preview", pk=submission.created.pk)
    recent = RosterImport.objects.select_related("uploaded_by")[:10]
    return render(request, "units/import.html", {"form": form, "recent": recent})


@admin_required
@require_safe
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(RosterImport.objects.select_related("uploaded_by"), pk=pk)
    return render(request, "units/import_preview.html", {"record": record, "summary": record.summary})


@admin_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(RosterImport, pk=pk)
    try:
        plan = services.roster_upload_apply(upload=record)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("units:import_preview", pk=pk)
    if not plan.ok:
        messages.error(request, _("名册在预览之后发生了变化，重新检查发现错误，未写入任何数据。"))
        return redirect("units:import_preview", pk=pk)
    messages.success(
        request,
        _("导入完成：新增 %(created)d，更新 %(updated)d，不变 %(unchanged)d。")
        % {
            "created": plan.count("create"),
            "updated": plan.count("update"),
            "unchanged": plan.count("unchanged"),
        },
    )
    return redirect("units:import_preview", pk=pk)


@admin_required
@require_safe
def template_download(request: HttpRequest) -> HttpResponse:
    response = xlsx_response(roster_template(), _("单位名册模板") + ".xlsx")
    audit.download(request, label=_("单位名册模板") + ".xlsx")
    return response


@admin_required
@require_safe
def export_download(request: HttpRequest) -> HttpResponse:
    data, count = roster_export()
    name = _("单位名册") + f"_{timezone.localdate():%Y%m%d}.xlsx"
    audit.export(request, label=name, detail=_("%(count)d 个在用单位") % {"count": count})
    return xlsx_response(data, name)
