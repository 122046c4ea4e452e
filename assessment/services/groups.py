"""Writes to assessment groups: who is on them, which counties they assess, recusal."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import model_audit
from core.text import clean_text
from units.models import Unit

from .. import extensions
from ..domain import locks as domain_locks
from ..models import (
    AssessmentGroup,
    AuditEntry,
    Campaign,
    CampaignReviewer,
    GroupMember,
    Method,
    Target,
)
from ..permissions import is_admin
from . import locks
from .editing import audit


@dataclass(frozen=True)
class RecusalConflict:
    """A person whose home unit lies inside a county their group assesses (回避)."""

    user: object
    home_unit: Unit
    target: Unit

    def __str__(self) -> str:
        return _("%(user)s 的所在单位“%(home)s”位于考核对象“%(target)s”内") % {
            "user": self.user,
            "home": self.home_unit.name,
            "target": self.target.name,
        }


class RecusalRequired(ValidationError):
    """Raised when conflicts need an administrator's confirmation and a reason."""

    def __init__(self, conflicts: list[RecusalConflict]):
        self.conflicts = conflicts
        super().__init__(
            {"recusal_reason": [_("存在需要回避的情况，请确认并说明理由：") + "；".join(map(str, conflicts))]}
        )


def recusal_conflicts(*, people, targets) -> list[RecusalConflict]:
    """Who among ``people`` works inside one of ``targets`` (the county itself or anything under it)."""
    conflicts = []
    for person in people:
        home = getattr(person, "home_unit", None)
        if home is None:
            continue
        for target in targets:
            if home.pk == target.pk or home.ancestry.startswith(target.descendant_prefix):
                conflicts.append(RecusalConflict(user=person, home_unit=home, target=target))
    return conflicts


def holdings(target: Target) -> list[str]:
    """What a county holds in its campaign, e.g. ["状态：已定稿", "工作情况", "扣分 3 条"]: anything
    that deleting the Target would take with it. Empty only for a county nobody has worked on.

    Every record pointing at the target counts (findings, draws, 修改记录, workflow steps, report
    downloads, …), found through the model's relations so a new kind of record counts too."""
    held = []
    if target.status != Target.Status.DRAFTING:
        held.append(_("状态：%(status)s") % {"status": target.get_status_display()})
    if target.narrative.strip():
        held.append(_("工作情况"))
    for relation in Target._meta.related_objects:
        count = relation.related_model._default_manager.filter(**{relation.field.name: target}).count()
        if count:
            held.append(
                _("%(what)s %(count)s 条")
                % {"what": relation.related_model._meta.verbose_name_plural, "count": count}
            )
    return held


def group_snapshot(group: AssessmentGroup) -> dict:
    """A group as a county's 修改记录 shows it: what the report takes from it."""
    memberships = sorted(
        GroupMember.objects.filter(group=group).select_related("user"),
        key=lambda m: (m.role != "leader", m.pk),
    )
    leader = next((str(m.user) for m in memberships if m.role == GroupMember.Role.LEADER), None)
    return {
        "考核组": group.name,
        "组长": leader,
        "成员": "、".join(str(m.user) for m in memberships if m.role != GroupMember.Role.LEADER) or None,
        "考核日期": " 至 ".join(d.isoformat() for d in (group.start_date, group.end_date) if d) or None,
        "考核方式": "、".join(group.method_labels()) or None,
        "备注": group.note or None,
    }


def _validate(
    *,
    campaign: Campaign,
    group: AssessmentGroup,
    leader,
    members: list,
    targets: list[Unit],
    methods: list[str],
) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not group.name:
        add("name", _("请填写考核组名称。"))
    elif AssessmentGroup.objects.filter(campaign=campaign, name=group.name).exclude(pk=group.pk).exists():
        add("name", _("本次考核已有“%(name)s”。") % {"name": group.name})
    if group.start_date and group.end_date and group.end_date < group.start_date:
        add("end_date", _("结束日期不能早于开始日期。"))
    if leader is None:
        add("leader", _("请指定考核组组长。"))
    if unknown := [m for m in methods if m not in Method.values]:
        add("methods", _("无效的考核方式：%(methods)s") % {"methods": "、".join(unknown)})
    people = [p for p in [leader, *members] if p is not None]
    elsewhere = GroupMember.objects.filter(campaign=campaign, user__in=people).select_related("user", "group")
    if group.pk:
        elsewhere = elsewhere.exclude(group=group)
    for membership in elsewhere:
        add(
            "members",
            _("%(user)s 已在“%(group)s”中，同一次考核中每人只能参加一个考核组。")
            % {"user": membership.user, "group": membership.group.name},
        )
    reviewers = CampaignReviewer.objects.filter(campaign=campaign, user__in=people).select_related("user")
    for link in reviewers:
        add("members", _("%(user)s 是本次考核的审核人员，不能参加考核组。") % {"user": link.user})
    scope = _target_scope(campaign)
    allowed = set(campaign.target_units().filter(pk__in=[u.pk for u in targets]).values_list("pk", flat=True))
    for unit in targets:
        if unit.pk not in allowed:
            add("targets", _("“%(name)s”不能作为考核对象：%(scope)s") % {"name": unit.name, "scope": scope})
    taken = Target.objects.filter(campaign=campaign, unit__in=targets).select_related("group", "unit")
    if group.pk:
        taken = taken.exclude(group=group)
    for target in taken:
        add(
            "targets",
            _("“%(unit)s”已由“%(group)s”负责考核。") % {"unit": target.unit.name, "group": target.group.name},
        )
    if group.pk:
        for target in Target.objects.filter(group=group).exclude(unit__in=targets).select_related("unit"):
            if held := holdings(target):
                add("targets", removal_refusal(target, held))
    if errors:
        raise ValidationError(errors)


def _target_scope(campaign: Campaign) -> str:
    """E.g. 本次考核的对象是青山县所属的在用乡镇（部门）。"""
    owner = _("%(unit)s所属的") % {"unit": campaign.issuer_unit.name} if campaign.issuer_unit_id else ""
    return _("本次考核的对象是%(owner)s在用%(word)s。") % {"owner": owner, "word": campaign.target_word}


def removal_refusal(target: Target, held: list[str]) -> str:
    message = _("“%(unit)s”已有%(held)s，不能从考核组中移除，以免删除其考核材料。") % {
        "unit": target.unit.name,
        "held": "、".join(held),
    }
    return message + _("如需由其他考核组负责，请由管理员在考核组页面使用“移交”，连同全部材料一并移交。")


@transaction.atomic
def group_save(
    *,
    campaign: Campaign,
    group: AssessmentGroup | None = None,
    name: str,
    leader,
    members,
    targets,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    methods: list[str] | None = None,
    note: str = "",
    recusal_reason: str = "",
    user,
) -> AssessmentGroup:
    """Create or update a group with its leader, members and targets, all at once.

    Someone whose home unit lies inside one of the group's counties is a
    recusal conflict: the save is refused (RecusalRequired, naming each
    conflict) unless ``recusal_reason`` is given, which is then recorded on the
    membership with who confirmed it and when.
    """
    if campaign.is_closed:
        raise locks.Locked(domain_locks.closed_message(str(locks.GROUP)))
    group = group or AssessmentGroup(campaign=campaign)
    before = group_snapshot(group) if group.pk else None
    kept_before = set(Target.objects.filter(group=group).values_list("pk", flat=True)) if group.pk else set()
    group.name = clean_text(name)
    group.start_date, group.end_date = start_date, end_date
    methods = list(methods or [])
    group.methods = [m.value for m in Method if m.value in methods]  # in the order the report lists them
    group.note = note.strip()
    members = [m for m in dict.fromkeys(members) if m != leader]
    targets = list(dict.fromkeys(targets))
    _validate(
        campaign=campaign, group=group, leader=leader, members=members, targets=targets, methods=group.methods
    )

    already_confirmed = set()
    if group.pk:
        already_confirmed = set(
            GroupMember.objects.filter(group=group)
            .exclude(recusal_reason="")
            .values_list("user_id", flat=True)
        )
    conflicts = [
        c
        for c in recusal_conflicts(people=[leader, *members], targets=targets)
        if c.user.pk not in already_confirmed
    ]
    reason = recusal_reason.strip()
    if conflicts and not reason:
        raise RecusalRequired(conflicts)
    if before is not None:
        _require_open(group, before, leader=leader, members=members, targets=targets, conflicts=conflicts)

    group.save()
    wanted = {leader.pk: GroupMember.Role.LEADER, **{m.pk: GroupMember.Role.MEMBER for m in members}}
    GroupMember.objects.filter(group=group).exclude(user_id__in=wanted).delete()
    # Roles may swap (a member becomes leader): clear the old leader first for the one-leader rule.
    model_audit.update(
        GroupMember.objects.filter(group=group, role=GroupMember.Role.LEADER).exclude(user=leader),
        role=GroupMember.Role.MEMBER,
    )
    existing = {m.user_id: m for m in GroupMember.objects.filter(group=group)}
    conflicted = {c.user.pk for c in conflicts}
    now = timezone.now()
    for person in [leader, *members]:
        membership = existing.get(person.pk) or GroupMember(group=group, campaign=campaign, user=person)
        membership.role = wanted[person.pk]
        if person.pk in conflicted:
            membership.recusal_reason = reason
            membership.recusal_confirmed_by = user
            membership.recusal_confirmed_at = now
        membership.save()

    Target.objects.filter(group=group).exclude(unit__in=targets).delete()
    have = set(Target.objects.filter(group=group).values_list("unit_id", flat=True))
    added = model_audit.bulk_create(
        Target, [Target(campaign=campaign, group=group, unit=u) for u in targets if u.pk not in have]
    )
    if added:
        extensions.targets_added.send(sender=Target, campaign=campaign, targets=list(added), user=user)
    if before is not None:
        after = group_snapshot(group)
        if after != before:
            # In the 修改记录 of every county the group kept: the report takes the group from here.
            for target in Target.objects.filter(group=group, pk__in=kept_before):
                audit(
                    target=target,
                    user=user,
                    action=AuditEntry.Action.UPDATE,
                    obj=group,
                    before=before,
                    after=after,
                    title=_("考核组：%(name)s") % {"name": group.name},
                )
    return group


def _require_open(group, before: dict, *, leader, members, targets, conflicts) -> None:
    """A change of the group itself (name, people, dates, methods, note) touches the report of every
    county it assesses; taking a county off touches that county. Adding a county touches nobody's."""
    stored = AssessmentGroup.objects.get(pk=group.pk)
    people = {m.user_id: m.role for m in GroupMember.objects.filter(group=group)}
    wanted = {leader.pk: GroupMember.Role.LEADER, **{m.pk: GroupMember.Role.MEMBER for m in members}}
    settings_changed = (
        any(
            getattr(stored, f) != getattr(group, f)
            for f in ("name", "start_date", "end_date", "methods", "note")
        )
        or people != wanted
        or bool(conflicts)
    )
    current = Target.objects.filter(group=group)
    affected = current if settings_changed else current.exclude(unit__in=targets)
    locks.require_open(campaign=group.campaign_id, targets=affected, what=locks.GROUP)


@transaction.atomic
def target_move(
    *, target: Target, group: AssessmentGroup, reason: str, user, recusal_reason: str = ""
) -> Target:
    """移交: an administrator hands a county, with all its work, to another group of the campaign.

    The only way a county that holds anything leaves its group. Needs a reason, recorded in the
    county's 修改记录; open only while the county is being filled in (the report names its group,
    so a handed-in county is reopened first) and its campaign is not closed.
    """
    if not is_admin(user):
        raise PermissionDenied(_("只有系统管理员可以移交考核对象。"))
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": [_("请说明移交的原因。")]})
    target = Target.objects.select_related("group", "unit", "campaign").get(pk=target.pk)
    locks.require_open(campaign=target.campaign_id, targets=[target], what=locks.GROUP)
    group = AssessmentGroup.objects.get(pk=group.pk)
    if group.campaign_id != target.campaign_id:
        raise ValidationError({"group": [_("只能移交给本次考核的其他考核组。")]})
    if group.pk == target.group_id:
        raise ValidationError(
            {
                "group": [
                    _("“%(unit)s”已由“%(group)s”负责考核。") % {"unit": target.unit.name, "group": group.name}
                ]
            }
        )
    memberships = list(GroupMember.objects.filter(group=group).select_related("user", "user__home_unit"))
    confirmed = {m.user_id for m in memberships if m.recusal_reason}
    conflicts = [
        c
        for c in recusal_conflicts(people=[m.user for m in memberships], targets=[target.unit])
        if c.user.pk not in confirmed
    ]
    recusal_reason = recusal_reason.strip()
    if conflicts and not recusal_reason:
        raise RecusalRequired(conflicts)
    now = timezone.now()
    for membership in memberships:
        if membership.user_id in {c.user.pk for c in conflicts}:
            membership.recusal_reason = recusal_reason
            membership.recusal_confirmed_by = user
            membership.recusal_confirmed_at = now
            membership.save()
    before = {"考核组": target.group.name}
    target.group = group
    target.save(update_fields=["group"])
    audit(
        target=target,
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=target,
        before=before,
        after={"考核组": group.name, "移交原因": reason},
        title=_("移交考核组"),
    )
    return target


def target_choices(campaign: Campaign, *, group: AssessmentGroup | None = None):
    """Units that may be assigned to ``group``: the campaign's target units (active, of its
    kinds, below its issuer), not taken by another group of the campaign."""
    taken = Target.objects.filter(campaign=campaign)
    if group is not None and group.pk:
        taken = taken.exclude(group=group)
    return (
        campaign.target_units().exclude(pk__in=taken.values("unit_id")).order_by("ancestry", "kind", "name")
    )


def people_elsewhere(campaign: Campaign, *, group: AssessmentGroup | None = None) -> dict[int, str]:
    """User id → where they already serve in the campaign (another group, or as reviewer)."""
    others = GroupMember.objects.filter(campaign=campaign).select_related("group")
    if group is not None and group.pk:
        others = others.exclude(group=group)
    busy = {m.user_id: m.group.name for m in others}
    for user_id in CampaignReviewer.objects.filter(campaign=campaign).values_list("user_id", flat=True):
        busy[user_id] = _("审核人员")
    return busy
