"""综合评定's pages: the results table, the scheme, a unit's record, the 述职评议 scores, confirming
and reopening, and the Excel sheet. Thin: the rule is results.domain.rules, the readings
results.selectors, the writes results.services, who may do what results.permissions."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import audit
from core.forms import form_errors
from core.numbers import points_text
from core.responses import xlsx_response
from units.models import Unit

from . import bulletin as bulletins
from . import permissions, selectors, services
from .domain.rules import rule_lines
from .exporting import results_workbook
from .forms import AwardForm, BulletinForm, ItemForm, ManualGradeForm, ReopenForm, SchemeForm
from .models import Award, Bulletin, Item, ResultEvent


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _index(campaign) -> HttpResponse:
    return redirect("results:index", campaign.pk)


@require_safe
def index(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_results(request.user, pk)
    results = selectors.campaign_results(campaign)
    context = {
        "campaign": campaign,
        "results": results,
        "can_change": permissions.can_change_scheme(request.user),
        "rule_lines": rule_lines(results.rule) if results else [],
        "reopen_form": ReopenForm(),
        "events": ResultEvent.objects.filter(campaign=campaign).select_related("actor")[:10],
        "unfinished": services.unfinished(results) if results else [],
    }
    return render(request, "results/index.html", context)


@require_POST
def scheme_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_scheme(request.user, pk)
    services.create_scheme(campaign=campaign)
    messages.success(request, _("已建立考核办法（默认权重和等次），请按本地考核办法修改。"))
    return redirect("results:scheme", campaign.pk)


@require_http_methods(["GET", "POST"])
def scheme(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_scheme(request.user, pk)
    current = selectors.scheme_of(campaign)
    if current is None:
        return _index(campaign)
    form = SchemeForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_scheme(
                campaign=campaign,
                weight_field=data["weight_field"],
                weight_meeting=data["weight_meeting"],
                weight_ballot=data["weight_ballot"],
                meeting_source=data["meeting_source"],
                quota=data["quota"],
                bands=data["bands"],
                name_units=data["name_units"],
                rectification_days=data["rectification_days"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("考核办法已保存。"))
            return redirect("results:scheme", campaign.pk)
    context = {"campaign": campaign, "scheme": current, "form": form, "item_form": ItemForm()}
    return render(request, "results/scheme.html", context)


@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_scheme(request.user, pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            item = services.add_item(campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已添加“%(label)s”。") % {"label": item.label})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("results:scheme", campaign.pk)


@require_POST
def item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_scheme(request.user, pk)
    item = get_object_or_404(Item, pk=item_pk, scheme__campaign=campaign)
    try:
        services.delete_item(item=item)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已删除“%(label)s”。") % {"label": item.label})
    return redirect("results:scheme", campaign.pk)


def _row(results, unit_pk: int):
    for row in results.rows if results else []:
        if row.target.unit_id == unit_pk:
            return row
    return None


@require_safe
def unit(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_results(request.user, pk)
    results = selectors.campaign_results(campaign)
    row = _row(results, unit_pk)
    if row is None:
        return _index(campaign)
    context = {
        "campaign": campaign,
        "results": results,
        "row": row,
        "can_change": permissions.can_change_scheme(request.user),
        "award_form": AwardForm(scheme=results.scheme),
        "manual_form": ManualGradeForm(
            scheme=results.scheme,
            initial={"grade": row.manual.grade, "reason": row.manual.reason} if row.manual else None,
        ),
    }
    return render(request, "results/unit.html", context)


@require_POST
def award_add(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_scheme(request.user, pk)
    target_unit = get_object_or_404(Unit, pk=unit_pk)
    scheme = selectors.scheme_of(campaign)
    form = AwardForm(request.POST, request.FILES, scheme=scheme) if scheme else None
    if form is not None and form.is_valid():
        try:
            services.add_award(campaign=campaign, unit=target_unit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已登记。"))
    elif form is not None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("results:unit", campaign.pk, unit_pk)


@require_POST
def award_delete(request: HttpRequest, pk: int, award_pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_scheme(request.user, pk)
    award = get_object_or_404(Award, pk=award_pk, campaign=campaign)
    try:
        services.delete_award(award=award)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已删除该记录。"))
    return redirect("results:unit", campaign.pk, award.unit_id)


@require_POST
def manual_grade(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_scheme(request.user, pk)
    target_unit = get_object_or_404(Unit, pk=unit_pk)
    scheme = selectors.scheme_of(campaign)
    form = ManualGradeForm(request.POST, scheme=scheme) if scheme else None
    if form is not None and form.is_valid():
        try:
            services.set_manual_grade(
                campaign=campaign, unit=target_unit, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(
                request, _("等次调整已保存。") if form.cleaned_data["grade"] else _("已撤销人工调整。")
            )
    return redirect("results:unit", campaign.pk, unit_pk)


@require_http_methods(["GET", "POST"])
def meeting_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """述职评议得分: one box per unit; a blank box withdraws the unit's score."""
    campaign = permissions.campaign_for_scores(request.user, pk)
    results = selectors.campaign_results(campaign)
    if results is None:
        return _index(campaign)
    current = selectors.meeting_scores(campaign)
    errors: dict[int, str] = {}
    if request.method == "POST":
        entered = {}
        for row in results.rows:
            raw = request.POST.get(f"score_{row.target.unit_id}", "").strip()
            try:
                entered[row.target.unit] = Decimal(raw) if raw else None
            except InvalidOperation:
                errors[row.target.unit_id] = _("“%(value)s”不是数字。") % {"value": raw[:20]}
        if not errors:
            try:
                services.set_meeting_scores(campaign=campaign, scores=entered, actor=request.user)
            except ValidationError as exc:
                _refused(request, exc)
            else:
                messages.success(request, _("述职评议得分已保存。"))
                return redirect("results:meeting_scores", campaign.pk)
    entries = [
        {
            "unit": row.target.unit,
            "value": request.POST.get(f"score_{row.target.unit_id}", "")
            if request.method == "POST"
            else points_text(current.get(row.target.unit_id)) or "",
            "error": errors.get(row.target.unit_id),
        }
        for row in results.rows
    ]
    context = {
        "campaign": campaign,
        "results": results,
        "entries": entries,
        "can_change": permissions.can_change_scheme(request.user),
    }
    return render(request, "results/meeting_scores.html", context)


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_scheme(request.user, pk)
    try:
        services.confirm(campaign=campaign, actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("考核结果已确认并锁定。"))
    return _index(campaign)


@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_scheme(request.user, pk)
    form = ReopenForm(request.POST)
    try:
        services.reopen(campaign=campaign, reason=form.data.get("reason", ""), actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("考核结果已重新打开，可以修改。"))
    return _index(campaign)


@require_safe
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_results(request.user, pk)
    results = selectors.campaign_results(campaign)
    if results is None:
        messages.error(request, _("尚未制定考核办法，没有可导出的结果。"))
        return _index(campaign)
    name = _("%(title)s综合评定结果.xlsx") % {"title": campaign.title}
    audit.export(request, campaign, label=name)
    return xlsx_response(results_workbook(results), name)


# --- the 通报 ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def bulletin(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_results(request.user, pk)
    results = selectors.campaign_results(campaign)
    current = Bulletin.objects.filter(campaign=campaign).first()
    can_change = permissions.can_change_scheme(request.user)
    form = BulletinForm(request.POST or None, instance=current) if current else None
    if request.method == "POST":
        permissions.campaign_for_scheme(request.user, pk)
        if form is not None and form.is_valid():
            try:
                services.save_bulletin(bulletin=current, **form.cleaned_data)
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("通报已保存。"))
                return redirect("results:bulletin", campaign.pk)
    context = {
        "campaign": campaign,
        "results": results,
        "bulletin": current,
        "form": form,
        "can_change": can_change,
    }
    return render(request, "results/bulletin.html", context)


@require_POST
def bulletin_draft(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_scheme(request.user, pk)
    try:
        services.draft_bulletin(campaign=campaign)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已根据考核数据起草通报，请逐段审改。"))
    return redirect("results:bulletin", campaign.pk)


@require_POST
def bulletin_fix(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_scheme(request.user, pk)
    current = get_object_or_404(Bulletin, campaign=campaign)
    try:
        services.fix_bulletin(bulletin=current, actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("通报已定稿。"))
    return redirect("results:bulletin", campaign.pk)


@require_safe
def bulletin_docx(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_results(request.user, pk)
    current = get_object_or_404(Bulletin, campaign=campaign)
    name = bulletins.file_name(current.title)
    audit.download(request, current, label=name)
    response = HttpResponse(
        bulletins.render(current),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@require_safe
def feedback_docx(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """A unit's one-page 考核结果反馈 (Word), dated today."""
    campaign = permissions.campaign_for_results(request.user, pk)
    results = selectors.campaign_results(campaign)
    row = _row(results, unit_pk)
    if row is None:
        raise Http404
    name = bulletins.feedback_name(results, row)
    audit.download(request, row.target, label=name)
    response = HttpResponse(
        bulletins.render_feedback(results, row, date=timezone.localdate()),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
