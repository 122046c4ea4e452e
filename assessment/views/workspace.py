"""The workspace of a target: its tabs, and the submission workflow."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.changes import changes_for
from core.routing import reverse_ints

from .. import extensions, permissions
from ..domain.completeness import Gap, Place
from ..domain.workflow import CONSEQUENCES, Step
from ..forms.workspace import (
    BonusForm,
    CommentForm,
    ExampleForm,
    LeadForm,
    NarrativeForm,
    RecommendationForm,
)
from ..models import AuditEntry, ChecklistItem, ItemAssessment, Target
from ..selectors.workspace import item_panel, item_states, problem_categories, submission_gaps, target_total
from ..services import locks, workflow
from ..services import sampling as sampling_services


def workspace_context(request: HttpRequest, target: Target, tab: str, states=None) -> dict:
    """What every tab shows: the header (the total as the scoring rules give it), the workflow
    steps this user may take now (the services' own table), the submission check, the tabs."""
    user = request.user
    states = states if states is not None else item_states(target)
    can_write = permissions.can_write_findings(user, target)
    steps = workflow.available_steps(user, target)
    can_submit = Step.SUBMIT in steps
    gaps = submission_gaps(target, states) if can_submit else []
    return {
        "target": target,
        "campaign": target.campaign,
        "tab": tab,
        "states": states,
        "total": target_total(states),
        "done_count": sum(1 for s in states if s.complete),
        # The lock (assessment.domain.locks): being filled in, and the campaign not closed.
        "can_edit": can_write and not locks.target_refusal(target, locks.FINDINGS),
        "can_write": can_write,
        "can_submit": can_submit,
        "submission_gaps": gap_links(target, gaps),
        "can_review": Step.APPROVE in steps,
        "can_return": Step.RETURN in steps,  # also after approval, on a ruling about an objection
        "can_finalize": Step.FINALIZE in steps,
        "can_reopen": Step.REOPEN in steps,
        "last_return": workflow.latest_return(target),
        "confirm": {str(step): text for step, text in CONSEQUENCES.items()},
    }


@dataclass(frozen=True)
class GapLink:
    """A gap of the submission check with the workspace address where it is fixed."""

    text: str
    url: str
    place: str


def gap_links(target: Target, gaps: list[Gap]) -> list[GapLink]:
    """Each gap with its link: the 工作情况 tab's narrative, or the item's score, evaluation or
    problem list (anchors of the items tab)."""
    links = []
    for gap in gaps:
        if gap.place == Place.NARRATIVE:
            url = reverse_ints("campaigns:target_overview", target.pk) + "#narrative"
        elif gap.item_id is not None:
            anchor = {
                Place.SCORE: "#deductions",
                Place.EVALUATION: "#evaluation",
                Place.PROBLEMS: "#problems",
            }
            url = reverse_ints("campaigns:target_item", target.pk, gap.item_id) + anchor.get(gap.place, "")
        else:
            url = reverse_ints("campaigns:target", target.pk)
        links.append(GapLink(text=gap.text, url=url, place=gap.place))
    return links


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
    panel = item_panel(target, item, context["states"])
    context.update(panel=panel, item=item, categories=problem_categories(target.campaign))
    context.update(_panel_forms(target, panel))
    context.update(extra)
    return context


@require_safe
def items(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    """考核项目: the side list of items and the selected item's deductions, evaluation and problems."""
    target = permissions.target_for_read(request.user, pk)
    states = item_states(target)
    if not states:
        return render(
            request, "assessment/workspace/items.html", workspace_context(request, target, "items", states)
        )
    item = next((s.item for s in states if item_pk is None or s.item.pk == item_pk), None)
    if item is None:
        raise Http404
    context = panel_context(request, target, item, states=states)
    # What the upper apps know of this item (a problem carried open from last year, one found again).
    context["item_notes"] = extensions.item_notes(target).get(item.pk, [])
    return render(request, "assessment/workspace/items.html", context)


@require_safe
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    """工作情况: the sampling sentence from the draw above the group's narrative."""
    target = permissions.target_for_read(request.user, pk)
    context = workspace_context(request, target, "overview")
    context["sentence"] = sampling_services.target_sentence(target)
    context["narrative_form"] = NarrativeForm(
        initial={"narrative": target.narrative, "version": target.narrative_version}
    )
    return render(request, "assessment/workspace/overview.html", context)


@require_safe
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


@require_safe
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """修改记录: who changed what and when, before → after; for the target or one object."""
    target = permissions.target_for_read(request.user, pk)
    entries = AuditEntry.objects.filter(target=target).select_related("actor")
    model, object_id = request.GET.get("model"), request.GET.get("object")
    if model and object_id and object_id.isdigit():
        entries = entries.filter(model=model, object_id=int(object_id))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = changes_for(page.object_list)  # each entry's rows in people's words
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
    except workflow.SubmissionIncomplete as exc:
        # One box: what is missing, each entry a link to where it is fixed.
        box = render_to_string(
            "assessment/workspace/_gaps.html",
            {"gaps": gap_links(target, exc.gaps), "refused": True},
            request=request,
        )
        messages.error(request, mark_safe(box), extra_tags="app-gaps")
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
