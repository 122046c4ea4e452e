"""In-place edits of a target's own texts: the narrative, typical examples, recommendations."""

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
from ..forms.workspace import ExampleForm, NarrativeForm, RecommendationForm
from ..models import Recommendation, TypicalExample
from ..selectors.sampling import sampled_unit_ids
from ..services import overview as services
from ..services.editing import EditConflict
from .findings import autosave_refused, form_error, is_htmx, refused
from .workspace import texts_context, workspace_context


def _section(request: HttpRequest, target, *, status: int = 200, **extra) -> HttpResponse:
    if not is_htmx(request):
        return redirect(reverse("campaigns:target_examples", args=[target.pk]))
    context = {**workspace_context(request, target, "examples"), **texts_context(target, **extra)}
    return render(request, "assessment/workspace/_texts.html", context, status=status)


def _save(request, target, kind: str, form, action, *, pk=None) -> HttpResponse:
    state_key = "editing" if pk else "adding"
    state = {"kind": kind, "pk": pk, "form": form}
    if form.is_valid():
        try:
            if pk is None:  # a create: once per rendered form, a second submission replays the first
                submit_once(request, lambda: action(form.cleaned_data))
            else:
                action(form.cleaned_data)
        except EditConflict as exc:
            form.data = form.data.copy()
            form.data["version"] = exc.current.version
            return _section(request, target, status=409, **{state_key: {**state, "conflict": exc}})
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return _section(request, target)
    return _section(request, target, status=422, **{state_key: state})


def _act(request, target, act, *, verb: str) -> HttpResponse:
    """Delete or move at the version the page showed (see findings._act)."""
    version = request.POST.get("version")
    try:
        act(int(version) if version and version.isdigit() else None)
    except EditConflict as exc:
        return _section(request, target, status=409, notice=refused(request, exc, verb))
    except ValidationError as exc:
        return _section(request, target, status=422, notice=refused(request, exc, verb))
    return _section(request, target)


@require_POST
def narrative(request: HttpRequest, pk: int) -> HttpResponse:
    """工作情况, saved as the user types (see findings.lead for the answer's shape)."""
    target = permissions.target_for_edit(request.user, pk)
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        return autosave_refused(
            request,
            form_error(form),
            lambda: redirect(reverse("campaigns:target_overview", args=[target.pk])),
        )
    try:
        target = services.narrative_save(
            target=target,
            narrative=form.cleaned_data["narrative"],
            version=form.cleaned_data["version"],
            user=request.user,
        )
    except EditConflict as exc:
        form.data = form.data.copy()
        form.data["version"] = exc.current.narrative_version
        context = {**workspace_context(request, target, "overview"), "narrative_form": form, "conflict": exc}
        response = render(request, "assessment/workspace/_narrative.html", context, status=409)
        response["HX-Retarget"] = "#narrative"
        response["HX-Reswap"] = "outerHTML"
        return response
    except ValidationError as exc:
        return autosave_refused(
            request, exc, lambda: redirect(reverse("campaigns:target_overview", args=[target.pk]))
        )
    if not is_htmx(request):
        return redirect(reverse("campaigns:target_overview", args=[target.pk]))
    context = {"field": "narrative", "version": target.narrative_version, "saved_at": timezone.localtime()}
    return render(request, "assessment/workspace/_saved.html", context)


def _unit_form(form_class, request, target, *, current=None, **kwargs):
    form = form_class(request.POST if request.method == "POST" else None, **kwargs)
    form.setup_units(target=target, current=current, sampled=sampled_unit_ids(target) if current else None)
    return form


@require_POST
def example_create(request: HttpRequest, pk: int) -> HttpResponse:
    target = permissions.target_for_edit(request.user, pk)
    form = _unit_form(ExampleForm, request, target)
    return _save(
        request,
        target,
        "example",
        form,
        lambda d: services.example_create(
            target=target, title=d["title"], body=d["body"], unit=d["unit"], user=request.user
        ),
    )


def _example(request, pk):
    example = get_object_or_404(TypicalExample.objects.select_related("unit"), pk=pk)
    return example, permissions.target_for_edit(request.user, example.target_id)


@require_http_methods(["GET", "POST"])
def example_edit(request: HttpRequest, pk: int) -> HttpResponse:
    example, target = _example(request, pk)
    initial = {
        "version": example.version,
        "title": example.title,
        "body": example.body,
        "unit": example.unit_id,
    }
    form = _unit_form(
        ExampleForm, request, target, current=example.unit, initial=initial, auto_id=f"example-{pk}-%s"
    )
    if request.method != "POST":
        return _section(request, target, editing={"kind": "example", "pk": pk, "form": form})
    return _save(
        request,
        target,
        "example",
        form,
        lambda d: services.example_update(
            example=example,
            version=d["version"],
            title=d["title"],
            body=d["body"],
            unit=d["unit"],
            user=request.user,
        ),
        pk=pk,
    )


@require_POST
def example_delete(request: HttpRequest, pk: int) -> HttpResponse:
    example, target = _example(request, pk)
    return _act(
        request,
        target,
        lambda v: services.example_delete(example=example, version=v, user=request.user),
        verb=_("删除"),
    )


@require_POST
def example_move(request: HttpRequest, pk: int) -> HttpResponse:
    example, target = _example(request, pk)
    up = request.POST.get("direction") == "up"
    return _act(
        request,
        target,
        lambda v: services.example_move(example=example, up=up, version=v, user=request.user),
        verb=_("移动"),
    )


@require_POST
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    target = permissions.target_for_edit(request.user, pk)
    form = RecommendationForm(request.POST)
    return _save(
        request,
        target,
        "recommendation",
        form,
        lambda d: services.recommendation_create(
            target=target, headline=d["headline"], body=d["body"], user=request.user
        ),
    )


def _recommendation(request, pk):
    recommendation = get_object_or_404(Recommendation, pk=pk)
    return recommendation, permissions.target_for_edit(request.user, recommendation.target_id)


@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation, target = _recommendation(request, pk)
    if request.method != "POST":
        initial = {
            "version": recommendation.version,
            "headline": recommendation.headline,
            "body": recommendation.body,
        }
        form = RecommendationForm(initial=initial, auto_id=f"rec-{pk}-%s")
        return _section(request, target, editing={"kind": "recommendation", "pk": pk, "form": form})
    form = RecommendationForm(request.POST, auto_id=f"rec-{pk}-%s")
    return _save(
        request,
        target,
        "recommendation",
        form,
        lambda d: services.recommendation_update(
            recommendation=recommendation,
            version=d["version"],
            headline=d["headline"],
            body=d["body"],
            user=request.user,
        ),
        pk=pk,
    )


@require_POST
def recommendation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation, target = _recommendation(request, pk)
    return _act(
        request,
        target,
        lambda v: services.recommendation_delete(recommendation=recommendation, version=v, user=request.user),
        verb=_("删除"),
    )


@require_POST
def recommendation_move(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation, target = _recommendation(request, pk)
    up = request.POST.get("direction") == "up"
    return _act(
        request,
        target,
        lambda v: services.recommendation_move(
            recommendation=recommendation, up=up, version=v, user=request.user
        ),
        verb=_("移动"),
    )
