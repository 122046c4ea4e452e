from django import template
from django.utils import timezone

from core.text import duration_text

from .. import permissions, tabs
from ..domain.workflow import Status

register = template.Library()


@register.inclusion_tag("assessment/_campaign_tabs.html", takes_context=True)
def campaign_tabs(context, campaign, active: str = "") -> dict:
    """The campaign's tabs (assessment.tabs) for the person looking, ``active`` marked."""
    role = permissions.campaign_role(context["request"].user, campaign)
    return {
        "tabs": [(tab.key, tab.label, tab.url(campaign)) for tab in tabs.tabs_for(role)],
        "active": active,
    }


@register.simple_tag
def target_tabs(target) -> list[tuple[str, str, str]]:
    """The tabs upper apps add to a target's workspace (assessment.tabs.TARGET_TABS): (key, label, url)."""
    return [(tab.key, tab.label, tab.url(target)) for tab in tabs.TARGET_TABS]


@register.filter
def status_label(value: str) -> str:
    """A county's state in the workflow's words (填报中, 已提交 …); the value itself if unknown."""
    try:
        return str(Status(value).label)
    except ValueError:
        return value


@register.filter
def waited(since) -> str:
    """How long since ``since`` (a county waiting for someone): 3天5小时."""
    return duration_text(timezone.now() - since) if since else ""
