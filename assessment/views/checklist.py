from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import audit
from core.forms import form_errors
from core.formtokens import Submission, replayed_message, submit_once
from core.responses import xlsx_response
from core.uploads import upload_apply, upload_store

from .. import exporting, importing, permissions
from ..forms.checklist import CriterionFormSet, ItemForm, UploadForm
from ..models import ChecklistChange, ChecklistImport, ChecklistItem
from ..permissions import admin_required
from ..selectors.campaigns import campaign_checklist
from ..services import checklist as services


@require_safe
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_read(request.user, pk)
    context = {
        "campaign": campaign,
        "checklist": campaign_checklist(campaign),
        "is_admin": permissions.is_admin(request.user),
        "frozen": services.checklist_refusal(campaign),
        "changes": ChecklistChange.objects.filter(campaign=campaign).select_related("changed_by")[:20],
    }
    return render(request, "assessment/checklist.html", context)


def _item_for_admin(request: HttpRequest, pk: int) -> ChecklistItem:
    item = get_object_or_404(ChecklistItem.objects.select_related("campaign"), pk=pk)
    permissions.campaign_for_admin(request.user, item.campaign_id)
    return item


def _item_form(request: HttpRequest, campaign, item: ChecklistItem | None) -> HttpResponse:
    if item is None:
        initial, criteria_initial = {}, []
    else:
        initial = {f: getattr(item, f) for f in ("title", "full_score", "lead_department", "note")}
        criteria_initial = [
            {"id": c.pk, "text": c.text, "points": c.points, "method": c.method}
            for c in item.criteria.order_by("order")
        ]
    form = ItemForm(request.POST or None, initial=initial)
    formset = CriterionFormSet(request.POST or None, initial=criteria_initial, prefix="criteria")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        criteria = [
            services.CriterionInput(text=f["text"], points=f["points"], method=f["method"] or "", pk=f["id"])
            for f in formset.cleaned_data
            if f and f.get("text")
        ]
        editing = item

        def save():
            return services.item_save(
                campaign=campaign, item=editing, criteria=criteria, user=request.user, **form.cleaned_data
            )

        try:
            # A new item: once per rendered form, a second submission replays the first.
            submission = submit_once(request, save) if editing is None else Submission(save(), False)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            if submission.replayed:
                messages.info(request, replayed_message())
            else:
                messages.success(
                    request, _("已保存考核项目“%(title)s”。") % {"title": submission.created.title}
                )
            return redirect("campaigns:checklist", pk=campaign.pk)
    locked = item is not None and services.item_is_locked(item)
    context = {
        "campaign": campaign,
        "item": item,
        "form": form,
        "formset": formset,
        "locked": locked,
        "frozen": services.checklist_refusal(campaign),
    }
    return render(request, "assessment/item_form.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_admin(request.user, pk)
    return _item_form(request, campaign, None)


@admin_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_admin(request, pk)
    return _item_form(request, item.campaign, item)


@admin_required
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_admin(request, pk)
    if request.method == "POST":
        try:
            services.item_delete(item=item, reason=request.POST.get("reason", ""), user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已删除考核项目“%(title)s”。") % {"title": item.title})
        return redirect("campaigns:checklist", pk=item.campaign_id)
    context = {"item": item, "campaign": item.campaign, "frozen": services.checklist_refusal(item.campaign)}
    return render(request, "assessment/item_delete.html", context)


@admin_required
@require_POST
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_admin(request, pk)
    try:
        services.item_move(item=item, up=request.POST.get("direction") == "up", user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("campaigns:checklist", pk=item.campaign_id)


# --- import and export -----------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_admin(request.user, pk)
    # Bound on every POST, even an empty one, so that a refusal can be shown on it.
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    frozen = services.checklist_refusal(campaign)
    if request.method == "POST" and frozen:
        form.is_valid()
        form.add_error(None, frozen)  # refused before the file is read or kept
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        plan = importing.checklist_plan(data=data, file_name=upload.name, campaign=campaign)
        try:
            submission = submit_once(
                request,
                lambda: upload_store(
                    model=ChecklistImport,
                    name=upload.name,
                    data=data,
                    user=request.user,
                    plan=plan,
                    campaign=campaign,
                ),
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            if submission.replayed:
                messages.info(request, replayed_message())
            if submission.created is None:
                return redirect("campaigns:checklist_import", pk=campaign.pk)
            return redirect("campaigns:checklist_import_preview", pk=submission.created.pk)
    recent = ChecklistImport.objects.filter(campaign=campaign).select_related("uploaded_by")[:10]
    context = {"form": form, "campaign": campaign, "recent": recent, "frozen": frozen}
    return render(request, "assessment/checklist_import.html", context)


def _upload_for_admin(request: HttpRequest, pk: int) -> ChecklistImport:
    record = get_object_or_404(ChecklistImport.objects.select_related("campaign", "uploaded_by"), pk=pk)
    permissions.campaign_for_admin(request.user, record.campaign_id)
    return record


@admin_required
@require_safe
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    record = _upload_for_admin(request, pk)
    context = {"record": record, "summary": record.summary, "campaign": record.campaign}
    return render(request, "assessment/checklist_import_preview.html", context)


@admin_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    record = _upload_for_admin(request, pk)
    campaign = record.campaign
    if frozen := services.checklist_refusal(campaign):  # the upload stays as it was, to apply once reopened
        messages.error(request, frozen)
        return redirect("campaigns:checklist_import_preview", pk=pk)
    try:
        plan = upload_apply(
            upload=record,
            run=lambda data: importing.checklist_import(
                data=data, file_name=record.original_name, campaign=campaign, user=request.user
            ),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("campaigns:checklist_import_preview", pk=pk)
    if not plan.ok:
        messages.error(
            request, plan.file_error or _("清单在预览之后发生了变化，重新检查发现错误，未写入任何数据。")
        )
        return redirect("campaigns:checklist_import_preview", pk=pk)
    messages.success(request, _("考核项目清单已导入。"))
    return redirect("campaigns:checklist", pk=campaign.pk)


@admin_required
@require_safe
def template_download(request: HttpRequest) -> HttpResponse:
    response = xlsx_response(exporting.checklist_template(), _("考核项目清单模板") + ".xlsx")
    audit.download(request, label=_("考核项目清单模板") + ".xlsx")
    return response


@require_safe
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_read(request.user, pk)
    response = xlsx_response(
        exporting.checklist_export(campaign), f"{campaign.title}_" + _("考核项目清单") + ".xlsx"
    )
    audit.export(request, campaign, label=f"{campaign.title}_" + _("考核项目清单") + ".xlsx")
    return response
