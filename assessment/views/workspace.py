"""The workspace of a target: its tabs, and the submission workflow."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, sampling_services, selectors
from ..models import AuditEntry, ChecklistItem, ItemAssessment, Target
from ..services import workflow
from ..workspace_forms import (
    BonusForm,
    CommentForm,
    ExampleForm,
    LeadForm,
    NarrativeForm,
    RecommendationForm,
)


def workspace_context(request: HttpRequest, target: Target, tab: str, states=None) -> dict:
    """What every tab shows: the header, the workflow actions this user has, the tabs."""
    user = request.user
    states = states if states is not None else selectors.item_states(target)
    can_write = permissions.can_write_findings(user, target)
    return {
        "target": target,
        "campaign": target.campaign,
        "tab": tab,
        "states": states,
        "total": sum((s.score for s in states), Decimal(0)),
        "full_total": sum((s.item.full_score for s in states), Decimal(0)),
        "done_count": sum(1 for s in states if s.complete),
        "can_edit": can_write and target.is_editable,
        "can_write": can_write,
        "can_submit": permissions.can_submit(user, target) and target.is_editable,
        "can_review": permissions.can_review(user, target) and target.status == Target.Status.SUBMITTED,
        "can_finalize": permissions.is_admin(user) and target.status == Target.Status.APPROVED,
        "can_reopen": permissions.is_admin(user) and not target.is_editable,
        "last_return": workflow.latest_return(target),
    }


def _panel_forms(target: Target, panel) -> dict:
    """The forms open on the panel; the blank "add" forms load when their details first opens.
    An item's assessment not yet created is saved as version 1 (its first version) by whoever
    saves it first; a second person still holding version 1 then meets the conflict check."""
    assessment = panel.assessment
    version = assessment.version if assessment else ItemAssessment._meta.get_field("version").default
    return {
        "lead_form": LeadForm(initial={"lead": assessment.lead if assessment else "", "version": version}),
        "bonus_form": BonusForm(
            initial={
                "bonus": assessment.bonus if assessment else 0,
                "bonus_reason": assessment.bonus_reason if assessment else "",
                "version": version,
            }
        ),
    }


def panel_context(request: HttpRequest, target: Target, item: ChecklistItem, states=None, **extra) -> dict:
    context = workspace_context(request, target, "items", states)
    panel = selectors.item_panel(target, item, context["states"])
    context.update(panel=panel, item=item, categories=selectors.problem_categories(target.campaign))
    context.update(_panel_forms(target, panel))
    context.update(extra)
    return context


def items(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    """考核项目: the side list of items and the selected item's deductions, evaluation and problems."""
    target = permissions.target_for_read(request.user, pk)
    states = selectors.item_states(target)
    if not states:
        return render(
            request, "assessment/workspace/items.html", workspace_context(request, target, "items", states)
        )
    item = next((s.item for s in states if item_pk is None or s.item.pk == item_pk), None)
    if item is None:
        raise Http404
    return render(
        request, "assessment/workspace/items.html", panel_context(request, target, item, states=states)
    )


def overview(request: HttpRequest, pk: int) -> HttpResponse:
    """工作情况: the sampling sentence from the draw above the group's narrative."""
    target = permissions.target_for_read(request.user, pk)
    context = workspace_context(request, target, "overview")
    context["sentence"] = sampling_services.sampling_sentence(sampling_services.current_draw(target))
    context["narrative_form"] = NarrativeForm(
        initial={"narrative": target.narrative, "version": target.narrative_version}
    )
    return render(request, "assessment/workspace/overview.html", context)


def examples(request: HttpRequest, pk: int) -> HttpResponse:
    """典型与建议: typical examples and improvement recommendations, ordered."""
    target = permissions.target_for_read(request.user, pk)
    context = workspace_context(request, target, "examples")
    context.update(texts_context(target))
    return render(request, "assessment/workspace/examples.html", context)


def texts_context(target: Target, **extra) -> dict:
    example_form = ExampleForm(auto_id="new-example-%s")
    example_form.setup_units(target=target)
    return {
        "examples": list(target.examples.select_related("unit", "updated_by").order_by("position", "pk")),
        "recommendations": list(
            target.recommendations.select_related("updated_by").order_by("position", "pk")
        ),
        "example_form": example_form,
        "recommendation_form": RecommendationForm(auto_id="new-rec-%s"),
        **extra,
    }


def history(request: HttpRequest, pk: int) -> HttpResponse:
    """修改记录: who changed what and when, before → after; for the target or one object."""
    target = permissions.target_for_read(request.user, pk)
    entries = AuditEntry.objects.filter(target=target).select_related("actor")
    model, object_id = request.GET.get("model"), request.GET.get("object")
    if model and object_id and object_id.isdigit():
        entries = entries.filter(model=model, object_id=int(object_id))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = workspace_context(request, target, "history")
    context.update(
        page=page,
        filtered=bool(model and object_id),
        events=target.workflow_events.select_related("actor")[:50],
    )
    return render(request, "assessment/workspace/history.html", context)


# --- the workflow ----------------------------------------------------------------------------


def _step(request: HttpRequest, target: Target, action, success: str, **kwargs) -> HttpResponse:
    try:
        action(target=target, user=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(target)


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    target = permissions.target_for_submit(request.user, pk)
    return _step(request, target, workflow.target_submit, _("已提交，等待审核。"))


@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    target = permissions.target_for_review(request.user, pk)
    form = CommentForm(request.POST)
    form.is_valid()
    return _step(
        request,
        target,
        workflow.target_return,
        _("已退回考核组修改。"),
        comment=form.cleaned_data.get("comment", ""),
    )


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    target = permissions.target_for_review(request.user, pk)
    form = CommentForm(request.POST)
    form.is_valid()
    return _step(
        request,
        target,
        workflow.target_approve,
        _("已审核通过。"),
        comment=form.cleaned_data.get("comment", ""),
    )


@require_POST
def finalize(request: HttpRequest, pk: int) -> HttpResponse:
    target = permissions.target_for_read(request.user, pk)
    permissions.require_admin(request.user)
    return _step(request, target, workflow.target_finalize, _("已定稿，考核材料已锁定。"))


@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    target = permissions.target_for_read(request.user, pk)
    permissions.require_admin(request.user)
    form = CommentForm(request.POST)
    form.is_valid()
    return _step(
        request,
        target,
        workflow.target_reopen,
        _("已重新打开，考核组可以修改。"),
        reason=form.cleaned_data.get("comment", ""),
    )
