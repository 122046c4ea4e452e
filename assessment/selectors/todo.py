"""What waits for the signed-in person (the to-do list at the top of 我的考核, its count in the
navigation bar), per role, in the campaigns still under way (a closed campaign waits for nobody):

- 审核人员: 待审核 — the submitted counties of the campaigns they review, the longest waiting first;
- 系统管理员: 待定稿 — approved counties waiting to be finalized, and the campaigns still 筹备中;
- 组长: 退回修改 — their group's returned counties with the reviewer's comment, and 待提交 — their
  group's counties still being filled in, with how many items are done
  (assessment.domain.completeness, in SQL by assessment.selectors.workspace.done_assessments);
- 成员: the counties of their group open for editing with items not yet done.

``todo_for`` reads all of it in at most five queries (one for someone with no role), however many campaigns and counties, and
remembers it for the request: the page and the navigation bar's count share one reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.permissions import is_admin, is_signed_in, remembered

from ..domain import setup
from ..domain.workflow import EDITABLE, Status
from ..models import Campaign, CampaignReviewer, ChecklistItem, GroupMember, Target, WorkflowEvent
from .setup import facts_of, with_setup_facts
from .workspace import done_assessments


@dataclass(frozen=True)
class Waiting:
    """A county waiting for someone: since when (None when no record says: never guessed)."""

    target: Target
    since: datetime | None


@dataclass(frozen=True)
class Returned:
    """A county the reviewer sent back, with what they wrote."""

    target: Target
    since: datetime | None
    comment: str
    by: str


@dataclass(frozen=True)
class Progress:
    """A county being filled in: its items done of the checklist's."""

    target: Target
    done: int
    total: int

    @property
    def open(self) -> int:
        return self.total - self.done


@dataclass
class Todo:
    """Each role's list; a role's list is None when the person does not hold that role (its
    section is not shown), empty when they hold it and nothing waits."""

    to_review: list[Waiting] | None = None  # reviewer
    to_finalize: list[Waiting] | None = None  # administrator
    preparing: list[Campaign] | None = None  # administrator
    returned: list[Returned] | None = None  # leader
    to_submit: list[Progress] | None = None  # leader
    unfinished: list[Progress] | None = None  # member

    @property
    def is_reviewer(self) -> bool:
        return self.to_review is not None

    @property
    def is_admin(self) -> bool:
        return self.to_finalize is not None

    @property
    def is_leader(self) -> bool:
        return self.returned is not None

    @property
    def is_member(self) -> bool:
        return self.unfinished is not None

    @property
    def has_role(self) -> bool:
        return self.is_reviewer or self.is_admin or self.is_leader or self.is_member

    @property
    def count(self) -> int:
        """Everything waiting: the navigation bar's badge."""
        lists = (
            self.to_review,
            self.to_finalize,
            self.preparing,
            self.returned,
            self.to_submit,
            self.unfinished,
        )
        return sum(len(entries) for entries in lists if entries)


def _since() -> Coalesce:
    """When the county reached its present state: the target's record of it, else the workflow
    event that brought it there (targets moved before status_changed_at was kept)."""
    event = WorkflowEvent.objects.filter(target=OuterRef("pk"), to_status=OuterRef("status")).order_by(
        "-at", "-pk"
    )
    return Coalesce("status_changed_at", Subquery(event.values("at")[:1]))


def _open(targets: QuerySet[Target]) -> QuerySet[Target]:
    return targets.exclude(campaign__status=Campaign.Status.CLOSED)


def _open_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.exclude(status=Campaign.Status.CLOSED)


def _waiting(targets: QuerySet[Target]) -> list[Waiting]:
    rows = (
        _open(targets)
        .select_related("unit", "campaign", "group")
        .only(
            "status", "status_changed_at", "unit__name", "campaign__title", "campaign__status", "group__name"
        )
        .annotate(since=_since())
        .order_by(F("since").asc(nulls_first=True), "campaign_id", "unit__name")
    )
    return [Waiting(target=t, since=t.since) for t in rows]


def to_review(campaign_ids) -> list[Waiting]:
    """待审核: the submitted counties of the campaigns ``campaign_ids`` (those a reviewer reviews),
    the longest waiting first."""
    return _waiting(Target.objects.filter(status=Status.SUBMITTED, campaign_id__in=campaign_ids))


def to_finalize() -> list[Waiting]:
    """待定稿: approved counties, the longest waiting first (administrators)."""
    return _waiting(Target.objects.filter(status=Status.APPROVED))


def preparing() -> list[Campaign]:
    """Campaigns still 筹备中 (administrators), each with its 筹备步骤 not done yet (``pending_steps``)."""
    campaigns = list(
        with_setup_facts(Campaign.objects.filter(status=Campaign.Status.PREPARING)).order_by("-year", "title")
    )
    for campaign in campaigns:
        campaign.pending_steps = setup.pending(facts_of(campaign))
    return campaigns


def _group_targets(user) -> list[Target]:
    """The counties of the groups ``user`` sits on, open for editing, with the user's role in the
    group (``my_role``), items done and total, and the last return's comment and reviewer."""
    role = GroupMember.objects.filter(group=OuterRef("group_id"), user=user).values("role")[:1]
    done = (
        done_assessments().filter(target=OuterRef("pk")).order_by().values("target").annotate(n=Count("pk"))
    )
    total = (
        ChecklistItem.objects.filter(campaign=OuterRef("campaign_id"))
        .order_by()
        .values("campaign")
        .annotate(n=Count("pk"))
    )
    last_return = WorkflowEvent.objects.filter(target=OuterRef("pk"), to_status=Status.RETURNED).order_by(
        "-at", "-pk"
    )
    return list(
        _open(Target.objects.filter(group__memberships__user=user, status__in=EDITABLE))
        .select_related("unit", "campaign", "group")
        .only(
            "status", "status_changed_at", "unit__name", "campaign__title", "campaign__status", "group__name"
        )
        .annotate(
            my_role=Subquery(role),
            items_done=Coalesce(Subquery(done.values("n")[:1]), 0),
            items_total=Coalesce(Subquery(total.values("n")[:1]), 0),
            since=_since(),
            return_comment=Subquery(last_return.values("comment")[:1]),
            return_by=Subquery(last_return.values("actor__name")[:1]),
            return_by_username=Subquery(last_return.values("actor__username")[:1]),
        )
        .order_by("-campaign__year", "campaign_id", "unit__name")
    )


def _standing(user) -> tuple[list[int], set[str]]:
    """The campaigns under way ``user`` reviews, and the roles they hold in groups: one query."""
    membership = GroupMember.objects.filter(campaign=OuterRef("pk"), user=user).values("role")[:1]
    rows = (
        _open_campaigns()
        .annotate(reviewing=Exists(CampaignReviewer.objects.filter(campaign=OuterRef("pk"), user=user)))
        .annotate(role=Subquery(membership))
        .filter(Q(reviewing=True) | Q(role__isnull=False))
        .values_list("pk", "reviewing", "role")
    )
    reviewed, roles = [], set()
    for pk, reviewing, role in rows:
        if reviewing:
            reviewed.append(pk)
        if role:
            roles.add(role)
    return reviewed, roles


def _compute(user) -> Todo:
    todo = Todo()
    reviewed, roles = _standing(user)
    if reviewed:
        todo.to_review = to_review(reviewed)
    if is_admin(user):
        todo.to_finalize = to_finalize()
        todo.preparing = preparing()
    if not roles:
        return todo
    targets = _group_targets(user)
    if GroupMember.Role.LEADER in roles:
        mine = [t for t in targets if t.my_role == GroupMember.Role.LEADER]
        todo.returned = [
            Returned(
                target=t,
                since=t.since,
                comment=t.return_comment or "",
                by=t.return_by or t.return_by_username or "",
            )
            for t in sorted((t for t in mine if t.status == Status.RETURNED), key=_oldest_first)
        ]
        todo.to_submit = [
            Progress(target=t, done=t.items_done, total=t.items_total)
            for t in mine
            if t.status == Status.DRAFTING
        ]
    if GroupMember.Role.MEMBER in roles:
        todo.unfinished = [
            Progress(target=t, done=t.items_done, total=t.items_total)
            for t in targets
            if t.my_role == GroupMember.Role.MEMBER and t.items_done < t.items_total
        ]
    return todo


def _oldest_first(target: Target):
    return (target.since is not None, target.since or datetime.min, target.unit.name)


def todo_for(user) -> Todo:
    """What waits for ``user``, read once a request (the page and the navigation bar share it)."""
    if not is_signed_in(user):
        return Todo()
    return remembered(("todo", user.pk), lambda: _compute(user))
