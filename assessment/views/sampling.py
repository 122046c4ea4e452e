from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.forms import form_errors
from core.formtokens import Submission, replayed_message, submit_once

from .. import permissions
from ..forms.sampling import DrawForm, ManualSampleForm, SamplingPlanForm
from ..models import SampledUnit, SamplingPlan, Target
from ..permissions import admin_required
from ..selectors.campaigns import campaign_groups
from ..selectors.sampling import current_sample, findings_outside_sample, sample_by_stratum
from ..services import sampling as services
from .workspace import workspace_context


def _sample_context(target: Target) -> dict:
    draw, units = current_sample(target)
    return {
        "draw": draw,
        "groups": sample_by_stratum(units),
        "sentence": services.target_sentence(target),
        "unsampled": services.unsampled_refusal(target.unit),
        "locked": services.sample_is_locked(target) if draw else False,
        "plan": (plan := services.effective_plan(target)),
        "plan_lines": [(label, plan[name]) for name, label in services.plan_labels(target.unit.kind)],
        "frozen": services.sample_refusal(target),
        "shortfalls": [services.sampling.shortfall_text(s) for s in (draw.shortfalls if draw else [])],
    }


@require_http_methods(["GET", "POST"])
def campaign_sampling(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's default plan, every visible target's sample state, and the draw for all."""
    campaign = permissions.campaign_for_read(request.user, pk)
    is_admin = permissions.is_admin(request.user)
    default = SamplingPlan.objects.filter(campaign=campaign, target__isnull=True).first() or SamplingPlan(
        campaign=campaign
    )
    plan_form = SamplingPlanForm(
        request.POST or None, instance=default, prefix="plan", kinds=campaign.target_kind_list
    )
    if request.method == "POST":
        permissions.require_admin(request.user)
        if plan_form.is_valid():
            try:
                services.sampling_plan_set(
                    campaign=campaign, counts=plan_form.cleaned_data, user=request.user
                )
            except ValidationError as exc:
                form_errors(plan_form, exc)
            else:
                messages.success(request, _("已保存默认抽查方案。"))
                return redirect("campaigns:sampling", pk=campaign.pk)
    groups = campaign_groups(campaign, request.user)
    targets = [t for g in groups for t in g.targets]
    context = {
        "campaign": campaign,
        "plan_form": plan_form,
        "targets": targets,
        "is_admin": is_admin,
        "plan_frozen": is_admin and services.plan_refusal(campaign),
        "draw_form": DrawForm(prefix="all"),
    }
    return render(request, "assessment/sampling.html", context)


@admin_required
@require_POST
def draw_all(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_admin(request.user, pk)
    form = DrawForm(request.POST, prefix="all")
    if not form.is_valid():
        messages.error(request, _("请填写有效的随机种子。"))
        return redirect("campaigns:sampling", pk=pk)
    drawn, skipped = [], []
    targets = [
        t
        for t in Target.objects.filter(campaign=campaign).select_related("unit").order_by("unit__name")
        if t.is_sampled  # a county organ is checked itself
    ]
    refusals = [r for t in targets if (r := services.sample_refusal(t))]
    if targets and len(refusals) == len(targets):  # nothing to draw: say why, write nothing
        for line in dict.fromkeys(refusals):  # a closed campaign's reason once
            messages.error(request, line)
        return redirect("campaigns:sampling", pk=pk)

    def draw_each() -> None:
        for target in targets:
            try:
                services.sample_draw(target=target, seed=form.cleaned_data["seed"], user=request.user)
            except ValidationError as exc:
                skipped.append(f"{target.unit.name}：{' '.join(exc.messages)}")
            else:
                drawn.append(target.unit.name)

    try:
        if submit_once(request, draw_each).replayed:
            messages.info(request, replayed_message())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if drawn:
        messages.success(
            request,
            _("已用种子 %(seed)s 抽取：%(names)s。")
            % {"seed": form.cleaned_data["seed"], "names": "、".join(drawn)},
        )
    for line in skipped:
        messages.warning(request, line)
    return redirect("campaigns:sampling", pk=pk)


@require_safe
def target(request: HttpRequest, pk: int) -> HttpResponse:
    """抽查单位: the workspace tab with the target's current sample and its draws."""
    target = permissions.target_for_read(request.user, pk)
    sample = _sample_context(target)
    is_admin = permissions.is_admin(request.user)
    is_leader = permissions.is_group_leader(request.user, target.group)
    context = {
        **workspace_context(request, target, "sample"),
        "is_admin": is_admin,
        "is_leader": is_leader,
        "can_change": (is_admin or is_leader) and not sample["frozen"],
        "history": target.draws.select_related("drawn_by").order_by("-drawn_at", "-pk"),
        "off_sample": findings_outside_sample(target),
        **sample,
    }
    return render(request, "assessment/workspace/sample.html", context)


@require_safe
def sample_print(request: HttpRequest, pk: int) -> HttpResponse:
    target = permissions.target_for_read(request.user, pk)
    return render(request, "assessment/sample_print.html", {"target": target, **_sample_context(target)})


@admin_required
@require_http_methods(["GET", "POST"])
def target_draw(request: HttpRequest, pk: int) -> HttpResponse:
    """Draw (or preview) a target's sample with a seed."""
    target = permissions.target_for_admin(request.user, pk)
    form = DrawForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        dry_run = "preview" in request.POST

        def draw():
            return services.sample_draw(
                target=target, user=request.user, dry_run=dry_run, **form.cleaned_data
            )

        try:
            # A draw (not a preview): once per rendered form, a second submission replays the first.
            submission = Submission(draw(), False) if dry_run else submit_once(request, draw)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            if submission.replayed:
                messages.info(request, replayed_message())
                return redirect("campaigns:target_sample", pk=target.pk)
            if not dry_run:
                messages.success(
                    request, _("已抽取，随机种子 %(seed)s。") % {"seed": submission.created.seed}
                )
                return redirect("campaigns:target_sample", pk=target.pk)
            preview = submission.created
    context = {
        "target": target,
        "campaign": target.campaign,
        "form": form,
        "preview": preview,
        **_sample_context(target),
    }
    return render(request, "assessment/target_draw.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def target_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Override the campaign's plan for one target (or go back to the default)."""
    target = permissions.target_for_admin(request.user, pk)
    override = SamplingPlan.objects.filter(target=target).first()
    initial = services.effective_plan(target)
    form = SamplingPlanForm(
        request.POST or None,
        instance=override,
        initial=None if override else initial,
        kinds=[target.unit.kind],
    )
    if request.method == "POST":
        if "reset" in request.POST:
            try:
                services.sampling_plan_reset(target=target, user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("已恢复使用本次考核的默认抽查方案。"))
            return redirect("campaigns:target_sample", pk=target.pk)
        if form.is_valid():
            try:
                services.sampling_plan_set(
                    campaign=target.campaign, target=target, counts=form.cleaned_data, user=request.user
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(
                    request, _("已为%(county)s单独设置抽查方案。") % {"county": target.unit.name}
                )
                return redirect("campaigns:target_sample", pk=target.pk)
    context = {
        "target": target,
        "campaign": target.campaign,
        "form": form,
        "override": override,
        "frozen": services.plan_refusal(target.campaign, target),
    }
    return render(request, "assessment/target_plan.html", context)


@require_http_methods(["GET", "POST"])
def sample_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a unit by hand, with the reason (a targeted check on a lead): the leader or an admin."""
    target = permissions.target_for_sampling_by_hand(request.user, pk)
    form = ManualSampleForm(request.POST or None, county=target.unit)
    if request.method == "POST" and form.is_valid():
        try:
            submission = submit_once(
                request,
                lambda: services.sample_add_manual(target=target, user=request.user, **form.cleaned_data),
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            if submission.replayed:
                messages.info(request, replayed_message())
            else:
                messages.success(
                    request, _("已增加专项抽查单位“%(unit)s”。") % {"unit": form.cleaned_data["unit"].name}
                )
            return redirect("campaigns:target_sample", pk=target.pk)
    context = {
        "target": target,
        "campaign": target.campaign,
        "form": form,
        "frozen": services.sample_refusal(target),
    }
    return render(request, "assessment/sample_add.html", context)


@require_POST
def sample_remove(request: HttpRequest, pk: int) -> HttpResponse:
    sampled = get_object_or_404(SampledUnit.objects.select_related("draw", "unit"), pk=pk)
    target = permissions.target_for_sampling_by_hand(request.user, sampled.draw.target_id)
    try:
        services.sample_remove_manual(sampled_unit=sampled, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已移除专项抽查单位“%(unit)s”。") % {"unit": sampled.unit.name})
    return redirect("campaigns:target_sample", pk=target.pk)
