from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.forms import form_errors
from core.formtokens import Submission, replayed_message, submit_once

from .. import permissions
from ..forms.groups import GroupForm, TargetMoveForm
from ..permissions import admin_required
from ..selectors.campaigns import campaign_groups
from ..services import locks
from ..services.groups import RecusalRequired, group_save, holdings, target_choices, target_move


def _save(request: HttpRequest, campaign, group=None) -> HttpResponse:
    units = target_choices(campaign, group=group)
    # A new group starts with no 考核方式 ticked: the form requires at least one, chosen on purpose.
    initial = GroupForm.initial_for(group) if group else {}
    form = GroupForm(request.POST or None, campaign=campaign, group=group, units=units, initial=initial)
    conflicts = []
    if request.method == "POST" and form.is_valid():
        editing = group

        def save():
            return group_save(campaign=campaign, group=editing, user=request.user, **form.cleaned_data)

        try:
            # A new group: once per rendered form, a second submission replays the first.
            submission = submit_once(request, save) if editing is None else Submission(save(), False)
        except RecusalRequired as exc:
            conflicts = exc.conflicts
            form_errors(form, exc)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            group = submission.created
            if submission.replayed:
                messages.info(request, replayed_message())
                return redirect(group or campaign)
            messages.success(request, _("已保存“%(name)s”。") % {"name": group.name})
            return redirect(group)
    context = {
        "form": form,
        "campaign": campaign,
        "group": group,
        "conflicts": conflicts,
        **_lock_context(campaign, group),
    }
    return render(request, "assessment/group_form.html", context)


def _lock_context(campaign, group) -> dict:
    """Why the group may not change now, and which of its counties hold work (only 移交 moves them)."""
    if group is None or not group.pk:
        return {"locked": locks.refusal(campaign=campaign, targets=[], what=locks.GROUP), "held": {}}
    targets = list(group.targets.select_related("unit"))
    return {
        "locked": locks.refusal(campaign=campaign, targets=targets, what=locks.GROUP),
        "held": {t.unit.name: "、".join(h) for t in targets if (h := holdings(t))},
    }


@admin_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_admin(request.user, pk)
    return _save(request, campaign)


@admin_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.group_for_admin(request.user, pk)
    return _save(request, group.campaign, group)


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.group_for_read(request.user, pk)
    (view,) = [g for g in campaign_groups(group.campaign, request.user) if g.group.pk == group.pk]
    is_admin = permissions.is_admin(request.user)
    context = {
        "campaign": group.campaign,
        "group": group,
        "view": view,
        "is_admin": is_admin,
        "locked": is_admin and locks.refusal(campaign=group.campaign, targets=view.targets, what=locks.GROUP),
        "movable": is_admin
        and not group.campaign.is_closed
        and group.campaign.groups.exclude(pk=group.pk).exists(),
    }
    return render(request, "assessment/group_detail.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """移交: hand a county with all its work to another group of the campaign, with a reason."""
    target = permissions.target_for_admin(request.user, pk)
    form = TargetMoveForm(request.POST or None, target=target)
    conflicts = []
    if request.method == "POST" and form.is_valid():
        try:
            target_move(target=target, user=request.user, **form.cleaned_data)
        except RecusalRequired as exc:
            conflicts = exc.conflicts
            form_errors(form, exc)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                _("已将%(unit)s移交给“%(group)s”。")
                % {"unit": target.unit.name, "group": form.cleaned_data["group"]},
            )
            return redirect(form.cleaned_data["group"])
    context = {
        "form": form,
        "target": target,
        "campaign": target.campaign,
        "group": target.group,
        "conflicts": conflicts,
        "locked": locks.target_refusal(target, locks.GROUP),
        "held": "、".join(holdings(target)),
    }
    return render(request, "assessment/target_move.html", context)
