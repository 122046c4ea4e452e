"""The tabs of a campaign's pages, in one place: which exist, in which order, and which campaign roles
(assessment.permissions.Role) see them. Every page of a campaign shows them through one include
(``{% campaign_tabs campaign "key" %}``, templates/assessment/_campaign_tabs.html), so they are the
same on every page.

An app above assessment (tests/import_graph.py) adds its tab from its AppConfig.ready() with
``register`` — reports adds 考核总览 — so that assessment never names it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .permissions import Role

EVERYONE = frozenset({Role.ADMIN, Role.REVIEWER, Role.LEADER, Role.MEMBER})
WHOLE_CAMPAIGN = frozenset({Role.ADMIN, Role.REVIEWER})  # those who read every group


@dataclass(frozen=True)
class CampaignTab:
    key: str  # what a page names as its active tab
    label: str | Promise
    url_name: str  # reversed with the campaign's pk
    roles: frozenset[str] = EVERYONE

    def url(self, campaign) -> str:
        return reverse(self.url_name, args=[campaign.pk])


TABS: list[CampaignTab] = [
    CampaignTab("overview", _("概览"), "campaigns:detail"),
    CampaignTab("checklist", _("考核项目清单"), "campaigns:checklist"),
    CampaignTab("sampling", _("抽查"), "campaigns:sampling"),
]


def register(tab: CampaignTab) -> CampaignTab:
    """Add a tab after those already there (once, however often an app is made ready)."""
    if all(existing.key != tab.key for existing in TABS):
        TABS.append(tab)
    return tab


def tabs_for(role: str | None) -> list[CampaignTab]:
    """The tabs someone with ``role`` in the campaign sees, in order (none without a role)."""
    return [tab for tab in TABS if role in tab.roles]


# --- the tabs of a target's workspace -------------------------------------------------------------


@dataclass(frozen=True)
class TargetTab:
    """A tab an upper app adds to every target's workspace, after 抽查单位 (for those who read it)."""

    key: str
    label: str | Promise
    url_name: str  # reversed with the target's pk

    def url(self, target) -> str:
        return reverse(self.url_name, args=[target.pk])


TARGET_TABS: list[TargetTab] = []


def register_target_tab(tab: TargetTab) -> TargetTab:
    if all(existing.key != tab.key for existing in TARGET_TABS):
        TARGET_TABS.append(tab)
    return tab
