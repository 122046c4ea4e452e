"""Writes to a target's own texts: the 工作情况 narrative, typical examples and recommendations.

Same guarantees as assessment.services.findings: workflow lock, version check,
audit record, one transaction; examples and recommendations are written with the
skeleton of services.editing.
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
    audit,
    check_unit,
    lock_editable,
    missing_version,
    next_position,
    parse_text,
    record_create,
    record_delete,
    record_move,
    record_update,
)

Action = AuditEntry.Action


@transaction.atomic
def narrative_save(*, target: Target, narrative: str, version: int | None, user) -> Target:
    target = lock_editable(target)
    narrative = parse_text(
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
    before = target.audit_snapshot()
    target.narrative = narrative
    target.narrative_version += 1
    target.narrative_updated_by = user
    target.narrative_updated_at = timezone.now()
    target.save(
        update_fields=["narrative", "narrative_version", "narrative_updated_by", "narrative_updated_at"]
    )
    audit(
        target=target,
        user=user,
        action=Action.UPDATE,
        obj=target,
        before=before,
        after=target.audit_snapshot(),
    )
    return target


# --- typical examples -------------------------------------------------------------------------


def _clean_example(target: Target, title: str, body: str, unit: Unit | None) -> dict:
    check_unit(target, unit)
    return {
        "title": parse_text(title, field="title", label=_("典型标题"))[:200],
        "body": parse_text(body, field="body", label=_("内容"), required=False),
        "unit": unit,
    }


def example_create(
    *, target: Target, title: str, body: str, unit: Unit | None = None, user
) -> TypicalExample:
    def create(target: Target) -> TypicalExample:
        return TypicalExample.objects.create(
            target=target,
            position=next_position(TypicalExample.objects.filter(target=target)),
            updated_by=user,
            **_clean_example(target, title, body, unit),
        )

    return record_create(target=target, user=user, create=create)


def _examples():
    return TypicalExample.objects.select_related("unit", "updated_by")


def example_update(
    *, example: TypicalExample, version: int | None, title: str, body: str, unit: Unit | None = None, user
) -> TypicalExample:
    return record_update(
        _examples(),
        example,
        target=example.target,
        version=version,
        user=user,
        mine={"title": title, "body": body, "unit": unit},
        clean=lambda target, _example: _clean_example(target, title, body, unit),
    )


def example_delete(*, example: TypicalExample, version: int | None, user) -> None:
    record_delete(_examples(), example, target=example.target, version=version, user=user)


def example_move(*, example: TypicalExample, up: bool, version: int | None, user) -> None:
    siblings = TypicalExample.objects.filter(target_id=example.target_id).select_related("unit")
    record_move(siblings, example, target=example.target, up=up, version=version, user=user)


# --- recommendations ---------------------------------------------------------------------------


_ORDINAL = re.compile(r"^[一二三四五六七八九十]+是[，、,\s]*")


def _strip_ordinal(text: str) -> str:
    """ "一是进一步…" → "进一步…": the report numbers recommendations itself."""
    return _ORDINAL.sub("", (text or "").strip())


def _clean_recommendation(headline: str, body: str) -> dict:
    headline = parse_text(_strip_ordinal(headline), field="headline", label=_("建议"))
    return {
        "headline": headline[:100],
        "body": parse_text(body, field="body", label=_("内容"), required=False),
    }


def recommendation_create(*, target: Target, headline: str, body: str, user) -> Recommendation:
    def create(target: Target) -> Recommendation:
        return Recommendation.objects.create(
            target=target,
            position=next_position(Recommendation.objects.filter(target=target)),
            updated_by=user,
            **_clean_recommendation(headline, body),
        )

    return record_create(target=target, user=user, create=create)


def _recommendations():
    return Recommendation.objects.select_related("updated_by")


def recommendation_update(
    *, recommendation: Recommendation, version: int | None, headline: str, body: str, user
) -> Recommendation:
    return record_update(
        _recommendations(),
        recommendation,
        target=recommendation.target,
        version=version,
        user=user,
        mine={"headline": headline, "body": body},
        clean=lambda _target, _recommendation: _clean_recommendation(headline, body),
    )


def recommendation_delete(*, recommendation: Recommendation, version: int | None, user) -> None:
    record_delete(
        _recommendations(), recommendation, target=recommendation.target, version=version, user=user
    )


def recommendation_move(*, recommendation: Recommendation, up: bool, version: int | None, user) -> None:
    siblings = Recommendation.objects.filter(target_id=recommendation.target_id)
    record_move(siblings, recommendation, target=recommendation.target, up=up, version=version, user=user)
