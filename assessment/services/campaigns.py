"""Writes to campaigns: creating, editing, status, reviewers."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import model_audit
from core.text import clean_text

from ..domain import levels
from ..domain.locks import closed_message
from ..models import AuditEntry, Campaign, CampaignReviewer, GroupMember, SamplingPlan, Target
from . import locks
from .editing import audit_each

# Which status may follow which. Closing is not forever: an administrator can reopen.
TRANSITIONS = {
    Campaign.Status.PREPARING: {Campaign.Status.ACTIVE},
    Campaign.Status.ACTIVE: {Campaign.Status.PREPARING, Campaign.Status.CLOSED},
    Campaign.Status.CLOSED: {Campaign.Status.ACTIVE},
}


def _validate(campaign: Campaign) -> None:
    errors: dict[str, list[str]] = {}
    if not campaign.title:
        errors["title"] = [_("请填写考核工作名称。")]
    elif Campaign.objects.filter(title=campaign.title).exclude(pk=campaign.pk).exists():
        errors["title"] = [_("已有名为“%(title)s”的考核工作。") % {"title": campaign.title}]
    if not (2000 <= (campaign.year or 0) <= 2100):
        errors["year"] = [_("考核年度应为 2000 至 2100 之间的年份。")]
    if campaign.period_start and campaign.period_end and campaign.period_end < campaign.period_start:
        errors["period_end"] = [_("结束日期不能早于开始日期。")]
    issuer = campaign.issuer_unit
    if issuer is not None and not issuer.is_active:
        errors["issuer_unit"] = [_("单位“%(unit)s”已停用，不能部署考核工作。") % {"unit": issuer.name}]
    elif issuer is not None and issuer.kind not in levels.ISSUER_KINDS:
        errors["issuer_unit"] = [levels.kinds_refusal(issuer.kind, [])]
    elif refusal := levels.kinds_refusal(
        issuer.kind if issuer is not None else None, campaign.target_kinds.split(levels.SEPARATOR)
    ):
        errors["target_kinds"] = [refusal]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_create(
    *,
    title: str,
    year: int,
    issuer: str = "",
    issuer_unit=None,
    target_kinds=None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    note: str = "",
) -> Campaign:
    """A new campaign in preparation, with the default sampling plan to start from.

    ``issuer_unit`` is the roster unit whose committee issues it (a city or a county);
    ``target_kinds`` the kinds of unit below it that are assessed (default: every kind the
    issuer may assess). ``issuer`` is its name in documents (default 市委, or 青山县委 for
    the county 青山县)."""
    kinds = _kinds(target_kinds) or levels.default_target_kinds(issuer_unit.kind if issuer_unit else None)
    campaign = Campaign(
        title=clean_text(title),
        year=year,
        issuer=clean_text(issuer) or default_issuer_text(issuer_unit),
        issuer_unit=issuer_unit,
        target_kinds=_join(kinds),
        period_start=period_start,
        period_end=period_end,
        note=note.strip(),
    )
    _validate(campaign)
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError:
        raise ValidationError({"title": [_("已有名为“%(title)s”的考核工作。") % {"title": campaign.title}]})
    SamplingPlan.objects.create(campaign=campaign)
    return campaign


def _kinds(value) -> list[str]:
    if isinstance(value, str):
        return [k for k in value.split(levels.SEPARATOR) if k]
    return [str(k) for k in value or []]


def _join(kinds: list[str]) -> str:
    """Known kinds in listing order; unknown ones kept (after them) for validation to name."""
    known = levels.join_kinds(kinds)
    unknown = [k for k in kinds if k not in levels.TARGET_KINDS]
    return levels.SEPARATOR.join([p for p in [known, *unknown] if p])


def default_issuer_text(unit) -> str:
    """How documents name the issuing committee: 市委 for a city (or no unit), 青山县委 for a county."""
    if unit is None or unit.kind == unit.Kind.CITY:
        return "市委"
    return f"{unit.name}委"


def _settings(campaign: Campaign) -> dict:
    """The settings as a county's 修改记录 shows them (the report takes its title, issuer and dates here)."""
    return {
        str(Campaign._meta.get_field(name).verbose_name): (
            value.isoformat() if hasattr(value, "isoformat") else value
        )
        for name in SETTINGS
        if (value := getattr(campaign, name)) not in (None, "")
    } | _level(campaign)


def _level(campaign: Campaign) -> dict:
    return {
        str(Campaign._meta.get_field("issuer_unit").verbose_name): (
            campaign.issuer_unit.name if campaign.issuer_unit_id else None
        ),
        str(Campaign._meta.get_field("target_kinds").verbose_name): campaign.target_kinds,
    }


SETTINGS = ("title", "year", "issuer", "period_start", "period_end", "note")
#: Who issues it and what it assesses: fixed once a target is assigned.
LEVEL = ("issuer_unit", "target_kinds")


def settings_refusal(campaign: Campaign) -> str | None:
    """Why the campaign's settings may not change now: they are in every county's report."""
    return locks.refusal(campaign=campaign, what=locks.SETTINGS)


@transaction.atomic
def campaign_update(*, campaign: Campaign, user=None, **fields) -> Campaign:
    """Change the campaign's settings: open only while every county is being filled in (the
    report of each shows them), and recorded in every county's 修改记录."""
    if unknown := set(fields) - set(SETTINGS) - set(LEVEL):
        raise TypeError(f"campaign_update() got unexpected fields: {sorted(unknown)}")
    stored = Campaign.objects.get(pk=campaign.pk)
    for key, value in fields.items():
        setattr(campaign, key, clean_text(value) if key in ("title", "issuer") else value)
    if "target_kinds" in fields or "issuer_unit" in fields:
        issuer = campaign.issuer_unit
        kinds = _kinds(fields.get("target_kinds", campaign.target_kinds))
        campaign.target_kinds = _join(kinds or levels.default_target_kinds(issuer.kind if issuer else None))
    if not campaign.issuer:
        campaign.issuer = default_issuer_text(campaign.issuer_unit)
    before, after = _settings(stored), _settings(campaign)
    if before == after:
        return campaign
    locks.require_open(campaign=campaign, what=locks.SETTINGS)
    if _level(stored) != _level(campaign) and Target.objects.filter(campaign=campaign).exists():
        raise ValidationError(
            {
                "target_kinds": [
                    _(
                        "已分配考核对象，不能再更改部署单位或考核对象类别。如确需更改，请先从各考核组中移除考核对象。"
                    )
                ]
            }
        )
    _validate(campaign)
    campaign.save()
    if user is not None:
        changed = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
        audit_each(
            Target.objects.filter(campaign=campaign),
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=campaign,
            before={k: before.get(k) for k in changed},
            after={k: after.get(k) for k in changed},
            title=_("考核工作设置"),
        )
    return campaign


@transaction.atomic
def campaign_set_status(*, campaign: Campaign, status: str) -> Campaign:
    if status == campaign.status:
        return campaign
    if status not in TRANSITIONS.get(campaign.status, set()):
        raise ValidationError(
            _("考核工作不能从“%(old)s”改为“%(new)s”。")
            % {"old": campaign.get_status_display(), "new": Campaign.Status(status).label}
        )
    if status == Campaign.Status.ACTIVE and not campaign.items.exists():
        raise ValidationError(_("请先导入或填写考核项目清单，再开始考核。"))
    campaign.status = status
    campaign.save(update_fields=["status", "updated_at"])
    return campaign


@transaction.atomic
def campaign_set_reviewers(*, campaign: Campaign, users) -> None:
    """Make exactly ``users`` the campaign's reviewers. A reviewer cannot also sit on one of its groups.
    Reviewers are not in any report: they may change until the campaign is closed."""
    users = list(users)
    current = set(CampaignReviewer.objects.filter(campaign=campaign).values_list("user_id", flat=True))
    if current == {u.pk for u in users}:
        return
    if Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.CLOSED).exists():
        raise locks.Locked(closed_message(str(_("审核人员"))))
    clashes = GroupMember.objects.filter(campaign=campaign, user__in=users).select_related("user", "group")
    if clashes:
        raise ValidationError(
            {
                "reviewers": [
                    _("%(user)s 已是“%(group)s”的成员，不能同时担任审核人员。")
                    % {"user": m.user, "group": m.group.name}
                    for m in clashes
                ]
            }
        )
    CampaignReviewer.objects.filter(campaign=campaign).exclude(user__in=users).delete()
    existing = set(CampaignReviewer.objects.filter(campaign=campaign).values_list("user_id", flat=True))
    model_audit.bulk_create(
        CampaignReviewer, [CampaignReviewer(campaign=campaign, user=u) for u in users if u.pk not in existing]
    )
