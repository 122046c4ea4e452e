"""整改台账's pages: the campaign's ledger (filters, summary, 催办, exports), an entry (the unit
writes, the department decides), a liaison's own ledger, the workday corrections, and the
workspace's 是否同一问题 answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import audit
from assessment.models import Problem
from core.models import WorkdayOverride
from core.responses import docx_response, stored_file, xlsx_response
from liaison.models import Liaison
from units.models import Unit

from .. import exporting, permissions, selectors, services
from ..forms import CompletionForm, EditForm, FilterForm, MeasuresForm, NoteForm, ProgressForm, WorkdayForm
from ..models import Entry, Event


def _filters(request: HttpRequest, campaign) -> tuple[FilterForm, dict]:
    units = selectors.units_of(campaign)
    form = FilterForm(request.GET or None, items=selectors.item_titles(campaign), units=units)
    chosen = form.cleaned_data if form.is_valid() else {}
    filters = {
        k: chosen.get(k) or ("" if k != "overdue" else False) for k in ("source", "state", "item", "overdue")
    }
    filters["unit"] = next((u for u in units if u.pk == chosen.get("unit")), None)
    return form, filters


@require_safe
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's ledger: the summary line per unit and for all, the entries, filtered."""
    campaign = permissions.campaign_for_ledger(request.user, pk)
    form, chosen = _filters(request, campaign)
    everything = selectors.entries(campaign)
    rows = selectors.entries(campaign, **chosen)
    context = {
        "campaign": campaign,
        "form": form,
        "rows": rows,
        "summary": selectors.summary(everything),
        "units": selectors.unit_summaries(everything),
        "query": request.GET.urlencode(),
    }
    return render(request, "rectification/ledger.html", context)


@require_POST
def sync(request: HttpRequest, pk: int) -> HttpResponse:
    """列入台账: entries for every finalized target (normally made at 定稿; this catches up)."""
    campaign = permissions.campaign_for_ledger(request.user, pk)
    permissions.require_admin(request.user)
    added = services.ledger_sync(campaign)
    messages.success(request, _("已列入台账 %(n)s 个问题。") % {"n": added})
    return redirect("rectification:ledger", pk=campaign.pk)


@require_POST
def remind_overdue(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_ledger(request.user, pk)
    count = services.remind(entries=selectors.entries(campaign, overdue=True), user=request.user)
    messages.success(request, _("已向 %(n)s 个逾期问题的责任单位催办。") % {"n": count})
    return redirect(reverse("rectification:ledger", args=[campaign.pk]) + "?overdue=on")


@require_safe
def ledger_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The ledger as filtered on the page; one unit's (``?unit=``) without the unit column."""
    campaign = permissions.campaign_for_ledger(request.user, pk)
    _form, chosen = _filters(request, campaign)
    unit = chosen["unit"]
    rows = selectors.entries(campaign, **chosen)
    title = f"{campaign.title}{unit.name if unit else ''}问题整改台账"
    return xlsx_response(exporting.ledger_xlsx(title, rows, with_unit=unit is None), f"{title}.xlsx")


def _unit_report(campaign, unit) -> HttpResponse:
    rows = selectors.entries(campaign, unit=unit)
    data = exporting.report_docx(campaign, unit, rows, selectors.summary(rows))
    return docx_response(data, exporting.report_title(campaign, unit) + ".docx")


@require_safe
def unit_report(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_ledger(request.user, pk)
    return _unit_report(campaign, get_object_or_404(Unit, pk=unit_pk))


# --- an entry ----------------------------------------------------------------------------------------


def _entry_context(request: HttpRequest, entry: Entry) -> dict:
    manage = permissions.can_manage(request.user, entry.campaign)
    unit_writes = permissions.can_write_for_unit(request.user, entry)
    return {
        "entry": entry,
        "campaign": entry.campaign,
        "events": entry.events.select_related("by"),
        "evidence": services.evidence_count(entry),
        "gaps": services.rules.closure_gaps(
            measures=entry.measures,
            completion_note=entry.completion_note,
            evidence=services.evidence_count(entry),
        ),
        "overdue": services.rules.is_overdue(
            deadline=entry.deadline, state=entry.state, today=timezone.localdate()
        ),
        "can_manage": manage,
        "unit_writes": unit_writes and entry.state in services.rules.UNIT_WRITES,
        "may_request": unit_writes and entry.state in services.rules.MAY_REQUEST,
        "measures_form": MeasuresForm(
            initial={"measures": entry.measures, "responsible_person": entry.responsible_person}
        ),
        "progress_form": ProgressForm(),
        "completion_form": CompletionForm(initial={"note": entry.completion_note}),
        "note_form": NoteForm(),
        "edit_form": EditForm(
            initial={
                "deadline": entry.deadline,
                "responsible_unit": entry.responsible_unit,
                "responsible_person": entry.responsible_person,
            }
        ),
        "back": reverse("rectification:ledger", args=[entry.campaign_id])
        if manage
        else _mine_url(request, entry),
    }


def _mine_url(request: HttpRequest, entry: Entry) -> str:
    role = Liaison.objects.filter(
        user_id=request.user.pk, campaign_id=entry.campaign_id, unit_id=entry.unit_id
    ).first()
    return reverse("rectification:mine", args=[role.pk]) if role else reverse("home")


@require_safe
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.entry_for_read(request.user, pk)
    if permissions.can_write_for_unit(request.user, found) and not permissions.can_manage(
        request.user, found.campaign
    ):
        services.reminders_seen(entries=[found], user=request.user)
    return render(request, "rectification/entry.html", _entry_context(request, found))


def _act(request: HttpRequest, entry: Entry, form_class, action, done: str) -> HttpResponse:
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            action(**form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("rectification:entry", pk=entry.pk)


@require_POST
def measures(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.entry_for_unit(request.user, pk)
    return _act(
        request,
        found,
        MeasuresForm,
        lambda **data: services.measures_save(entry=found, user=request.user, **data),
        _("已保存整改措施。"),
    )


@require_POST
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.entry_for_unit(request.user, pk)
    return _act(
        request,
        found,
        ProgressForm,
        lambda text, file: services.progress_add(entry=found, text=text, upload=file, user=request.user),
        _("已记录整改进展。"),
    )


@require_POST
def completion(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.entry_for_unit(request.user, pk)
    return _act(
        request,
        found,
        CompletionForm,
        lambda note: services.completion_save(entry=found, note=note, user=request.user),
        _("已保存完成情况。"),
    )


@require_POST
def request_closure(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.entry_for_unit(request.user, pk)
    try:
        services.closure_request(entry=found, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已申请销号，等待组织部认定。"))
    return redirect("rectification:entry", pk=found.pk)


@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.entry_for_manager(request.user, pk)
    return _act(
        request,
        found,
        NoteForm,
        lambda note: services.close(entry=found, note=note, user=request.user),
        _("已认定销号。"),
    )


@require_POST
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.entry_for_manager(request.user, pk)
    return _act(
        request,
        found,
        NoteForm,
        lambda note: services.send_back(entry=found, note=note, user=request.user),
        _("已退回，请被考核单位继续整改。"),
    )


@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.entry_for_manager(request.user, pk)
    return _act(
        request,
        found,
        EditForm,
        lambda **data: services.entry_edit(entry=found, user=request.user, **data),
        _("已保存。"),
    )


@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.entry_for_manager(request.user, pk)
    if services.remind(entries=[found], user=request.user):
        messages.success(request, _("已催办。"))
    else:
        messages.info(request, _("该问题已销号，无需催办。"))
    return redirect("rectification:entry", pk=found.pk)


@require_safe
def event_file(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("entry"), pk=pk)
    permissions.entry_for_read(request.user, event.entry_id)
    if not event.file:
        raise Http404
    response = stored_file(event.file, event.file_name)
    audit.download(request, event, label=event.file_name)
    return response


# --- a liaison's own ledger --------------------------------------------------------------------------


def _role(request: HttpRequest, pk: int) -> Liaison:
    return get_object_or_404(
        Liaison.objects.select_related("campaign", "unit"), pk=pk, user_id=request.user.pk
    )


@require_safe
def mine(request: HttpRequest, pk: int) -> HttpResponse:
    role = _role(request, pk)
    rows = selectors.entries(role.campaign, unit=role.unit)
    return render(
        request,
        "rectification/mine.html",
        {"role": role, "campaign": role.campaign, "rows": rows, "summary": selectors.summary(rows)},
    )


@require_safe
def mine_report(request: HttpRequest, pk: int) -> HttpResponse:
    role = _role(request, pk)
    return _unit_report(role.campaign, role.unit)


# --- 是否同一问题 -------------------------------------------------------------------------------------


@require_POST
def recurrence(request: HttpRequest, problem_pk: int, entry_pk: int, same: int) -> HttpResponse:
    problem = get_object_or_404(
        Problem.objects.select_related("target__campaign", "target__unit"), pk=problem_pk
    )
    permissions.problem_for_recurrence(request.user, problem)
    earlier = get_object_or_404(Entry, pk=entry_pk)
    try:
        services.recurrence_decide(problem=problem, earlier=earlier, same=bool(same), user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已标记为重复发生。") if same else _("已确认不是同一问题。"))
    return redirect("campaigns:target_item", pk=problem.target_id, item_pk=problem.item_id)


# --- 工作日调整 -----------------------------------------------------------------------------------------


@permissions.admin_required
@require_http_methods(["GET", "POST"])
def workdays(request: HttpRequest) -> HttpResponse:
    form = WorkdayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已保存。"))
        return redirect("rectification:workdays")
    return render(
        request, "rectification/workdays.html", {"form": form, "rows": WorkdayOverride.objects.all()}
    )


@permissions.admin_required
@require_POST
def workday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(WorkdayOverride, pk=pk).delete()
    messages.success(request, _("已删除。"))
    return redirect("rectification:workdays")
