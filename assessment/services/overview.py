"""Writes to a target's own texts: the 工作情况 narrative, typical examples and recommendations.

Same guarantees as assessment.services.findings: workflow lock, version check,
audit record, one transaction.
"""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import limits
from units.models import Unit

from ..models import AuditEntry, Recommendation, Target, TypicalExample
from .editing import (
    LATEST,
    EditConflict,
    RecordGone,
    audit,
    bump,
    check_version,
    lock_editable,
    locked_record,
    missing_version,
    snapshot,
)
from .findings import _check_unit, _next_position, _text, move

Action = AuditEntry.Action


@transaction.atomic
def narrative_save(*, target: Target, narrative: str, version: int | None, user) -> Target:
    target = lock_editable(target)
    narrative = _text(
        narrative, field="narrative", label=_("工作情况"), required=False, max_length=limits.NARRATIVE
    )
    if version is None:
        raise missing_version()
    if version is not LATEST and target.narrative_version != version:  # the narrative has its own counter
        raise EditConflict(
            current=target,
            mine={"narrative": narrative},
            by=target.narrative_updated_by,
            at=target.narrative_updated_at,
        )
    if narrative == target.narrative:
        return target
    before = snapshot(target)
    target.narrative = narrative
    target.narrative_version += 1
    target.narrative_updated_by = user
    target.narrative_updated_at = timezone.now()
    target.save(
        update_fields=["narrative", "narrative_version", "narrative_updated_by", "narrative_updated_at"]
    )
    audit(target=target, user=user, action=Action.UPDATE, obj=target, before=before, after=snapshot(target))
    return target


# --- typical examples -------------------------------------------------------------------------


def _clean_example(target: Target, title: str, body: str, unit: Unit | None) -> dict:
    _check_unit(target, unit)
    return {
        "title": _text(title, field="title", label=_("典型标题"))[:200],
        "body": _text(body, field="body", label=_("内容"), required=False),
        "unit": unit,
    }


@transaction.atomic
def example_create(
    *, target: Target, title: str, body: str, unit: Unit | None = None, user
) -> TypicalExample:
    target = lock_editable(target)
    example = TypicalExample.objects.create(
        target=target,
        position=_next_position(TypicalExample.objects.filter(target=target)),
        updated_by=user,
        **_clean_example(target, title, body, unit),
    )
    audit(target=target, user=user, action=Action.CREATE, obj=example, before=None, after=snapshot(example))
    return example


@transaction.atomic
def example_update(
    *, example: TypicalExample, version: int | None, title: str, body: str, unit: Unit | None = None, user
) -> TypicalExample:
    target = lock_editable(example.target)
    example = locked_record(TypicalExample.objects.select_related("unit", "updated_by"), example.pk)
    check_version(example, version, {"title": title, "body": body, "unit": unit})
    cleaned = _clean_example(target, title, body, unit)
    before = snapshot(example)
    for key, value in cleaned.items():
        setattr(example, key, value)
    bump(example, user)
    example.save()
    audit(target=target, user=user, action=Action.UPDATE, obj=example, before=before, after=snapshot(example))
    return example


@transaction.atomic
def example_delete(*, example: TypicalExample, version: int | None, user) -> None:
    target = lock_editable(example.target)
    try:
        example = locked_record(TypicalExample.objects.select_related("unit", "updated_by"), example.pk)
    except RecordGone:
        return  # deleted meanwhile (a double click): what was asked is done
    check_version(example, version, {})
    audit(target=target, user=user, action=Action.DELETE, obj=example, before=snapshot(example), after=None)
    example.delete()


@transaction.atomic
def example_move(*, example: TypicalExample, up: bool, version: int | None, user) -> None:
    target = lock_editable(example.target)
    move(
        queryset=TypicalExample.objects.filter(target=target).select_related("unit"),
        obj=example,
        up=up,
        version=version,
        target=target,
        user=user,
    )


# --- recommendations ---------------------------------------------------------------------------


_ORDINAL = re.compile(r"^[一二三四五六七八九十]+是[，、,\s]*")


def _strip_ordinal(text: str) -> str:
    """ "一是进一步…" → "进一步…": the report numbers recommendations itself."""
    return _ORDINAL.sub("", (text or "").strip())


def _clean_recommendation(headline: str, body: str) -> dict:
    headline = _text(_strip_ordinal(headline), field="headline", label=_("建议"))
    return {"headline": headline[:100], "body": _text(body, field="body", label=_("内容"), required=False)}


@transaction.atomic
def recommendation_create(*, target: Target, headline: str, body: str, user) -> Recommendation:
    target = lock_editable(target)
    recommendation = Recommendation.objects.create(
        target=target,
        position=_next_position(Recommendation.objects.filter(target=target)),
        updated_by=user,
        **_clean_recommendation(headline, body),
    )
    audit(
        target=target,
        user=user,
        action=Action.CREATE,
        obj=recommendation,
        before=None,
        after=snapshot(recommendation),
    )
    return recommendation


@transaction.atomic
def recommendation_update(
    *, recommendation: Recommendation, version: int | None, headline: str, body: str, user
) -> Recommendation:
    target = lock_editable(recommendation.target)
    recommendation = locked_record(Recommendation.objects.select_related("updated_by"), recommendation.pk)
    check_version(recommendation, version, {"headline": headline, "body": body})
    cleaned = _clean_recommendation(headline, body)
    before = snapshot(recommendation)
    recommendation.headline, recommendation.body = cleaned["headline"], cleaned["body"]
    bump(recommendation, user)
    recommendation.save()
    audit(
        target=target,
        user=user,
        action=Action.UPDATE,
        obj=recommendation,
        before=before,
        after=snapshot(recommendation),
    )
    return recommendation


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, version: int | None, user) -> None:
    target = lock_editable(recommendation.target)
    try:
        recommendation = locked_record(Recommendation.objects.select_related("updated_by"), recommendation.pk)
    except RecordGone:
        return  # deleted meanwhile (a double click): what was asked is done
    check_version(recommendation, version, {})
    audit(
        target=target,
        user=user,
        action=Action.DELETE,
        obj=recommendation,
        before=snapshot(recommendation),
        after=None,
    )
    recommendation.delete()


@transaction.atomic
def recommendation_move(*, recommendation: Recommendation, up: bool, version: int | None, user) -> None:
    target = lock_editable(recommendation.target)
    move(
        queryset=Recommendation.objects.filter(target=target),
        obj=recommendation,
        up=up,
        version=version,
        target=target,
        user=user,
    )
