"""The sample of a target: plans, draws, hand-picked units. The database side of
``assessment.domain.sampling`` (which holds the draw itself and documents the algorithm).

Rules:

* The effective plan of a target is its override, else the campaign's default
  plan, else the plan's field defaults (6/3/4/3/1).
* A draw is saved as a new ``SampleDraw``; the latest is the current sample and
  earlier ones stay as the record. A dry run (preview) draws without saving and is
  always allowed.
* Once a finding (a Deduction or Problem of the target) references a unit of the
  current sample, the sample is locked: only an administrator may redraw, and must
  give a reason, which is stored on the new draw.
* Units added by hand (专项抽查, a targeted check on a lead) need a reason and a
  current draw to join: with no draw yet they are refused ("请先抽取样本"), so every
  sample starts from a public draw. A redraw carries them over (they were a
  deliberate choice, not chance) unless the unit is no longer an active unit of the
  county, or the new draw picked it at random anyway.
* Who may set plans, draw or add units is the caller's (view's) business, through
  ``assessment.permissions``; the services only enforce the lock above.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from accounts import model_audit
from units.models import Unit

from ..domain import levels, sampling
from ..models import (
    AuditEntry,
    Campaign,
    Deduction,
    Problem,
    SampleDraw,
    SampledUnit,
    SamplingPlan,
    Stratum,
    Target,
)
from ..permissions import is_admin
from . import locks
from .editing import audit, audit_each

Action = AuditEntry.Action

MAX_COUNT = 200
MAX_SEED = 2**63 - 1  # SampleDraw.seed is a BigIntegerField

#: The plan used when neither the target nor the campaign has one: the model's defaults.
DEFAULT_COUNTS: dict[str, int] = {
    name: SamplingPlan._meta.get_field(name).default for name in SamplingPlan.COUNT_FIELDS
}

Kind = Unit.Kind


# --- plans ------------------------------------------------------------------------


def _plan_targets(campaign: Campaign, target: Target | None):
    """The counties a plan applies to: the target of an override, else every county without one."""
    if target is not None:
        return Target.objects.filter(pk=target.pk)
    return Target.objects.filter(campaign=campaign, sampling_plan__isnull=True)


def plan_refusal(campaign: Campaign, target: Target | None = None) -> str | None:
    """Why the plan (the campaign's default, or ``target``'s override) may not change now, or None."""
    return locks.refusal(campaign=campaign, targets=_plan_targets(campaign, target), what=locks.PLAN)


def sample_refusal(target: Target) -> str | None:
    """Why the target's sample (draws, hand-picked units) may not change now, or None."""
    return locks.refusal(campaign=target.campaign_id, targets=[target], what=locks.SAMPLE)


def effective_plan(target: Target) -> dict[str, int]:
    """The counts a draw of ``target`` uses: its override, else the campaign default,
    else the field defaults. One query."""
    plans = {
        plan.target_id: plan
        for plan in SamplingPlan.objects.filter(
            Q(target=target) | Q(target__isnull=True), campaign_id=target.campaign_id
        )
    }
    plan = plans.get(target.pk) or plans.get(None)
    return plan.counts() if plan is not None else dict(DEFAULT_COUNTS)


def plan_labels(kind: str) -> list[tuple[str, str]]:
    """The plan's count fields that apply to a target of ``kind``, each with how its page names
    it: 每个乡镇的村（社区） for a county, 村（社区） for a township itself."""
    own = {
        "villages_per_township": Stratum.VILLAGE.label,
        "stations_per_township": Stratum.TOWNSHIP_STATION.label,
    }
    return [
        (
            name,
            str(own[name] if kind == Kind.TOWNSHIP else SamplingPlan._meta.get_field(name).verbose_name),
        )
        for name in levels.PLAN_FIELDS_OF_KIND.get(kind, ())
    ]


def _clean_counts(counts: dict) -> dict[str, int]:
    if not isinstance(counts, dict):
        raise ValidationError(_("抽查方案格式不正确。"))
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(counts) - set(SamplingPlan.COUNT_FIELDS))
    if unknown:
        errors["__all__"] = [_("未知的抽查类别：%(names)s。") % {"names": "、".join(map(str, unknown))}]
    cleaned = {}
    for name in SamplingPlan.COUNT_FIELDS:
        if name not in counts:
            continue
        value = counts[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
            label = SamplingPlan._meta.get_field(name).verbose_name
            errors[name] = [
                _("“%(label)s”的数量须为0至%(max)s之间的整数。") % {"label": label, "max": MAX_COUNT}
            ]
        else:
            cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def sampling_plan_set(
    *, campaign: Campaign, target: Target | None = None, counts: dict, user
) -> SamplingPlan:
    """Set the campaign's default plan (``target`` None) or one target's override.

    ``counts`` maps count fields (``SamplingPlan.COUNT_FIELDS``) to integers 0..200;
    fields left out keep their value, or for a new plan start from the plan it
    replaces (a new override starts from the campaign's effective default). Saved
    draws keep the counts they were drawn with.
    """
    if target is not None and target.campaign_id != campaign.pk:
        raise ValidationError(_("该考核对象不属于这项考核工作。"))
    affected = _plan_targets(campaign, target)
    locks.require_open(campaign=campaign, targets=affected, what=locks.PLAN)
    affected = list(affected.select_related("unit"))
    cleaned = _clean_counts(counts)
    if target is None:
        base = dict(DEFAULT_COUNTS)
    else:
        default = SamplingPlan.objects.filter(campaign=campaign, target__isnull=True).first()
        base = default.counts() if default is not None else dict(DEFAULT_COUNTS)
    created = False
    try:
        with transaction.atomic():
            plan, created = SamplingPlan.objects.select_for_update().get_or_create(
                campaign=campaign, target=target, defaults=base
            )
    except IntegrityError:  # lost a race to create the same plan
        plan = SamplingPlan.objects.select_for_update().get(campaign=campaign, target=target)
    # A new override replaces the default it started from.
    before = (SamplingPlan(campaign=campaign, **base) if created else plan).audit_snapshot()
    for name, value in cleaned.items():
        setattr(plan, name, value)
    if not created and plan.audit_snapshot() == before:
        return plan  # nothing changed: nothing to record
    plan.save()
    audit_each(
        targets=affected,
        user=user,
        action=Action.CREATE if created else Action.UPDATE,
        obj=plan,
        before=before,
        after=plan.audit_snapshot(),
    )
    return plan


@transaction.atomic
def sampling_plan_reset(*, target: Target, user) -> None:
    """Drop the target's own plan: its next draw uses the campaign's default again."""
    locks.require_open(campaign=target.campaign_id, targets=[target], what=locks.PLAN)
    plan = SamplingPlan.objects.select_for_update().filter(target=target).first()
    if plan is None:
        return
    before = plan.audit_snapshot()
    audit(target=target, user=user, action=Action.DELETE, obj=plan, before=before, after=None)
    plan.delete()


# --- reading the sample ---------------------------------------------------------------


def current_draw(target: Target) -> SampleDraw | None:
    """The target's latest draw (its current sample), or None."""
    return SampleDraw.objects.filter(target=target).order_by("-drawn_at", "-pk").first()


def _referenced(target_id: int, unit_ids) -> bool:
    """Whether a Deduction or Problem of the target names one of ``unit_ids`` (a list or a subquery)."""
    return (
        Deduction.objects.filter(target_id=target_id, unit__in=unit_ids).exists()
        or Problem.objects.filter(target_id=target_id, unit__in=unit_ids).exists()
    )


def sample_is_locked(target: Target) -> bool:
    """Whether a finding of the target references a unit of its current sample."""
    draw = current_draw(target)
    if draw is None:
        return False
    return _referenced(target.pk, SampledUnit.objects.filter(draw=draw).values("unit_id"))


def sampling_sentence(draw: SampleDraw | None) -> str:
    """The report's work-overview sentence from a saved draw, e.g.
    考核组抽查了6个县直机关单位、3个县直事业单位、4个乡镇，每个乡镇抽查3个村、1个机关事业单位。
    One query; "" for no draw or an empty one."""
    if draw is None:
        return ""
    rows = list(
        SampledUnit.objects.filter(draw=draw)
        .order_by("position")
        .values_list("stratum", "unit_id", "township_id")
    )
    townships = [unit_id for stratum, unit_id, _t in rows if stratum == Stratum.TOWNSHIP]

    def own(stratum: str) -> int:  # a township target's own villages and stations
        return sum(
            1 for row_stratum, _u, township_id in rows if row_stratum == stratum and township_id is None
        )

    def per_township(stratum: str) -> list[int]:
        counts = dict.fromkeys(townships, 0)
        for row_stratum, _u, township_id in rows:
            if row_stratum == stratum and township_id in counts:
                counts[township_id] += 1
        return list(counts.values())

    def count(stratum: str) -> int:
        return sum(1 for row in rows if row[0] == stratum)

    return sampling.sentence_text(
        county_organs=count(Stratum.COUNTY_ORGAN),
        county_institutions=count(Stratum.COUNTY_INSTITUTION),
        townships=len(townships),
        villages=per_township(Stratum.VILLAGE),
        stations=per_township(Stratum.TOWNSHIP_STATION),
        own_villages=own(Stratum.VILLAGE),
        own_stations=own(Stratum.TOWNSHIP_STATION),
        manual=count(Stratum.MANUAL),
    )


def target_sentence(target: Target) -> str:
    """What the report says the group checked: the sampling sentence of the current draw, or for a
    target with no sample (a county organ) that it was checked itself."""
    draw = current_draw(target)
    if not target.is_sampled:
        manual = SampledUnit.objects.filter(draw=draw, stratum=Stratum.MANUAL).count() if draw else 0
        return levels.unsampled_sentence(target.unit.name, manual=manual)
    return sampling_sentence(draw)


# --- drawing ------------------------------------------------------------------------


@dataclass
class DrawResult:
    """A draw of one target: the random part (``outcome``), the hand-picked units carried
    over, and the saved ``SampleDraw`` (None on a dry run)."""

    target: Target
    county: Unit
    outcome: sampling.Draw
    manual: list[SampledUnit] = field(default_factory=list)
    #: Hand-picked units of the previous sample not carried over: no longer active in the county.
    manual_dropped: list[SampledUnit] = field(default_factory=list)
    draw: SampleDraw | None = None
    #: The previous sample was locked (a finding referenced it); an admin redrew it.
    was_locked: bool = False
    reason: str = ""
    #: Unit id → its path of names below the county, for every active unit of the county.
    paths: dict[int, str] = field(default_factory=dict, repr=False)

    @property
    def dry_run(self) -> bool:
        return self.draw is None

    @property
    def seed(self) -> int:
        return self.outcome.seed

    @property
    def plan(self) -> dict[str, int]:
        return self.outcome.counts

    @property
    def shortfalls(self) -> list[dict]:
        return self.outcome.shortfalls

    def shortfall_messages(self) -> list[str]:
        return self.outcome.shortfall_messages()

    def sentence(self) -> str:
        return self.outcome.sentence(manual=len(self.manual))

    def path(self, unit: Unit) -> str:
        return self.paths.get(unit.pk, unit.name)

    def names_by_stratum(self) -> dict[str, list[str]]:
        """Stratum label → unit names in draw order; villages and stations as
        "城关镇/新村". Every random stratum is listed (empty ones too); 专项抽查 only
        when there are hand-picked units, as their path below the county."""
        names = {
            sampling.stratum_label(stratum): [pick.key if pick.township else pick.name for pick in picks]
            for stratum, picks in self.outcome.by_stratum().items()
        }
        if self.manual:
            names[sampling.stratum_label(Stratum.MANUAL)] = [self.path(s.unit) for s in self.manual]
        return names


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValidationError(_("随机种子须为0至%(max)s之间的整数。") % {"max": MAX_SEED})
    return seed


def _candidates(target: Unit, units: list[Unit]) -> dict:
    """The compute_draw() arguments for a target, from its active subtree: a county's organs,
    institutions and townships (with each township's villages and stations); a township's own
    villages and stations."""
    by_parent: dict[int, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    direct = by_parent.get(target.pk, [])

    def of_kind(kind: str) -> list[sampling.Candidate]:
        return [sampling.Candidate(name=u.name, key=u.name, ref=u) for u in direct if u.kind == kind]

    if target.kind == Kind.TOWNSHIP:
        return {"own_villages": of_kind(Kind.VILLAGE), "own_stations": of_kind(Kind.TOWNSHIP_STATION)}
    townships = [u for u in direct if u.kind == Kind.TOWNSHIP]
    villages: dict[str, list[sampling.Candidate]] = {}
    stations: dict[str, list[sampling.Candidate]] = {}
    for town in townships:
        for child in by_parent.get(town.pk, []):
            candidate = sampling.Candidate(
                name=child.name, key=f"{town.name}{sampling.KEY_SEPARATOR}{child.name}", ref=child
            )
            if child.kind == Kind.VILLAGE:
                villages.setdefault(town.name, []).append(candidate)
            elif child.kind == Kind.TOWNSHIP_STATION:
                stations.setdefault(town.name, []).append(candidate)
    return {
        "county_organs": of_kind(Kind.COUNTY_ORGAN),
        "county_institutions": of_kind(Kind.COUNTY_INSTITUTION),
        "townships": of_kind(Kind.TOWNSHIP),
        "villages": villages,
        "stations": stations,
    }


def _paths(county: Unit, units: list[Unit]) -> dict[int, str]:
    """Unit id → names below the county joined by "/" (a unit under an inactive,
    hence unloaded, ancestor falls back to the names that are known)."""
    names = {u.pk: u.name for u in units}
    paths = {}
    for unit in units:
        below = unit.ancestry[len(county.descendant_prefix) :]
        parts = [names[int(i)] for i in below.strip("/").split("/") if i and int(i) in names]
        paths[unit.pk] = sampling.KEY_SEPARATOR.join([*parts, unit.name])
    return paths


def unsampled_refusal(unit: Unit) -> str:
    """Why no sample is drawn below a target of this kind (a county organ is checked itself), or ""."""
    if levels.is_sampled(unit.kind):
        return ""
    return _("%(unit)s是%(kind)s，不抽查下属单位，考核组直接检查其本级党建工作。") % {
        "unit": unit.name,
        "kind": unit.get_kind_display(),
    }


def sample_draw(*, target: Target, seed: int, user, reason: str = "", dry_run: bool = False) -> DrawResult:
    """Draw the target's sample with ``seed``; unless ``dry_run``, save it as the new current sample.

    A fixed number of queries whatever the county's size. A locked sample (see
    ``sample_is_locked``) may be redrawn only by an administrator with a reason.
    """
    seed = _check_seed(seed)
    reason = (reason or "").strip()
    if dry_run:
        return _draw(target=target, seed=seed, user=user, reason=reason, save=False)
    with transaction.atomic():
        return _draw(target=target, seed=seed, user=user, reason=reason, save=True)


def _draw(*, target: Target, seed: int, user, reason: str, save: bool) -> DrawResult:
    targets = Target.objects.select_related("unit")
    if save:  # one draw of a target at a time
        targets = targets.select_for_update(of=("self",))
    target = targets.get(pk=target.pk)
    if save:
        locks.require_open(campaign=target.campaign_id, targets=[target], what=locks.SAMPLE)
    county = target.unit
    if refusal := unsampled_refusal(county):
        raise ValidationError(refusal)
    applies = levels.PLAN_FIELDS_OF_KIND[county.kind]  # a township has no 县直机关 to draw
    counts = {name: n if name in applies else 0 for name, n in effective_plan(target).items()}
    previous = current_draw(target)
    previous_units = (
        list(SampledUnit.objects.filter(draw=previous).select_related("unit").order_by("position"))
        if previous is not None
        else []
    )

    was_locked = False
    if save and previous_units:
        was_locked = _referenced(target.pk, [s.unit_id for s in previous_units])
        if was_locked and not (is_admin(user) and reason):
            raise ValidationError(_("已有考核记录引用了抽查单位，只有系统管理员可以重新抽取，并须说明原因。"))

    units = list(
        Unit.objects.filter(ancestry__startswith=county.descendant_prefix, is_active=True).only(
            "id", "name", "kind", "parent_id", "ancestry", "is_active"
        )
    )
    outcome = sampling.compute_draw(
        county=county.name, seed=seed, counts=counts, **_candidates(county, units)
    )
    picks = outcome.picks()
    drawn_ids = {pick.ref.pk for pick in picks}
    active = {u.pk: u for u in units}

    manual: list[SampledUnit] = []
    dropped: list[SampledUnit] = []
    for old in previous_units:
        if old.stratum != Stratum.MANUAL or old.unit_id in drawn_ids:
            continue
        if old.unit_id not in active:
            dropped.append(old)
            continue
        manual.append(
            SampledUnit(
                unit=active[old.unit_id],
                stratum=Stratum.MANUAL,
                township_id=old.township_id,
                reason=old.reason,
                added_by_id=old.added_by_id,
            )
        )

    result = DrawResult(
        target=target,
        county=county,
        outcome=outcome,
        manual=manual,
        manual_dropped=dropped,
        was_locked=was_locked,
        reason=reason,
        paths=_paths(county, units),
    )
    if not save:
        return result

    draw = SampleDraw.objects.create(
        target=target, seed=seed, plan=counts, shortfalls=outcome.shortfalls, drawn_by=user, reason=reason
    )
    rows = [
        SampledUnit(
            draw=draw,
            unit=pick.ref,
            stratum=pick.stratum,
            township=pick.township.ref if pick.township else None,
        )
        for pick in picks
    ]
    for sampled in manual:
        sampled.draw = draw
    rows.extend(manual)
    for position, sampled in enumerate(rows):
        sampled.position = position
    model_audit.bulk_create(SampledUnit, rows)
    audit(
        target=target,
        user=user,
        action=Action.CREATE,
        obj=draw,
        before=_draw_snapshot(previous, previous_units) if previous is not None else None,
        after=_draw_snapshot(draw, rows),
    )
    result.draw = draw
    return result


def _draw_snapshot(draw: SampleDraw, rows: list[SampledUnit]) -> dict:
    """A draw as the 修改记录 shows it, from its rows in hand (without a query for its units)."""
    return {
        "随机种子": str(draw.seed),
        "抽查单位": "、".join(row.unit.name for row in rows),
        "原因": draw.reason or None,
    }


# --- hand-picked units ------------------------------------------------------------------


@transaction.atomic
def sample_add_manual(*, target: Target, unit: Unit, reason: str, user) -> SampledUnit:
    """Add a unit to the current sample by hand (专项抽查), with the reason. Refused
    when the target has no draw yet: a sample starts from a public draw."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请说明专项抽查的原因。")]})
    target = Target.objects.select_for_update(of=("self",)).select_related("unit").get(pk=target.pk)
    locks.require_open(campaign=target.campaign_id, targets=[target], what=locks.SAMPLE)
    draw = current_draw(target)
    if draw is None:
        raise ValidationError(_("请先抽取样本，再添加专项抽查单位。"))
    unit = Unit.objects.get(pk=unit.pk)  # the stored path, not a possibly stale copy
    county = target.unit
    if not unit.ancestry.startswith(county.descendant_prefix):
        raise ValidationError(
            {"unit": [_("“%(unit)s”不是%(county)s的下属单位。") % {"unit": unit.name, "county": county.name}]}
        )
    if not unit.is_active:
        raise ValidationError({"unit": [_("单位“%(unit)s”已停用。") % {"unit": unit.name}]})
    taken = draw.units.aggregate(last=Max("position"), has=Max("pk", filter=Q(unit=unit)))
    if taken["has"] is not None:
        raise ValidationError({"unit": [_("“%(unit)s”已在本次抽查名单中。") % {"unit": unit.name}]})
    position = 0 if taken["last"] is None else taken["last"] + 1
    try:
        with transaction.atomic():
            sampled = SampledUnit.objects.create(
                draw=draw, unit=unit, stratum=Stratum.MANUAL, position=position, reason=reason, added_by=user
            )
    except IntegrityError:
        raise ValidationError({"unit": [_("“%(unit)s”已在本次抽查名单中。") % {"unit": unit.name}]}) from None
    audit(
        target=target,
        user=user,
        action=Action.CREATE,
        obj=sampled,
        before=None,
        after=sampled.audit_snapshot(),
    )
    return sampled


@transaction.atomic
def sample_remove_manual(*, sampled_unit: SampledUnit, user) -> None:
    """Take a hand-picked unit out of the current sample; refused once a finding references it."""
    sampled_unit = SampledUnit.objects.select_related("draw", "unit").get(pk=sampled_unit.pk)
    if sampled_unit.stratum != Stratum.MANUAL:
        raise ValidationError(_("随机抽取的单位不能移除，只能移除专项抽查单位。"))
    draw = sampled_unit.draw
    target = Target.objects.select_for_update(of=("self",)).get(pk=draw.target_id)
    locks.require_open(campaign=target.campaign_id, targets=[target], what=locks.SAMPLE)
    current = current_draw(target)
    if current is None or current.pk != draw.pk:
        raise ValidationError(_("这是以前的抽查结果，不能修改。"))
    if _referenced(target.pk, [sampled_unit.unit_id]):
        raise ValidationError(
            _("已有考核记录引用了“%(unit)s”，不能移除。") % {"unit": sampled_unit.unit.name}
        )
    audit(
        target=target,
        user=user,
        action=Action.DELETE,
        obj=sampled_unit,
        before=sampled_unit.audit_snapshot(),
        after=None,
    )
    sampled_unit.delete()
