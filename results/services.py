"""综合评定's writes: the scheme, the bonus/penalty/veto records, the 述职评议 scores, grades set
by hand, and confirming or reopening the results. Each is atomic; each refuses with a Chinese
reason (ValidationError) and writes nothing when it refuses. The security audit trail records
every row written (accounts.model_audit); confirming and reopening also leave a ResultEvent."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Campaign, Target
from assessment.services.evidence import check_upload

from . import bulletin as bulletins
from . import selectors
from .domain import rules
from .models import Award, Band, Bulletin, Item, ManualGrade, MeetingScore, ResultEvent, Scheme


def _locked(scheme: Scheme) -> None:
    if scheme.is_confirmed:
        raise ValidationError(_("考核结果已确认，不能再修改；如需修改，请先“重新打开”并说明理由。"))


def _scheme_for_update(campaign: Campaign) -> Scheme:
    scheme = Scheme.objects.select_for_update().filter(campaign=campaign).first()
    if scheme is None:
        raise ValidationError(_("尚未制定考核办法。"))
    _locked(scheme)
    return scheme


def _check_target(campaign: Campaign, unit) -> None:
    if not Target.objects.filter(campaign=campaign, unit=unit).exists():
        raise ValidationError(_("“%(unit)s”不是本次考核的考核对象。") % {"unit": unit})


@transaction.atomic
def create_scheme(*, campaign: Campaign) -> Scheme:
    """The default scheme: 实地考核 60%, 述职评议 20%, 民主测评 20%, and the campaign's own grade
    thresholds (好 / 较好 / 一般 / 差), no quota, no items."""
    scheme, created = Scheme.objects.get_or_create(campaign=campaign)
    if created:
        minima = [
            campaign.grade_good_min,
            campaign.grade_fairly_good_min,
            campaign.grade_average_min,
            Decimal(0),
        ]
        for position, ((label, _default), minimum) in enumerate(
            zip(selectors.DEFAULT_BANDS, minima, strict=True)
        ):
            Band.objects.create(scheme=scheme, label=label, minimum=minimum, position=position)
    return scheme


def _validate(scheme: Scheme) -> None:
    errors = rules.scheme_errors(selectors.rule_scheme(scheme))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_scheme(
    *,
    campaign: Campaign,
    weight_field: Decimal,
    weight_meeting: Decimal,
    weight_ballot: Decimal,
    meeting_source: str,
    quota: Decimal | None,
    bands: list[tuple[str, Decimal]],
    name_units: bool = True,
    rectification_days: int = 30,
) -> Scheme:
    """The weights, the 述职评议 source, the quota and the grade bands (best first), as one."""
    scheme = _scheme_for_update(campaign)
    scheme.weight_field, scheme.weight_meeting, scheme.weight_ballot = (
        weight_field,
        weight_meeting,
        weight_ballot,
    )
    scheme.meeting_source, scheme.quota, scheme.name_units = meeting_source, quota, name_units
    scheme.rectification_days = rectification_days
    labels = [label for label, _minimum in bands]
    used = set(ManualGrade.objects.filter(campaign=campaign).values_list("grade", flat=True))
    if used - set(labels):
        raise ValidationError(
            _("等次“%(grades)s”已用于人工调整，请先撤销这些调整再改名或删除该等次。")
            % {"grades": "、".join(sorted(used - set(labels)))}
        )
    scheme.save()
    scheme.bands.all().delete()
    for position, (label, minimum) in enumerate(bands):
        Band.objects.create(scheme=scheme, label=label, minimum=minimum, position=position)
    scheme = selectors.scheme_of(campaign)
    _validate(scheme)
    return scheme


@transaction.atomic
def add_item(*, campaign: Campaign, kind: str, label: str, points, cap, veto_effect: str) -> Item:
    scheme = _scheme_for_update(campaign)
    label = label.strip()
    if not label:
        raise ValidationError(_("请填写项目名称。"))
    if scheme.items.filter(label=label).exists():
        raise ValidationError(_("已有名为“%(label)s”的项目。") % {"label": label})
    if kind == Item.Kind.VETO:
        if not veto_effect:
            raise ValidationError(_("一票否决项须选择否决后果。"))
        points = cap = None
    else:
        veto_effect = ""
        if points is None or points <= 0:
            raise ValidationError(_("加分项和减分项须填写大于0的每次分值。"))
        if cap is not None and cap < points:
            raise ValidationError(_("上限不能小于每次分值。"))
    position = scheme.items.count()
    return Item.objects.create(
        scheme=scheme,
        kind=kind,
        label=label,
        points=points,
        cap=cap,
        veto_effect=veto_effect,
        position=position,
    )


@transaction.atomic
def delete_item(*, item: Item) -> None:
    _scheme_for_update(item.scheme.campaign)
    if item.awards.exists():
        raise ValidationError(
            _("“%(label)s”已有%(count)d条登记记录，请先删除这些记录。")
            % {"label": item.label, "count": item.awards.count()}
        )
    item.delete()


@transaction.atomic
def add_award(*, campaign: Campaign, unit, item: Item, points, reason: str, evidence, actor) -> Award:
    scheme = _scheme_for_update(campaign)
    if item.scheme_id != scheme.pk:
        raise ValidationError(_("该项目不属于本次考核的考核办法。"))
    _check_target(campaign, unit)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("请填写事由：加减分和一票否决都要写明依据。"))
    if item.is_veto:
        points = None
    else:
        points = item.points if points is None else points
        if points <= 0:
            raise ValidationError(_("分值应大于0（减分项也填正数，系统按减分计）。"))
    if evidence:
        evidence.name = check_upload(evidence).name  # content-checked as the workspace's evidence is
    return Award.objects.create(
        campaign=campaign,
        unit=unit,
        item=item,
        points=points,
        reason=reason,
        evidence=evidence or "",
        created_by=actor,
    )


@transaction.atomic
def delete_award(*, award: Award) -> None:
    _scheme_for_update(award.campaign)
    award.delete()


@transaction.atomic
def set_meeting_scores(*, campaign: Campaign, scores: dict, actor) -> None:
    """Enter the units' 述职评议 scores (unit → score; None withdraws it), all or nothing."""
    _scheme_for_update(campaign)
    wrong = [str(unit) for unit, score in scores.items() if score is not None and not (0 <= score <= 100)]
    if wrong:
        raise ValidationError(_("述职评议得分应在0到100之间：%(units)s。") % {"units": "、".join(wrong)})
    for unit, score in scores.items():
        _check_target(campaign, unit)
        current = MeetingScore.objects.filter(campaign=campaign, unit=unit).first()
        if score is None:
            if current:
                current.delete()
        elif current is None:
            MeetingScore.objects.create(campaign=campaign, unit=unit, score=score, entered_by=actor)
        elif current.score != score:
            current.score, current.entered_by = score, actor
            current.save(update_fields=["score", "entered_by", "updated_at"])


@transaction.atomic
def set_manual_grade(*, campaign: Campaign, unit, grade: str, reason: str, actor) -> ManualGrade | None:
    """Set a unit's grade by hand (人工调整, a reason required); an empty grade withdraws it."""
    scheme = _scheme_for_update(campaign)
    _check_target(campaign, unit)
    if not grade:
        ManualGrade.objects.filter(campaign=campaign, unit=unit).delete()
        return None
    if grade not in {b.label for b in scheme.bands.all()}:
        raise ValidationError(_("“%(grade)s”不是考核办法中的等次。") % {"grade": grade})
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("人工调整等次必须写明理由。"))
    results = selectors.campaign_results(campaign)
    row = next(r for r in results.rows if r.target.unit_id == unit.pk)
    if row.result.score is None:
        raise ValidationError(_("“%(unit)s”的综合得分尚不确定，不能调整等次。") % {"unit": unit})
    entry, _created = ManualGrade.objects.update_or_create(
        campaign=campaign, unit=unit, defaults={"grade": grade, "reason": reason, "set_by": actor}
    )
    return entry


def unfinished(results: selectors.Results) -> list[str]:
    """Why the results cannot be confirmed yet, one line a unit (empty when they can)."""
    lines = []
    for row in results.rows:
        missing = [
            component.label
            for component in results.components
            if row.result.values[component.key].score is None or not row.result.values[component.key].final
        ]
        if missing:
            lines.append(
                _("%(unit)s：%(parts)s尚未最终确定")
                % {"unit": row.target.unit.name, "parts": "、".join(missing)}
            )
    return lines


@transaction.atomic
def confirm(*, campaign: Campaign, actor) -> Scheme:
    scheme = _scheme_for_update(campaign)
    results = selectors.campaign_results(campaign)
    if not results.rows:
        raise ValidationError(_("本次考核还没有考核对象。"))
    lines = unfinished(results)
    if lines:
        raise ValidationError([_("以下考核对象的结果尚未最终确定，不能确认：")] + lines)
    scheme.confirmed_at, scheme.confirmed_by = timezone.now(), actor
    scheme.save(update_fields=["confirmed_at", "confirmed_by"])
    ResultEvent.objects.create(campaign=campaign, action=ResultEvent.Action.CONFIRM, actor=actor)
    return scheme


@transaction.atomic
def reopen(*, campaign: Campaign, reason: str, actor) -> Scheme:
    scheme = Scheme.objects.select_for_update().filter(campaign=campaign).first()
    if scheme is None or not scheme.is_confirmed:
        raise ValidationError(_("考核结果尚未确认，无需重新打开。"))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("重新打开已确认的考核结果必须写明理由。"))
    scheme.confirmed_at = scheme.confirmed_by = None
    scheme.save(update_fields=["confirmed_at", "confirmed_by"])
    ResultEvent.objects.create(
        campaign=campaign, action=ResultEvent.Action.REOPEN, reason=reason, actor=actor
    )
    fixed = Bulletin.objects.filter(campaign=campaign, fixed_at__isnull=False).first()
    if fixed:  # a 通报 of results that may change is a draft again
        fixed.fixed_at = fixed.fixed_by = None
        fixed.save(update_fields=["fixed_at", "fixed_by", "updated_at"])
    return scheme


# --- the 通报 ------------------------------------------------------------------------------------


def _bulletin_unfixed(bulletin: Bulletin) -> None:
    if bulletin.fixed_at is not None:
        raise ValidationError(_("通报已定稿，不能再修改；如需修改，请先重新打开考核结果。"))


@transaction.atomic
def draft_bulletin(*, campaign: Campaign) -> Bulletin:
    """Write (or write again, replacing the text) the 通报 from the results as they stand."""
    results = selectors.campaign_results(campaign)
    if results is None:
        raise ValidationError(_("尚未制定考核办法，无法起草通报。"))
    current = Bulletin.objects.select_for_update().filter(campaign=campaign).first()
    if current is not None:
        _bulletin_unfixed(current)
    fields = {
        "title": bulletins.title_of(results),
        "body": bulletins.draft(results),
        "signature": bulletins.signature_of(results),
        "date": timezone.localdate(),
    }
    if current is None:
        return Bulletin.objects.create(campaign=campaign, **fields)
    for name, value in fields.items():
        setattr(current, name, value)
    current.save()
    return current


@transaction.atomic
def save_bulletin(*, bulletin: Bulletin, title: str, body: str, signature: str, date) -> Bulletin:
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    _bulletin_unfixed(bulletin)
    if not body.strip():
        raise ValidationError(_("通报正文不能为空。"))
    bulletin.title, bulletin.body, bulletin.signature, bulletin.date = (
        title.strip(),
        body,
        signature.strip(),
        date,
    )
    bulletin.save()
    return bulletin


@transaction.atomic
def fix_bulletin(*, bulletin: Bulletin, actor) -> Bulletin:
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    _bulletin_unfixed(bulletin)
    if not Scheme.objects.filter(campaign=bulletin.campaign, confirmed_at__isnull=False).exists():
        raise ValidationError(_("考核结果确认后才能将通报定稿。"))
    bulletin.fixed_at, bulletin.fixed_by = timezone.now(), actor
    bulletin.save(update_fields=["fixed_at", "fixed_by", "updated_at"])
    return bulletin
