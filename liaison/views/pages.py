"""The assessed unit's pages: its liaison's unit page (files, feedback), the files tab of a target's
workspace, and the campaign's 联络与反馈 page (liaisons, time limits, objections to answer)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import audit
from assessment.models import Problem
from assessment.views.workspace import workspace_context
from core.forms import form_errors
from core.responses import stored_file
from meetings.models import CommentProblem

from .. import permissions, selectors, services
from ..forms import AnswerForm, DeadlinesForm, LiaisonForm, ObjectionFileForm, RulingForm, UnitFileForm
from ..models import Answer, FeedbackRound, Liaison, UnitFile


def _role(request: HttpRequest, pk: int) -> Liaison:
    """The signed-in person's own liaison role (404 for anyone else's)."""
    return get_object_or_404(
        Liaison.objects.select_related("campaign", "unit"), pk=pk, user_id=getattr(request.user, "pk", None)
    )


def _unit_url(liaison: Liaison) -> str:
    return reverse("liaison:unit", args=[liaison.pk])


@require_safe
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    """The liaison's unit in one campaign: its files, and its feedback once the work is approved."""
    liaison = _role(request, pk)
    part = selectors.unit_part(liaison)
    context = {"part": part, "campaign": liaison.campaign, "file_form": UnitFileForm()}
    if part.shows_findings:
        context["states"], context["total"] = selectors.scores(part.target)
    return render(request, "liaison/unit.html", context)


@require_POST
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    liaison = _role(request, pk)
    form = UnitFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.unit_file_add(
                campaign=liaison.campaign,
                unit=liaison.unit,
                purpose=form.cleaned_data["purpose"],
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已上传“%(name)s”。") % {"name": form.cleaned_data["file"].name})
    else:
        messages.error(request, _("请选择材料类别和文件。"))
    return redirect(_unit_url(liaison))


@require_POST
def file_delete(request: HttpRequest, pk: int) -> HttpResponse:
    unit_file = get_object_or_404(
        UnitFile.objects.select_related("campaign", "unit", "answer__round__target"), pk=pk
    )
    liaison = Liaison.objects.filter(
        user_id=request.user.pk, campaign_id=unit_file.campaign_id, unit_id=unit_file.unit_id
    ).first()
    if liaison is None:
        raise Http404
    try:
        services.unit_file_delete(unit_file=unit_file, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已删除“%(name)s”。") % {"name": unit_file.name})
    return redirect(_unit_url(liaison))


@require_safe
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    unit_file = permissions.file_for_read(request.user, pk)
    response = stored_file(unit_file.file, unit_file.name)
    audit.download(request, unit_file, label=unit_file.name)
    return response


def _line_of(request: HttpRequest, feedback: FeedbackRound, key: str):
    if key.startswith("p") and key[1:].isdigit():
        return {"problem": get_object_or_404(Problem, pk=int(key[1:]), target=feedback.target)}
    if key.startswith("c") and key[1:].isdigit():
        return {"comment_problem": get_object_or_404(CommentProblem, pk=int(key[1:]))}
    raise Http404


@require_POST
def answer(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """无异议 / 有异议 on one problem."""
    liaison = _role(request, pk)
    part = selectors.unit_part(liaison, with_lines=False)
    if part.feedback is None:
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择“无异议”或“有异议”。"))
        return redirect(_unit_url(liaison))
    try:
        services.answer_save(
            feedback=part.feedback,
            agrees=form.cleaned_data["agrees"],
            reason=form.cleaned_data["reason"],
            user=request.user,
            **_line_of(request, part.feedback, key),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已保存。"))
    return redirect(_unit_url(liaison) + f"#line-{key}")


@require_POST
def objection_file(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    liaison = _role(request, pk)
    answer = get_object_or_404(
        Answer.objects.select_related("round__target"),
        pk=answer_pk,
        round__target__campaign=liaison.campaign,
        round__target__unit=liaison.unit,
    )
    form = ObjectionFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.objection_file_add(answer=answer, upload=form.cleaned_data["file"], user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已上传异议材料。"))
    else:
        messages.error(request, _("请选择文件。"))
    return redirect(_unit_url(liaison))


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    liaison = _role(request, pk)
    part = selectors.unit_part(liaison, with_lines=False)
    if part.feedback is None:
        raise Http404
    try:
        services.feedback_submit(feedback=part.feedback, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("反馈已提交，组织部将答复所提异议。"))
    return redirect(_unit_url(liaison))


# --- the inspectors' and the organization department's side ----------------------------------------


@require_safe
def target_tab(request: HttpRequest, pk: int) -> HttpResponse:
    """被考核单位: the unit's files and its feedback, in the target's workspace."""
    target = permissions.target_for_files(request.user, pk)
    if permissions.is_liaison(request.user, target.campaign_id, target.unit_id):
        liaison = Liaison.objects.get(
            user=request.user, campaign_id=target.campaign_id, unit_id=target.unit_id
        )
        return redirect(_unit_url(liaison))
    feedback = FeedbackRound.objects.filter(target=target).first()
    context = {
        **workspace_context(request, target, "unit"),
        "files": selectors.unit_files_of(target),
        "liaisons": Liaison.objects.filter(campaign=target.campaign, unit=target.unit).select_related("user"),
        "feedback": feedback,
        "lines": services.feedback_lines(target) if feedback is not None else [],
        "can_rule": permissions.can_rule(request.user, target.campaign),
        "problems": list(Problem.objects.filter(target=target).order_by("item__order", "position", "pk"))
        if permissions.can_attach(request.user, target)
        else [],
        "ruling_form": RulingForm(),
    }
    return render(request, "liaison/target_tab.html", context)


@require_POST
def attach(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """附为佐证: one of the unit's files attached to a problem of the target (by those who write it)."""
    target = permissions.target_for_attaching(request.user, pk)
    unit_file = get_object_or_404(
        UnitFile, pk=file_pk, campaign_id=target.campaign_id, unit_id=target.unit_id
    )
    problem = Problem.objects.filter(pk=request.POST.get("problem") or 0, target=target).first()
    back = reverse("liaison:target_tab", args=[target.pk])
    if problem is None:
        messages.error(request, _("请选择要附上佐证材料的问题。"))
        return redirect(back)
    try:
        services.attach_as_evidence(unit_file=unit_file, problem=problem, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已将“%(name)s”附为问题的佐证材料。") % {"name": unit_file.name})
    return redirect(back)


@require_POST
def rule(request: HttpRequest, answer_pk: int) -> HttpResponse:
    answer = permissions.answer_for_ruling(request.user, answer_pk)
    form = RulingForm(request.POST)
    back = reverse("liaison:target_tab", args=[answer.round.target_id]) + f"#answer-{answer.pk}"
    if not form.is_valid():
        messages.error(request, _("请选择答复并写明理由。"))
        return redirect(back)
    try:
        services.ruling_save(answer=answer, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已答复。"))
        if answer.problem_id and form.cleaned_data["ruling"] != Answer.Ruling.KEEP:
            messages.info(request, _("实地考核的问题需要修改或撤销时，请退回考核组修改后重新提交审核。"))
    return redirect(back)


def _manage_context(campaign, *, liaison_form=None, deadlines_form=None) -> dict:
    return {
        "campaign": campaign,
        "liaisons": Liaison.objects.filter(campaign=campaign).select_related("unit", "user"),
        "liaison_form": liaison_form or LiaisonForm(campaign=campaign),
        "deadlines_form": deadlines_form or DeadlinesForm(instance=services.deadlines_of(campaign)),
        "rows": selectors.campaign_feedback(campaign),
    }


@require_safe
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """联络与反馈: who answers for each unit, the time limits, each unit's feedback."""
    campaign = permissions.campaign_for_rulings(request.user, pk)
    return render(request, "liaison/manage.html", _manage_context(campaign))


@require_POST
def liaison_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_admin(request.user, pk)
    form = LiaisonForm(request.POST, campaign=campaign)
    if form.is_valid():
        try:
            services.liaison_add(campaign=campaign, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已指定联络员。"))
            return redirect("liaison:manage", pk=campaign.pk)
    return render(request, "liaison/manage.html", _manage_context(campaign, liaison_form=form), status=400)


@require_POST
def liaison_remove(request: HttpRequest, pk: int) -> HttpResponse:
    liaison = get_object_or_404(Liaison.objects.select_related("campaign"), pk=pk)
    permissions.campaign_for_admin(request.user, liaison.campaign_id)
    services.liaison_remove(liaison=liaison, by=request.user)
    messages.success(request, _("已取消%(user)s的联络员身份。") % {"user": liaison.user})
    return redirect("liaison:manage", pk=liaison.campaign_id)


@require_POST
def deadlines(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_admin(request.user, pk)
    form = DeadlinesForm(request.POST, instance=services.deadlines_of(campaign))
    if form.is_valid():
        try:
            services.deadlines_set(campaign=campaign, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已保存时限。"))
            return redirect("liaison:manage", pk=campaign.pk)
    return render(request, "liaison/manage.html", _manage_context(campaign, deadlines_form=form), status=400)
