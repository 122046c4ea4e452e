"""Writes of the assessed unit's part: liaisons, time limits, the unit's files, its feedback on
the findings and the rulings on its objections. Who may call what is liaison.permissions'; the
services enforce the windows (files before approval; feedback from approval to its deadline;
rulings before 定稿) so that no view can forget."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import CampaignReviewer, GroupMember, Problem, Target
from assessment.services.evidence import check_upload, evidence_attach
from core.prose import chinese_date
from core.text import clean_text
from core.workdays import deadline_after
from meetings.models import CommentProblem
from meetings.selectors import comment_problems

from .models import Answer, Deadlines, FeedbackRound, Liaison, UnitFile

Status = Target.Status
BEFORE_APPROVAL = {Status.DRAFTING, Status.SUBMITTED, Status.RETURNED}


# --- liaisons and time limits -----------------------------------------------------------------


@transaction.atomic
def liaison_add(*, campaign, unit, user, by) -> Liaison:
    """Name ``user`` the liaison of ``unit`` (a unit the campaign assesses) in ``campaign``."""
    errors = []
    if not campaign.target_units().filter(pk=unit.pk).exists():
        errors.append(_("“%(unit)s”不是本次考核的考核对象。") % {"unit": unit.name})
    if GroupMember.objects.filter(campaign=campaign, user=user).exists():
        errors.append(_("%(user)s 是本次考核的考核组成员，不能担任被考核单位联络员。") % {"user": user})
    if CampaignReviewer.objects.filter(campaign=campaign, user=user).exists():
        errors.append(_("%(user)s 是本次考核的审核人员，不能担任被考核单位联络员。") % {"user": user})
    other = Liaison.objects.filter(campaign=campaign, user=user).select_related("unit").first()
    if other is not None:
        errors.append(
            _("%(user)s 已是“%(unit)s”的联络员，每人在一次考核中只能联络一个单位。")
            % {"user": user, "unit": other.unit.name}
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return Liaison.objects.create(campaign=campaign, unit=unit, user=user)
    except IntegrityError:
        raise ValidationError(_("%(user)s 已是本次考核的联络员。") % {"user": user}) from None


@transaction.atomic
def liaison_remove(*, liaison: Liaison, by) -> None:
    liaison.delete()


def deadlines_of(campaign) -> Deadlines:
    """The campaign's time limits (the defaults, unsaved, until an administrator sets them)."""
    return Deadlines.objects.filter(campaign=campaign).first() or Deadlines(campaign=campaign)


@transaction.atomic
def deadlines_set(*, campaign, feedback_workdays: int, rectification_workdays: int, by) -> Deadlines:
    errors = {}
    if not 1 <= feedback_workdays <= 60:
        errors["feedback_workdays"] = [_("反馈时限须为1至60个工作日。")]
    if not 1 <= rectification_workdays <= 250:
        errors["rectification_workdays"] = [_("整改时限须为1至250个工作日。")]
    if errors:
        raise ValidationError(errors)
    deadlines, _created = Deadlines.objects.update_or_create(
        campaign=campaign,
        defaults={"feedback_workdays": feedback_workdays, "rectification_workdays": rectification_workdays},
    )
    return deadlines


# --- the unit's files -------------------------------------------------------------------------------


def files_refusal(campaign, unit) -> str:
    """Why the unit may not hand in or withdraw its files now, or ""."""
    if campaign.is_closed:
        return _("本次考核已结束，不能再上传或删除材料。")
    target = Target.objects.filter(campaign=campaign, unit=unit).first()
    if target is not None and target.status not in BEFORE_APPROVAL:
        return _("考核材料已审核通过，自查材料不能再修改；对考核发现的问题请在“反馈”中答复。")
    return ""


def _keep(*, campaign, unit, purpose, upload, note, user, answer=None) -> UnitFile:
    checked = check_upload(upload)
    row = UnitFile(
        campaign=campaign,
        unit=unit,
        purpose=purpose,
        answer=answer,
        name=checked.name[:120],
        size=checked.size,
        file_type=checked.file_type.extension,
        note=clean_text(note)[:200],
        uploaded_by=user,
    )
    row.file.save(
        f"{timezone.now():%Y%m%d%H%M%S%f}.{checked.file_type.extension}", checked.upload, save=False
    )
    stored, storage = row.file.name, row.file.storage
    try:
        row.save()
    except BaseException:
        storage.delete(stored)
        raise
    return row


@transaction.atomic
def unit_file_add(*, campaign, unit, purpose: str, upload, note: str = "", user) -> UnitFile:
    """Hand in a file before the inspection: 自查报告, 年度党建工作报告 or 佐证材料."""
    if purpose not in (
        UnitFile.Purpose.SELF_REPORT,
        UnitFile.Purpose.WORK_REPORT,
        UnitFile.Purpose.SUPPORTING,
    ):
        raise ValidationError(_("请选择材料类别。"))
    if refusal := files_refusal(campaign, unit):
        raise ValidationError(refusal)
    return _keep(campaign=campaign, unit=unit, purpose=purpose, upload=upload, note=note, user=user)


@transaction.atomic
def unit_file_delete(*, unit_file: UnitFile, user) -> None:
    if unit_file.purpose == UnitFile.Purpose.OBJECTION:
        _require_open_round(unit_file.answer.round)
    elif refusal := files_refusal(unit_file.campaign, unit_file.unit):
        raise ValidationError(refusal)
    stored, storage = unit_file.file.name, unit_file.file.storage
    unit_file.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def attach_as_evidence(*, unit_file: UnitFile, problem=None, deduction=None, user):
    """An inspector attaches one of the unit's files as evidence of a finding of the unit's target
    (the evidence rules hold: the target being filled in, the file checked again)."""
    finding = problem if problem is not None else deduction
    if (
        finding is None
        or finding.target.campaign_id != unit_file.campaign_id
        or finding.target.unit_id != unit_file.unit_id
    ):
        raise ValidationError(_("只能附到本单位考核发现的问题或扣分上。"))
    with unit_file.file.open("rb") as stream:
        copy = SimpleUploadedFile(unit_file.name, stream.read())
    return evidence_attach(problem=problem, deduction=deduction, upload=copy, user=user)


# --- feedback ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackLine:
    """A problem the unit answers: from the inspection (``problem``) or a 点评 (``comment_problem``)."""

    source: str  # 实地考核 / 述职评议点评
    text: str
    item: str
    problem: Problem | None
    comment_problem: CommentProblem | None
    answer: Answer | None

    @property
    def key(self) -> str:
        return f"p{self.problem.pk}" if self.problem else f"c{self.comment_problem.pk}"


INSPECTION = "实地考核"
MEETING = "述职评议点评"


def feedback_lines(target: Target) -> list[FeedbackLine]:
    """Every problem of the target's unit in its campaign, inspection first, each with its answer."""
    return feedback_lines_of(target.campaign, [target])[target.pk]


def feedback_lines_of(campaign, targets: list[Target]) -> dict[int, list[FeedbackLine]]:
    """``feedback_lines`` of several targets of ``campaign`` in two queries: target id → lines."""
    lines: dict[int, list[FeedbackLine]] = {t.pk: [] for t in targets}
    by_unit = {t.unit_id: t.pk for t in targets}
    problems = (
        Problem.objects.filter(target__in=targets)
        .select_related("item", "answer")
        .order_by("item__order", "position", "pk")
    )
    for p in problems:
        lines[p.target_id].append(
            FeedbackLine(INSPECTION, p.text, p.item.title, p, None, getattr(p, "answer", None))
        )
    for c in comment_problems(unit_ids=list(by_unit), campaign=campaign).select_related("answer"):
        lines[by_unit[c.speaker.unit_id]].append(
            FeedbackLine(MEETING, c.text, "", None, c, getattr(c, "answer", None))
        )
    return lines


def open_feedback(target: Target) -> FeedbackRound | None:
    """At approval: the unit's feedback opens when it has a liaison (once; a later approval keeps it)."""
    if not Liaison.objects.filter(campaign_id=target.campaign_id, unit_id=target.unit_id).exists():
        return None
    existing = FeedbackRound.objects.filter(target=target).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    days = deadlines_of(target.campaign).feedback_workdays
    return FeedbackRound.objects.create(
        target=target, opened_at=timezone.now(), deadline=deadline_after(today, days)
    )


def round_refusal(feedback: FeedbackRound) -> str:
    """Why the unit may not answer now, or ""."""
    target = feedback.target
    if target.status != Status.APPROVED:
        return _("只有审核通过、尚未定稿的考核材料可以反馈。")
    if feedback.submitted_at is not None:
        return _("反馈已于%(at)s提交，不能再修改。") % {
            "at": f"{timezone.localtime(feedback.submitted_at):%Y年%-m月%-d日 %H:%M}"
        }
    if timezone.localdate() > feedback.deadline:
        return _("反馈截止日期（%(date)s）已过，不能再反馈。") % {"date": chinese_date(feedback.deadline)}
    return ""


def _require_open_round(feedback: FeedbackRound) -> None:
    if refusal := round_refusal(feedback):
        raise ValidationError(refusal)


@transaction.atomic
def answer_save(
    *, feedback: FeedbackRound, problem=None, comment_problem=None, agrees: bool, reason: str = "", user
) -> Answer:
    """The unit's answer to one problem: 无异议, or 有异议 with its reason."""
    feedback = (
        FeedbackRound.objects.select_for_update().select_related("target__campaign").get(pk=feedback.pk)
    )
    _require_open_round(feedback)
    target = feedback.target
    if (problem is None) == (comment_problem is None):
        raise TypeError("answer exactly one problem")
    if problem is not None and problem.target_id != target.pk:
        raise ValidationError(_("该问题不属于本单位的考核。"))
    if (
        comment_problem is not None
        and not comment_problems(unit_ids=[target.unit_id], campaign=target.campaign)
        .filter(pk=comment_problem.pk)
        .exists()
    ):
        raise ValidationError(_("该问题不属于本单位的考核。"))
    reason = (reason or "").strip()
    if not agrees and not reason:
        raise ValidationError({"reason": [_("有异议时请写明理由。")]})
    answer, _created = Answer.objects.update_or_create(
        problem=problem,
        comment_problem=comment_problem,
        defaults={
            "round": feedback,
            "agrees": agrees,
            "reason": "" if agrees else reason,
            "answered_by": user,
            "answered_at": timezone.now(),
            "ruling": "",
            "ruling_reason": "",
            "revised_text": "",
            "ruled_by": None,
            "ruled_at": None,
        },
    )
    if agrees:  # files behind an objection withdrawn with it
        for unit_file in answer.files.all():
            unit_file_delete(unit_file=unit_file, user=user)
    return answer


@transaction.atomic
def objection_file_add(*, answer: Answer, upload, user) -> UnitFile:
    _require_open_round(answer.round)
    if answer.agrees:
        raise ValidationError(_("只有提出异议的问题可以附上材料。"))
    target = answer.round.target
    return _keep(
        campaign=target.campaign,
        unit=target.unit,
        purpose=UnitFile.Purpose.OBJECTION,
        upload=upload,
        note="",
        user=user,
        answer=answer,
    )


@transaction.atomic
def feedback_submit(*, feedback: FeedbackRound, user) -> FeedbackRound:
    """Hand the feedback in: every problem answered."""
    feedback = (
        FeedbackRound.objects.select_for_update()
        .select_related("target__campaign", "target__unit")
        .get(pk=feedback.pk)
    )
    _require_open_round(feedback)
    missing = [line for line in feedback_lines(feedback.target) if line.answer is None]
    if missing:
        raise ValidationError(
            _("还有%(n)s个问题没有答复（如“%(text)s”），请逐条选择“无异议”或“有异议”后再提交。")
            % {"n": len(missing), "text": missing[0].text[:30]}
        )
    feedback.submitted_at, feedback.submitted_by = timezone.now(), user
    feedback.save(update_fields=["submitted_at", "submitted_by"])
    return feedback


@transaction.atomic
def ruling_save(*, answer: Answer, ruling: str, reason: str, revised_text: str = "", user) -> Answer:
    """A reviewer answers an objection: 维持, 修改 (a 点评's problem gets its new wording here; an
    inspection problem is changed by its group after 退回) or 撤销, always with a reason."""
    answer = Answer.objects.select_for_update().select_related("round__target__campaign").get(pk=answer.pk)
    target = answer.round.target
    if answer.agrees:
        raise ValidationError(_("该问题无异议，无需答复。"))
    if target.status == Status.FINALIZED or target.campaign.is_closed:
        raise ValidationError(_("考核材料已定稿，不能再答复异议。"))
    errors = {}
    if ruling not in Answer.Ruling.values:
        errors["ruling"] = [_("请选择维持、修改或撤销。")]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("请写明答复理由。")]
    revised_text = clean_text(revised_text or "")
    if ruling == Answer.Ruling.MODIFY and answer.comment_problem_id and not revised_text:
        errors["revised_text"] = [_("修改点评指出的问题时，请写明修改后的问题。")]
    if errors:
        raise ValidationError(errors)
    answer.ruling, answer.ruling_reason = ruling, reason
    answer.revised_text = revised_text if ruling == Answer.Ruling.MODIFY else ""
    answer.ruled_by, answer.ruled_at = user, timezone.now()
    answer.save()
    return answer


# --- the guard before 定稿 -----------------------------------------------------------------------


def finalize_refusals(target: Target) -> list[str]:
    """What of the unit's feedback still stops 定稿: the feedback awaited before its deadline, an
    objection not answered."""
    feedback = FeedbackRound.objects.filter(target=target).first()
    if feedback is None:
        return []
    reasons = []
    if feedback.submitted_at is None and timezone.localdate() <= feedback.deadline:
        reasons.append(
            _("%(unit)s的反馈尚未提交（截止%(date)s），提交或截止后才能定稿。")
            % {"unit": target.unit.name, "date": chinese_date(feedback.deadline)}
        )
    waiting = feedback.answers.filter(agrees=False, ruling="").count()
    if waiting:
        reasons.append(_("%(unit)s有%(n)s条异议尚未答复。") % {"unit": target.unit.name, "n": waiting})
    return reasons


def withdrawn(answer: Answer | None) -> bool:
    """A problem the reviewer withdrew on the unit's objection: it does not go to the ledger."""
    return answer is not None and answer.ruling == Answer.Ruling.WITHDRAW


def wording(text: str, answer: Answer | None) -> str:
    """A problem's words as they stand after a ruling (a 点评's problem modified on objection)."""
    if answer is not None and answer.ruling == Answer.Ruling.MODIFY and answer.revised_text:
        return answer.revised_text
    return text
