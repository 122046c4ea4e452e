"""What the assessed unit's pages read."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from assessment.extensions import HomePanel
from assessment.models import Target
from assessment.selectors.workspace import item_states, target_total

from .models import FeedbackRound, Liaison, UnitFile
from .permissions import liaison_roles
from .services import FeedbackLine, feedback_lines, feedback_lines_of, files_refusal, round_refusal


@dataclass
class UnitPart:
    """One liaison's unit in one campaign: what the unit page and 我的考核 show."""

    liaison: Liaison
    target: Target | None
    files: list[UnitFile]
    files_refusal: str
    feedback: FeedbackRound | None
    lines: list[FeedbackLine] = field(default_factory=list)
    refusal: str = ""  # why the feedback cannot be written now

    @property
    def shows_findings(self) -> bool:
        """The findings are the unit's to see once approved, never while being filled in."""
        return self.target is not None and self.target.status in (
            Target.Status.APPROVED,
            Target.Status.FINALIZED,
        )

    @property
    def answered(self) -> int:
        return sum(1 for line in self.lines if line.answer is not None)

    @property
    def objections(self) -> int:
        return sum(1 for line in self.lines if line.answer is not None and not line.answer.agrees)


def unit_part(liaison: Liaison, *, with_lines: bool = True) -> UnitPart:
    campaign, unit = liaison.campaign, liaison.unit
    target = (
        Target.objects.filter(campaign=campaign, unit=unit)
        .select_related("campaign", "unit", "group")
        .first()
    )
    feedback = FeedbackRound.objects.filter(target=target).first() if target is not None else None
    part = UnitPart(
        liaison=liaison,
        target=target,
        files=list(
            UnitFile.objects.filter(campaign=campaign, unit=unit, answer__isnull=True).select_related(
                "uploaded_by"
            )
        ),
        files_refusal=files_refusal(campaign, unit),
        feedback=feedback,
    )
    if with_lines and part.shows_findings:
        part.lines = feedback_lines(target)
        part.refusal = round_refusal(feedback) if feedback is not None else ""
    return part


def scores(target: Target):
    """The item scores and the total, as the workspace computes them (nothing unknown counts)."""
    states = item_states(target)
    return states, target_total(states)


def home_panel(user) -> HomePanel | None:
    roles = list(liaison_roles(user))
    if not roles:
        return None
    parts = [unit_part(role) for role in roles]
    return HomePanel("liaison/_home.html", {"parts": parts, "today": timezone.localdate()})


def unit_files_of(target: Target) -> list[UnitFile]:
    return list(
        UnitFile.objects.filter(
            campaign_id=target.campaign_id, unit_id=target.unit_id, answer__isnull=True
        ).select_related("uploaded_by")
    )


def campaign_feedback(campaign) -> list[dict]:
    """Per target with a liaison: its feedback round, answers and the objections awaiting a ruling.
    Four queries, whatever the number of units."""
    units = Liaison.objects.filter(campaign=campaign).values("unit_id")
    targets = list(
        Target.objects.filter(campaign=campaign, unit_id__in=units)
        .select_related("unit")
        .order_by("unit__name")
    )
    rounds = {r.target_id: r for r in FeedbackRound.objects.filter(target__in=targets)}
    lines = feedback_lines_of(campaign, [t for t in targets if t.pk in rounds])
    rows = []
    for target in targets:
        mine = lines.get(target.pk, [])
        objections = [line for line in mine if line.answer is not None and not line.answer.agrees]
        rows.append(
            {
                "target": target,
                "feedback": rounds.get(target.pk),
                "lines": mine,
                "objections": objections,
                "waiting": sum(1 for line in objections if not line.answer.ruling),
            }
        )
    return rows
