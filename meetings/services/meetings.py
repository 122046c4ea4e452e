"""Preparing and holding a 述职评议 meeting: the meeting, its agenda, its speakers and their 点评.

Every write is atomic and lands in the security audit trail (accounts.model_audit, by the models'
own saves). While the meeting is 筹备中 everything may change; once 已召开 the 点评 and the speakers
are locked (``require_preparing``); 已归档 locks the rest.
"""

from __future__ import annotations

import io
import re
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Campaign
from assessment.services.evidence import DOCX, PDF, check_upload
from core.text import clean_text
from units.models import Unit

from ..domain.duty_report import problems_in
from ..domain.names import full_title, person_name
from ..domain.script import parse_officials
from ..models import AgendaItem, CommentProblem, Meeting, Speaker

# seed 001's four items
DEFAULT_AGENDA = (
    (AgendaItem.Kind.REPORTS, "述职和点评", ""),
    (AgendaItem.Kind.COMPREHENSIVE, "综合点评", ""),
    (AgendaItem.Kind.SUPERIOR, "上级点评", ""),
    (AgendaItem.Kind.BALLOT, "民主测评", ""),
)
ORG_TITLE = {
    Unit.OrgType.LEADING_GROUP: "党组书记",
    Unit.OrgType.WORKING_COMMITTEE: "党工委书记",
    Unit.OrgType.GENERAL_BRANCH: "党总支书记",
    Unit.OrgType.BRANCH: "党支部书记",
    Unit.OrgType.ORGAN_BRANCH: "机关党支部书记",
    Unit.OrgType.ORGAN_COMMITTEE: "机关党委书记",
}
MEETING_FIELDS = (
    "title",
    "date",
    "venue",
    "chair_name",
    "chair_title",
    "chair",
    "guests",
    "purpose",
    "minutes",
)


def default_title(unit: Unit) -> str:
    """城关镇党委书记, 县教育局党组书记: the unit and its party organization's secretary."""
    return f"{unit.name}{ORG_TITLE.get(unit.org_type, '党委书记')}"


def speaker_title(unit: Unit, title: str) -> str:
    return full_title(unit.name, title, default_title(unit))


def require_preparing(meeting: Meeting) -> None:
    if meeting.state != Meeting.State.PREPARING:
        raise ValidationError(_("会议已召开，点评和述职人已锁定，不能再修改。"), code="locked")


def _check_fields(fields: dict) -> dict:
    fields = dict(fields)
    for name in ("title", "venue", "chair_name", "chair_title"):
        if name in fields:
            fields[name] = clean_text(fields[name])
    if "title" in fields and not fields["title"]:
        raise ValidationError({"title": [_("请填写会议名称。")]})
    if "guests" in fields:
        _officials, errors = parse_officials(fields["guests"])
        if errors:
            raise ValidationError({"guests": errors})
    return fields


@transaction.atomic
def meeting_create(*, campaign: Campaign, user, title: str, **fields) -> Meeting:
    """A meeting of ``campaign`` with seed 001's four agenda items."""
    if campaign.is_closed:
        raise ValidationError(_("考核工作已结束，不能再新建会议。"))
    fields = _check_fields({"title": title, **fields})
    meeting = Meeting(campaign=campaign, created_by=user, **fields)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        raise ValidationError(
            {"title": [_("本次考核已有名为“%(title)s”的会议。") % {"title": meeting.title}]}
        ) from None
    for position, (kind, item_title, officials) in enumerate(DEFAULT_AGENDA):
        AgendaItem.objects.create(
            meeting=meeting, position=position, kind=kind, title=item_title, officials=officials
        )
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, user, **fields) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state == Meeting.State.ARCHIVED:
        raise ValidationError(_("会议已归档，不能再修改。"))
    fields = _check_fields({k: v for k, v in fields.items() if k in MEETING_FIELDS})
    for name, value in fields.items():
        setattr(meeting, name, value)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        raise ValidationError(
            {"title": [_("本次考核已有名为“%(title)s”的会议。") % {"title": meeting.title}]}
        ) from None
    return meeting


STATE_STEPS = {Meeting.State.HELD: Meeting.State.PREPARING, Meeting.State.ARCHIVED: Meeting.State.HELD}


@transaction.atomic
def meeting_set_state(*, meeting: Meeting, state: str, user) -> Meeting:
    """筹备中 → 已召开 (the 点评 and the speakers locked) → 已归档 (everything locked)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if STATE_STEPS.get(state) != meeting.state:
        raise ValidationError(
            _("会议现在是“%(now)s”，不能进行这一步。") % {"now": meeting.get_state_display()}
        )
    if state == Meeting.State.HELD and not meeting.speakers.exists():
        raise ValidationError(_("还没有述职人，不能标记为已召开。"))
    meeting.state = state
    meeting.current_speaker, meeting.speaker_started_at = None, None
    meeting.save()
    return meeting


# --- agenda -------------------------------------------------------------------------------------


def _locked_agenda(meeting: Meeting) -> None:
    if meeting.state == Meeting.State.ARCHIVED:
        raise ValidationError(_("会议已归档，不能再修改。"))
    require_preparing(meeting)


@transaction.atomic
def agenda_add(*, meeting: Meeting, kind: str, title: str, officials: str = "", user) -> AgendaItem:
    _locked_agenda(meeting)
    title = clean_text(title)
    if kind not in AgendaItem.Kind.values:
        raise ValidationError(_("请选择议程类型。"))
    if not title:
        raise ValidationError(_("请填写议程名称。"))
    _officials, errors = parse_officials(officials)
    if errors:
        raise ValidationError(errors)
    position = (meeting.agenda.aggregate(n=Max("position"))["n"] or 0) + 1
    return AgendaItem.objects.create(
        meeting=meeting, position=position, kind=kind, title=title, officials=officials.strip()
    )


@transaction.atomic
def agenda_update(*, item: AgendaItem, title: str, officials: str, text: str = "", user) -> AgendaItem:
    _locked_agenda(item.meeting)
    title = clean_text(title)
    if not title:
        raise ValidationError(_("请填写议程名称。"))
    _officials, errors = parse_officials(officials)
    if errors:
        raise ValidationError(errors)
    item.title, item.officials, item.text = title, officials.strip(), text.strip()
    item.save()
    return item


@transaction.atomic
def agenda_delete(*, item: AgendaItem, user) -> None:
    _locked_agenda(item.meeting)
    _let_go(item.meeting, item=item)
    item.delete()


def _let_go(meeting: Meeting, *, item: AgendaItem | None = None, speaker: Speaker | None = None) -> None:
    """The room no longer shows what is about to be deleted."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    changed = False
    if item is not None and meeting.current_item_id == item.pk:
        meeting.current_item, changed = None, True
    if speaker is not None and meeting.current_speaker_id == speaker.pk:
        meeting.current_speaker, meeting.speaker_started_at, changed = None, None, True
    if changed:
        meeting.save()


def _swap(rows: list, index: int, offset: int) -> None:
    other = index + offset
    if not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


@transaction.atomic
def agenda_move(*, item: AgendaItem, offset: int, user) -> None:
    _locked_agenda(item.meeting)
    rows = list(
        AgendaItem.objects.select_for_update().filter(meeting=item.meeting_id).order_by("position", "pk")
    )
    _swap(rows, [r.pk for r in rows].index(item.pk), offset)


# --- speakers -------------------------------------------------------------------------------------


def _check_speaker(meeting: Meeting, unit: Unit, name: str, title: str, mode: str, *, exclude=None) -> tuple:
    name, title = person_name(clean_text(name)), clean_text(title)
    errors = []
    if not name:
        errors.append(_("请填写述职人姓名。"))
    if mode not in Speaker.Mode.values:
        errors.append(_("述职方式只能是“口头述职”或“书面述职”。"))
    issuer = meeting.campaign.issuer_unit
    if issuer is not None and f"/{issuer.pk}/" not in unit.ancestry:
        errors.append(
            _("%(unit)s不是%(issuer)s的下属单位，不能在本次会议述职。")
            % {"unit": unit.name, "issuer": issuer.name}
        )
    taken = meeting.speakers.filter(unit=unit)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        errors.append(_("%(unit)s已在述职人名单中。") % {"unit": unit.name})
    if errors:
        raise ValidationError(errors)
    return name, speaker_title(unit, title)


@transaction.atomic
def speaker_add(
    *, meeting: Meeting, unit: Unit, name: str, title: str = "", mode: str = Speaker.Mode.ORAL, user
) -> Speaker:
    require_preparing(meeting)
    name, title = _check_speaker(meeting, unit, name, title, mode)
    position = (meeting.speakers.aggregate(n=Max("position"))["n"] or 0) + 1
    return Speaker.objects.create(
        meeting=meeting, unit=unit, name=name, title=title, mode=mode, position=position
    )


@transaction.atomic
def speaker_update(*, speaker: Speaker, name: str, title: str, mode: str, user) -> Speaker:
    require_preparing(speaker.meeting)
    speaker.name, speaker.title = _check_speaker(
        speaker.meeting, speaker.unit, name, title, mode, exclude=speaker
    )
    speaker.mode = mode
    speaker.save()
    return speaker


@transaction.atomic
def speaker_delete(*, speaker: Speaker, user) -> None:
    require_preparing(speaker.meeting)
    _let_go(speaker.meeting, speaker=speaker)
    speaker.delete()


@transaction.atomic
def speaker_move(*, speaker: Speaker, offset: int, user) -> None:
    require_preparing(speaker.meeting)
    rows = list(
        Speaker.objects.select_for_update().filter(meeting=speaker.meeting_id).order_by("position", "pk")
    )
    _swap(rows, [r.pk for r in rows].index(speaker.pk), offset)


@transaction.atomic
def speakers_from_targets(*, meeting: Meeting, user) -> list[Speaker]:
    """The secretaries of the campaign's targets not yet on the list, as the roster names them
    (a unit without a 党组织书记 in the roster is left out: its name is not known)."""
    require_preparing(meeting)
    present = set(meeting.speakers.values_list("unit_id", flat=True))
    units = Unit.objects.filter(pk__in=meeting.campaign.targets.values("unit")).exclude(pk__in=present)
    added = []
    for unit in units.order_by("ancestry", "name"):
        if unit.secretary.strip():
            added.append(speaker_add(meeting=meeting, unit=unit, name=unit.secretary, user=user))
    return added


# --- the 点评 -------------------------------------------------------------------------------------


def _problem_lines(text: str) -> list[str]:
    """One problem a line; a leading 一是/1./（一） the office may have typed is dropped."""
    lines = []
    for line in (text or "").splitlines():
        line = re.sub(
            r"^\s*(?:[一二三四五六七八九十]+是|[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)", "", line
        ).strip()
        if line:
            lines.append(line)
    return lines


@transaction.atomic
def comment_save(*, speaker: Speaker, achievements: str, problems: str, hopes: str, user) -> Speaker:
    """The 点评 of ``speaker``: achievements, the problems (one a line, each a record of the unit)
    and hopes. Problems kept as they were keep their rows; the others are added or removed."""
    speaker = Speaker.objects.select_for_update().select_related("meeting").get(pk=speaker.pk)
    require_preparing(speaker.meeting)
    speaker.achievements, speaker.hopes = achievements.strip(), hopes.strip()
    speaker.save()
    wanted = _problem_lines(problems)
    existing = list(speaker.problems.order_by("position", "pk"))
    for position, text in enumerate(wanted):
        if position < len(existing):
            row = existing[position]
            if (row.text, row.position) != (text, position):
                row.text, row.position = text, position
                row.save()
        else:
            CommentProblem.objects.create(speaker=speaker, position=position, text=text)
    for row in existing[len(wanted) :]:
        row.delete()
    return speaker


# --- the room -------------------------------------------------------------------------------------


@transaction.atomic
def room_set(*, meeting: Meeting, item: AgendaItem | None, speaker: Speaker | None, user) -> Meeting:
    """What the projector shows: the current agenda item and the speaker now reporting (the timer
    starts when a speaker is called)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state == Meeting.State.ARCHIVED:
        raise ValidationError(_("会议已归档。"))
    if (
        speaker is not None
        and speaker.meeting_id != meeting.pk
        or item is not None
        and item.meeting_id != meeting.pk
    ):
        raise ValidationError(_("不属于这次会议。"))
    if speaker is not None and speaker.pk != meeting.current_speaker_id:
        meeting.speaker_started_at = timezone.now()
    meeting.current_item, meeting.current_speaker = item, speaker
    if speaker is None:
        meeting.speaker_started_at = None
    meeting.save()
    return meeting


# --- the duty report --------------------------------------------------------------------------------


def _keep_document(model, pk: int, field: str, upload, *, what: str, check) -> object:
    """Keep an uploaded .docx or .pdf (checked by content as evidence files are: size, type, no
    macros or scripts, no zip bomb) in ``field`` of the row ``model`` ``pk``, after ``check(row)``
    (the lock). A file replaced is removed once the change is saved; a failed save leaves no file."""
    checked = check_upload(upload)
    if checked.file_type not in (DOCX, PDF):
        raise ValidationError(
            _("文件“%(name)s”未上传：%(what)s只能是 Word（.docx）或 PDF 文件。")
            % {"name": checked.name, "what": what}
        )
    with transaction.atomic():
        row = model.objects.select_for_update().select_related("meeting").get(pk=pk)
        check(row)
        file = getattr(row, field)
        old = file.name
        file.save(f"{uuid.uuid4().hex}.{checked.file_type.extension}", checked.upload, save=False)
        stored, storage = file.name, file.storage
        setattr(row, f"{field}_name", checked.name)
        try:
            row.save()
        except BaseException:
            storage.delete(stored)
            raise
        if old:
            transaction.on_commit(lambda: storage.delete(old))
    return row


def report_upload(*, speaker: Speaker, upload, user) -> Speaker:
    """Keep the speaker's 述职报告 (until the meeting is held)."""
    return _keep_document(
        Speaker,
        speaker.pk,
        "report",
        upload,
        what=_("述职报告"),
        check=lambda row: require_preparing(row.meeting),
    )


def agenda_document_upload(*, item: AgendaItem, upload, user) -> AgendaItem:
    """Keep an agenda item's speech (综合点评, 上级点评 as the officials gave it), also after the
    meeting, until it is archived."""

    def check(row: AgendaItem) -> None:
        if row.meeting.state == Meeting.State.ARCHIVED:
            raise ValidationError(_("会议已归档，不能再修改。"))

    return _keep_document(AgendaItem, item.pk, "document", upload, what=_("点评讲话稿"), check=check)


def report_paragraphs(speaker: Speaker) -> list[str]:
    """The text of the speaker's .docx report, paragraph by paragraph (empty for a PDF or none)."""
    if not speaker.report or not speaker.report.name.endswith(".docx"):
        return []
    import docx

    with speaker.report.open("rb") as stored:
        document = docx.Document(io.BytesIO(stored.read()))
    return [p.text for p in document.paragraphs]


@transaction.atomic
def problems_from_report(*, speaker: Speaker, user) -> list[str]:
    """Copy the problems the report's own 存在问题 part names into the speaker's problems (after
    those already there, none twice). Returns what was added."""
    require_preparing(speaker.meeting)
    if not speaker.report:
        raise ValidationError(_("还没有上传述职报告。"))
    if not speaker.report.name.endswith(".docx"):
        raise ValidationError(_("只能从 Word（.docx）述职报告中提取问题；PDF 报告请对照原文手工填写。"))
    found = problems_in(report_paragraphs(speaker))
    if not found:
        raise ValidationError(_("述职报告中没有找到“存在问题”部分（如“二、存在问题”），请对照原文手工填写。"))
    existing = [p.text for p in speaker.problems.order_by("position", "pk")]
    added = [p for p in found if p not in existing]
    comment_save(
        speaker=speaker,
        achievements=speaker.achievements,
        problems="\n".join(existing + added),
        hopes=speaker.hopes,
        user=user,
    )
    return added
