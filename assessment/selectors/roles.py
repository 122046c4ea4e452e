"""People's roles across campaigns (审核人员, 组长, 成员), as the user management pages show and
filter them. Roles are per campaign (assessment.permissions); this module only reads them."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ..models import AssessmentGroup, Campaign, CampaignReviewer, GroupMember, Target

REVIEWER = "reviewer"
LEADER = GroupMember.Role.LEADER.value
MEMBER = GroupMember.Role.MEMBER.value
NONE = "none"
ROLE_LABELS = {REVIEWER: _("审核人员"), LEADER: _("组长"), MEMBER: _("成员")}
# The user list's filter: a role (in the chosen campaign, or in any), or none at all.
ROLE_FILTERS = [*ROLE_LABELS.items(), (NONE, _("无考核角色"))]


@dataclass
class CampaignRole:
    campaign: Campaign
    role: str  # REVIEWER, LEADER or MEMBER
    group: AssessmentGroup | None = None
    counties: list[str] = field(default_factory=list)  # the group's targets

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self.role])


def roles_by_person(user_ids: Iterable[int]) -> dict[int, list[CampaignRole]]:
    """Each person's roles, the newest campaign first. Three queries, however many people."""
    ids = list(user_ids)
    found: dict[int, list[CampaignRole]] = defaultdict(list)
    if not ids:
        return found
    memberships = list(GroupMember.objects.filter(user_id__in=ids).select_related("group", "campaign"))
    counties: dict[int, list[str]] = defaultdict(list)
    targets = Target.objects.filter(group_id__in={m.group_id for m in memberships}).select_related("unit")
    for target in targets.order_by("unit__ancestry", "unit__name"):
        counties[target.group_id].append(target.unit.name)
    for m in memberships:
        found[m.user_id].append(
            CampaignRole(campaign=m.campaign, role=m.role, group=m.group, counties=counties[m.group_id])
        )
    for link in CampaignReviewer.objects.filter(user_id__in=ids).select_related("campaign"):
        found[link.user_id].append(CampaignRole(campaign=link.campaign, role=REVIEWER))
    order = {REVIEWER: 0, LEADER: 1, MEMBER: 2}
    for roles in found.values():
        roles.sort(key=lambda r: (-r.campaign.year, r.campaign.title, order[r.role]))
    return found


def person_roles(user) -> list[CampaignRole]:
    return roles_by_person([user.pk]).get(user.pk, [])


def with_role(users: QuerySet, role: str, *, campaign: Campaign | None = None) -> QuerySet:
    """``users`` narrowed to those with ``role`` (REVIEWER, LEADER, MEMBER) in ``campaign`` (or in
    any campaign), or with no role in it at all (NONE)."""
    in_campaign = Q(campaign=campaign) if campaign is not None else Q()
    reviewing = Exists(CampaignReviewer.objects.filter(in_campaign, user=OuterRef("pk")))
    serving = GroupMember.objects.filter(in_campaign, user=OuterRef("pk"))
    if role == REVIEWER:
        return users.filter(reviewing)
    if role in (LEADER, MEMBER):
        return users.filter(Exists(serving.filter(role=role)))
    if role == NONE:
        return users.exclude(reviewing).exclude(Exists(serving))
    return users


def campaigns_for_filter() -> QuerySet:
    return Campaign.objects.order_by("-year", "title")
