from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.formtokens import Submission, replayed_message, submit_once

from .. import permissions, selectors
from ..forms import GroupForm
from ..permissions import admin_required
from ..services.groups import RecusalRequired, county_choices, group_save
from .common import form_errors


def _save(request: HttpRequest, campaign, group=None) -> HttpResponse:
    counties = county_choices(campaign, group=group)
    # A new group starts with no 考核方式 ticked: the form requires at least one, chosen on purpose.
    initial = GroupForm.initial_for(group) if group else {}
    form = GroupForm(request.POST or None, campaign=campaign, group=group, counties=counties, initial=initial)
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
    context = {"form": form, "campaign": campaign, "group": group, "conflicts": conflicts}
    return render(request, "assessment/group_form.html", context)


@admin_required
def create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_admin(request.user, pk)
    return _save(request, campaign)


@admin_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.group_for_admin(request.user, pk)
    return _save(request, group.campaign, group)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = permissions.group_for_read(request.user, pk)
    (view,) = [g for g in selectors.campaign_groups(group.campaign, request.user) if g.group.pk == group.pk]
    context = {
        "campaign": group.campaign,
        "group": group,
        "view": view,
        "is_admin": permissions.is_admin(request.user),
    }
    return render(request, "assessment/group_detail.html", context)
