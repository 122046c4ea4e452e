"""The workspace's in-place edits (htmx): deductions, scores, evaluations, problems.

Each endpoint checks the user may write the target's findings
(permissions.target_for_edit: 404 outside the group, 403 for reviewers and for
submitted or finalized targets), calls one service, and answers with the
re-rendered section of the page — or, without htmx, a redirect back to it.
A validation error answers 422 and an edit conflict 409, both with the form
still holding what the user typed. A GET on a create URL answers the blank
form, which the page loads when its collapsed "add" is first opened.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import form_errors
from core.formtokens import submit_once

from .. import permissions
from ..forms.workspace import BonusForm, DeductionForm, LeadForm, PointForm, ProblemForm
from ..models import ChecklistItem, Criterion, Deduction, EvaluationPoint, Problem
from ..selectors.sampling import sampled_unit_ids
from ..selectors.sampling import unit_search as search_units
from ..services import findings as services
from ..services.editing import EditConflict
from .workspace import panel_context

SECTIONS = {
    "deduction": "deductions",
    "point": "evaluation",
    "lead": "evaluation",
    "bonus": "deductions",
    "problem": "problems",
}


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _item(target, item_pk: int) -> ChecklistItem:
    return get_object_or_404(ChecklistItem, pk=item_pk, campaign_id=target.campaign_id)


def section(request: HttpRequest, target, item, name: str, *, status: int = 200, **extra) -> HttpResponse:
    """The section ``name`` of the item panel, re-rendered; without htmx, back to the page."""
    if not is_htmx(request):
        return redirect(reverse("campaigns:target_item", args=[target.pk, item.pk]) + f"#{name}")
    context = panel_context(request, target, item, oob=True, **extra)
    return render(request, f"assessment/workspace/_{name}.html", context, status=status)


def _save(request, target, item, kind: str, form, action, *, pk=None, adding_extra=None) -> HttpResponse:
    """Run ``action`` on a valid form; on a refusal, show the form again with the reason.
    ``pk``: the record edited (its service requires the form's version); None for a create."""
    state_key = "editing" if pk else "adding"
    state = {"kind": kind, "pk": pk, "form": form, **(adding_extra or {})}
    if form.is_valid():
        try:
            if pk is None:  # a create: once per rendered form, a second submission replays the first
                submit_once(request, lambda: action(form.cleaned_data))
            else:
                action(form.cleaned_data)
        except EditConflict as exc:
            form.data = form.data.copy()
            form.data["version"] = exc.current.version  # saving again now overwrites, knowingly
            return section(
                request, target, item, SECTIONS[kind], status=409, **{state_key: {**state, "conflict": exc}}
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return section(request, target, item, SECTIONS[kind])
    return section(request, target, item, SECTIONS[kind], status=422, **{state_key: state})


def _setup_units(form, target, item, current=None):
    form.setup_units(target=target, current=current, sampled=sampled_unit_ids(target) if current else None)
    return form


def autosave_refused(request, exc: ValidationError, page) -> HttpResponse:
    """A text saved as the user types was refused (no version: a page from before, or a crafted
    request): the reason as plain text, which workspace.js shows; without htmx, on the page.
    428 (Precondition Required: the save must name its version), not 422: htmx swaps a 422's
    form into the page, while an autosave has no form to show, only the reason."""
    text = " ".join(exc.messages)
    if not is_htmx(request):
        messages.error(request, text)
        return page()
    return HttpResponse(text, status=428, content_type="text/plain; charset=utf-8")


def form_error(form) -> ValidationError:
    """An autosave form's errors as one ValidationError for autosave_refused (a text too long)."""
    return ValidationError([message for errors in form.errors.values() for message in errors])


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _blank(request, target, item, kind: str, form, draft_pk: int, **extra) -> HttpResponse:
    """GET on a create URL: the blank form of ``kind`` (``_<kind>_form.html``), for the collapsed
    "add" that loads it when first opened; without htmx, back to the section on the page."""
    if not is_htmx(request):
        return section(request, target, item, SECTIONS[kind])
    context = {"target": target, "item": item, "form": form, "action": request.path, **extra}
    context.update(draft=f"{kind}-new", draft_pk=draft_pk)
    return render(request, f"assessment/workspace/_{kind}_form.html", context)


def refused(request, exc: Exception, verb: str) -> str:
    """The reason a delete or a move was refused, as the section's notice (and, without htmx,
    as a message on the page the user is sent back to)."""
    notice = str(exc).replace("您的修改", verb) if isinstance(exc, EditConflict) else " ".join(exc.messages)
    if not is_htmx(request):
        messages.error(request, notice)
    return notice


def _act(request, target, item, name: str, act, *, verb: str) -> HttpResponse:
    """Delete or move at the version the page showed, unless someone changed the record meanwhile:
    then show it as it is now, and say so."""
    try:
        act(_int(request.POST.get("version")))
    except EditConflict as exc:
        return section(request, target, item, name, status=409, notice=refused(request, exc, verb))
    except ValidationError as exc:
        return section(request, target, item, name, status=422, notice=refused(request, exc, verb))
    return section(request, target, item, name)


# --- the unit picker ----------------------------------------------------------------------------


@require_http_methods(["GET"])
def unit_search(request: HttpRequest, pk: int) -> HttpResponse:
    """What the forms' unit picker lists for the text typed (``q``): the sampled units by stratum,
    then other units of the target's county. For those who may write the target's findings."""
    target = permissions.target_for_edit(request.user, pk)
    search = search_units(target, request.GET.get("q", ""))
    return render(request, "assessment/workspace/_unit_results.html", {"search": search, "target": target})


# --- deductions -------------------------------------------------------------------------------


def _criterion(item, value) -> Criterion | None:
    return get_object_or_404(Criterion, pk=value, item=item) if value else None


@require_http_methods(["GET", "POST"])
def deduction_create(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    target = permissions.target_for_edit(request.user, pk)
    item = _item(target, item_pk)
    if request.method == "GET":
        criterion = get_object_or_404(Criterion, pk=_int(request.GET.get("criterion")), item=item)
        form = _setup_units(DeductionForm(auto_id=f"new-deduction-{criterion.pk}-%s"), target, item)
        return _blank(request, target, item, "deduction", form, criterion.pk, criterion=criterion.pk)
    form = _setup_units(DeductionForm(request.POST), target, item)

    def action(data):
        return services.deduction_create(
            target=target,
            item=item,
            criterion=_criterion(item, data["criterion"]),
            unit=data["unit"],
            points=data["points"],
            reason=data["reason"],
            user=request.user,
        )

    return _save(
        request,
        target,
        item,
        "deduction",
        form,
        action,
        adding_extra={"criterion": request.POST.get("criterion")},
    )


@require_http_methods(["GET", "POST"])
def deduction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deduction = get_object_or_404(Deduction.objects.select_related("item", "unit", "criterion"), pk=pk)
    target = permissions.target_for_edit(request.user, deduction.target_id)
    item = deduction.item
    if request.method != "POST":
        initial = {
            "version": deduction.version,
            "criterion": deduction.criterion_id,
            "unit": deduction.unit_id,
            "points": deduction.points.normalize(),
            "reason": deduction.reason,
        }
        form = _setup_units(
            DeductionForm(initial=initial, auto_id=f"deduction-{pk}-%s"), target, item, deduction.unit
        )
        return section(
            request, target, item, "deductions", editing={"kind": "deduction", "pk": pk, "form": form}
        )
    form = _setup_units(
        DeductionForm(request.POST, auto_id=f"deduction-{pk}-%s"), target, item, deduction.unit
    )

    def action(data):
        services.deduction_update(
            deduction=deduction,
            version=data["version"],
            criterion=_criterion(item, data["criterion"]),
            unit=data["unit"],
            points=data["points"],
            reason=data["reason"],
            user=request.user,
        )

    return _save(request, target, item, "deduction", form, action, pk=pk)


@require_POST
def deduction_delete(request: HttpRequest, pk: int) -> HttpResponse:
    deduction = get_object_or_404(Deduction.objects.select_related("item"), pk=pk)
    target = permissions.target_for_edit(request.user, deduction.target_id)
    return _act(
        request,
        target,
        deduction.item,
        "deductions",
        lambda version: services.deduction_delete(deduction=deduction, version=version, user=request.user),
        verb=_("删除"),
    )


# --- the item's score decision, bonus, evaluation lead ------------------------------------------


@require_POST
def score_decide(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    target = permissions.target_for_edit(request.user, pk)
    item = _item(target, item_pk)
    decided = request.POST.get("decided") == "1"
    return _act(
        request,
        target,
        item,
        "deductions",
        lambda version: services.score_decide(
            target=target, item=item, decided=decided, version=version, user=request.user
        ),
        verb=_("您的确认") if decided else _("您的撤销"),
    )


@require_POST
def bonus(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    target = permissions.target_for_edit(request.user, pk)
    item = _item(target, item_pk)
    form = BonusForm(request.POST)

    def action(data):
        services.bonus_set(
            target=target,
            item=item,
            bonus=data["bonus"],
            reason=data["bonus_reason"],
            version=data["version"],
            user=request.user,
        )

    return _save(request, target, item, "bonus", form, action, pk=item.pk)


@require_POST
def lead(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The 总体评价 lead, saved as the user types: answers with the new version and the time only,
    so the textarea being typed in is never replaced; a conflict shows the whole section."""
    target = permissions.target_for_edit(request.user, pk)
    item = _item(target, item_pk)
    form = LeadForm(request.POST)
    if not form.is_valid():
        return autosave_refused(
            request, form_error(form), lambda: section(request, target, item, "evaluation")
        )
    try:
        assessment = services.evaluation_lead_save(
            target=target,
            item=item,
            lead=form.cleaned_data["lead"],
            version=form.cleaned_data["version"],
            user=request.user,
        )
    except EditConflict as exc:
        form.data = form.data.copy()
        form.data["version"] = exc.current.version
        response = section(
            request, target, item, "evaluation", status=409, lead_conflict={"form": form, "conflict": exc}
        )
        response["HX-Retarget"] = f"#evaluation-{item.pk}"
        response["HX-Reswap"] = "outerHTML"
        return response
    except ValidationError as exc:
        return autosave_refused(request, exc, lambda: section(request, target, item, "evaluation"))
    if not is_htmx(request):
        return section(request, target, item, "evaluation")
    return render(
        request,
        "assessment/workspace/_saved.html",
        {"field": f"lead-{item.pk}", "version": assessment.version, "saved_at": timezone.localtime()},
    )


# --- evaluation points ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def point_create(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    target = permissions.target_for_edit(request.user, pk)
    item = _item(target, item_pk)
    if request.method == "GET":
        form = PointForm(auto_id="new-point-%s")
        return _blank(request, target, item, "point", form, item.pk)
    form = PointForm(request.POST)

    def action(data):
        return services.point_create(
            target=target, item=item, headline=data["headline"], body=data["body"], user=request.user
        )

    return _save(request, target, item, "point", form, action)


def _point(request, pk):
    point = get_object_or_404(EvaluationPoint.objects.select_related("assessment__item"), pk=pk)
    target = permissions.target_for_edit(request.user, point.assessment.target_id)
    return point, target, point.assessment.item


@require_http_methods(["GET", "POST"])
def point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    point, target, item = _point(request, pk)
    if request.method != "POST":
        form = PointForm(
            initial={"version": point.version, "headline": point.headline, "body": point.body},
            auto_id=f"point-{pk}-%s",
        )
        return section(request, target, item, "evaluation", editing={"kind": "point", "pk": pk, "form": form})
    form = PointForm(request.POST, auto_id=f"point-{pk}-%s")

    def action(data):
        services.point_update(
            point=point,
            version=data["version"],
            headline=data["headline"],
            body=data["body"],
            user=request.user,
        )

    return _save(request, target, item, "point", form, action, pk=pk)


@require_POST
def point_delete(request: HttpRequest, pk: int) -> HttpResponse:
    point, target, item = _point(request, pk)
    return _act(
        request,
        target,
        item,
        "evaluation",
        lambda version: services.point_delete(point=point, version=version, user=request.user),
        verb=_("删除"),
    )


@require_POST
def point_move(request: HttpRequest, pk: int) -> HttpResponse:
    point, target, item = _point(request, pk)
    up = request.POST.get("direction") == "up"
    return _act(
        request,
        target,
        item,
        "evaluation",
        lambda version: services.point_move(point=point, up=up, version=version, user=request.user),
        verb=_("移动"),
    )


# --- problems -----------------------------------------------------------------------------------


def _problem_values(data) -> dict:
    return {k: data[k] for k in services.PROBLEM_FIELDS}


@require_http_methods(["GET", "POST"])
def problem_create(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    target = permissions.target_for_edit(request.user, pk)
    item = _item(target, item_pk)
    if request.method == "GET":
        form = _setup_units(ProblemForm(auto_id="new-problem-%s"), target, item)
        return _blank(request, target, item, "problem", form, item.pk)
    form = _setup_units(ProblemForm(request.POST), target, item)

    def action(data):
        return services.problem_create(target=target, item=item, user=request.user, **_problem_values(data))

    return _save(request, target, item, "problem", form, action)


def _problem(request, pk):
    problem = get_object_or_404(Problem.objects.select_related("item", "unit"), pk=pk)
    target = permissions.target_for_edit(request.user, problem.target_id)
    return problem, target, problem.item


@require_http_methods(["GET", "POST"])
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    problem, target, item = _problem(request, pk)
    if request.method != "POST":
        initial = {
            "version": problem.version,
            "unit": problem.unit_id,
            **{k: getattr(problem, k) for k in services.PROBLEM_FIELDS if k != "unit"},
        }
        form = _setup_units(
            ProblemForm(initial=initial, auto_id=f"problem-{pk}-%s"), target, item, problem.unit
        )
        return section(request, target, item, "problems", editing={"kind": "problem", "pk": pk, "form": form})
    form = _setup_units(ProblemForm(request.POST, auto_id=f"problem-{pk}-%s"), target, item, problem.unit)

    def action(data):
        services.problem_update(
            problem=problem, version=data["version"], user=request.user, **_problem_values(data)
        )

    return _save(request, target, item, "problem", form, action, pk=pk)


@require_POST
def problem_delete(request: HttpRequest, pk: int) -> HttpResponse:
    problem, target, item = _problem(request, pk)
    return _act(
        request,
        target,
        item,
        "problems",
        lambda version: services.problem_delete(problem=problem, version=version, user=request.user),
        verb=_("删除"),
    )


@require_POST
def problem_move(request: HttpRequest, pk: int) -> HttpResponse:
    problem, target, item = _problem(request, pk)
    up = request.POST.get("direction") == "up"
    return _act(
        request,
        target,
        item,
        "problems",
        lambda version: services.problem_move(problem=problem, up=up, version=version, user=request.user),
        verb=_("移动"),
    )
