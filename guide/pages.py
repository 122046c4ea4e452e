"""Which section of the guide explains a page to a person: the "?" of the navigation bar.

The page is the path the "?" was pressed on, resolved to its view name (and, for a county's or a
campaign's pages, to the campaign, where roles live). Among the sections listing that view
(guide.sections), the one written for the person's role there wins (the most specific, when
several are); a page only one section lists opens that section whatever the role; otherwise, and
for a path that is no page of ours, the guide's contents.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import Resolver404, resolve

from assessment import permissions as assessment_permissions
from assessment.models import AssessmentGroup, Campaign, Target

from .sections import SECTIONS, Section

# Pages whose ``pk`` is a county (target), a campaign or a group: the person's role is the one
# they have in that campaign. Elsewhere it is their role in their latest campaign.
TARGET_PAGES = {
    "campaigns:target",
    "campaigns:target_item",
    "campaigns:target_overview",
    "campaigns:target_examples",
    "campaigns:target_history",
    "campaigns:target_sample",
    "campaigns:sample_print",
    "reports:preview",
    "reports:download",
}
CAMPAIGN_PAGES = {
    "campaigns:detail",
    "campaigns:checklist",
    "campaigns:sampling",
    "reports:dashboard",
    "reports:scores",
    "reports:compare",
    "reports:problems",
    "reports:common_problems",
    "reports:charts",
}
GROUP_PAGES = {"campaigns:group"}


@dataclass(frozen=True)
class Found:
    section: Section | None  # None: the contents
    anchor: str = ""


def _campaign_id(view_name: str, kwargs: dict) -> int | None:
    pk = kwargs.get("pk")
    if not isinstance(pk, int):
        return None
    if view_name in TARGET_PAGES:
        return Target.objects.filter(pk=pk).values_list("campaign_id", flat=True).first()
    if view_name in GROUP_PAGES:
        return AssessmentGroup.objects.filter(pk=pk).values_list("campaign_id", flat=True).first()
    if view_name in CAMPAIGN_PAGES:
        return pk
    return None


def role_at(user, view_name: str, kwargs: dict) -> str | None:
    """The person's role on that page: administrator, or their role in the page's campaign, or
    (a page of no campaign) in the latest campaign they have a role in."""
    if assessment_permissions.is_admin(user):
        return assessment_permissions.Role.ADMIN
    campaign_id = _campaign_id(view_name, kwargs)
    if campaign_id is not None:
        campaign = Campaign.objects.filter(pk=campaign_id).first()
    else:
        campaign = assessment_permissions.visible_campaigns(user).order_by("-year", "-pk").first()
    return assessment_permissions.campaign_role(user, campaign) if campaign is not None else None


def section_for(view_name: str, role: str | None) -> Found:
    listing = [s for s in SECTIONS if view_name in s.pages]
    for_role = [s for s in listing if role in s.roles]
    if for_role:
        chosen = min(for_role, key=lambda s: len(s.roles))  # the most specific; ties: guide order
    elif len(listing) == 1:
        chosen = listing[0]
    else:
        return Found(None)
    return Found(chosen, chosen.pages[view_name])


def section_for_path(user, path: str) -> Found:
    """The section (and anchor) explaining the page at ``path`` to ``user``."""
    try:
        match = resolve(path or "/")
    except Resolver404:
        return Found(None)
    view_name = match.view_name
    if not any(view_name in s.pages for s in SECTIONS):
        return Found(None)
    return section_for(view_name, role_at(user, view_name, match.kwargs))
