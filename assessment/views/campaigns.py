from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.forms import form_errors
from core.formtokens import replayed_message, submit_once

from .. import permissions
from ..forms.campaigns import CampaignForm, CampaignStatusForm
from ..models import Campaign
from ..permissions import admin_required
from ..selectors.campaigns import campaign_checklist, campaign_groups, unassigned_units
from ..selectors.setup import setup_steps
from ..services import campaigns as services


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    campaigns = permissions.visible_campaigns(request.user).order_by("-year", "title")
    return render(
        request,
        "assessment/campaign_list.html",
        {"campaigns": campaigns, "can_manage": permissions.is_admin(request.user)},
    )


@admin_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reviewers = data.pop("reviewers")

        def create():
            campaign = services.campaign_create(**data)
            services.campaign_set_reviewers(campaign=campaign, users=reviewers)
            return campaign

        try:
            submission = submit_once(request, create)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            campaign = submission.created
            if submission.replayed:
                messages.info(request, replayed_message())
                return redirect(campaign or "campaigns:index")
            messages.success(
                request, _("已创建“%(title)s”。下一步：导入考核项目清单。") % {"title": campaign.title}
            )
            return redirect(campaign)
    return render(request, "assessment/campaign_form.html", {"form": form, "campaign": None})


@admin_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_admin(request.user, pk)
    initial = {"reviewers": list(campaign.reviewers.all())}
    form = CampaignForm(request.POST or None, instance=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reviewers = data.pop("reviewers")
        try:
            with transaction.atomic():  # both or neither
                services.campaign_update(campaign=Campaign.objects.get(pk=pk), user=request.user, **data)
                services.campaign_set_reviewers(campaign=campaign, users=reviewers)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(campaign)
    context = {"form": form, "campaign": campaign, "frozen": services.settings_refusal(campaign)}
    return render(request, "assessment/campaign_form.html", context)


@admin_required
@require_POST
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.campaign_for_admin(request.user, pk)
    form = CampaignStatusForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_set_status(campaign=campaign, status=form.cleaned_data["status"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("状态已改为“%(status)s”。") % {"status": campaign.get_status_display()}
            )
    return redirect(campaign)


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign overview: checklist at a glance, groups with their people and targets, sampling state."""
    campaign = permissions.campaign_for_read(request.user, pk)
    role = permissions.campaign_role(request.user, campaign)
    groups = campaign_groups(campaign, request.user)
    context = {
        "campaign": campaign,
        "role": role,
        "is_admin": role == permissions.Role.ADMIN,
        "groups": groups,
        "checklist": campaign_checklist(campaign),
        "reviewers": campaign.reviewers.order_by("username"),
        "status_choices": Campaign.Status.choices,
        "unassigned": role == permissions.Role.ADMIN and unassigned_units(campaign),
    }
    if role == permissions.Role.ADMIN and campaign.is_preparing:
        context["setup_steps"] = setup_steps(campaign)
        context["setup_pending"] = sum(1 for s in context["setup_steps"] if not s.done)
    return render(request, "assessment/campaign_detail.html", context)
