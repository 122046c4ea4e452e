"""The meeting's Word documents, in the GB/T 9704 layout (core.officialdoc): the chair's script
(主持词, meetings.domain.script) and one 点评意见反馈单 per speaker. The same data gives the same
bytes (the documents carry the meeting's creation time, never the time of the export)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from django.utils import timezone

from core.officialdoc import Block, Kind, SimplePaper, render_docx

from .domain.names import spoken
from .domain.script import (
    PLACEHOLDER,
    AgendaText,
    MeetingText,
    SpeakerText,
    comment_paragraphs,
    parse_officials,
    script_paragraphs,
)
from .models import Meeting, Speaker

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def speaker_text(speaker: Speaker, *, county: str = "") -> SpeakerText:
    """The speaker as the script says it; in a county's own meeting (``county`` its name) its
    units are 县教育局, not 青山县教育局."""
    return SpeakerText(
        unit=spoken(speaker.unit.name, county),
        name=speaker.name,
        title=spoken(speaker.title, county),
        oral=speaker.mode == Speaker.Mode.ORAL,
        kind=speaker.unit.kind,
        achievements=speaker.achievements,
        problems=tuple(p.text for p in speaker.problems.all()),
        hopes=speaker.hopes,
    )


def meeting_text(meeting: Meeting) -> MeetingText:
    speakers = meeting.speakers.select_related("unit").prefetch_related("problems").order_by("position", "pk")
    issuer = meeting.campaign.issuer_unit
    county = issuer.name if issuer is not None and issuer.kind == issuer.Kind.COUNTY else ""
    return MeetingText(
        title=meeting.title,
        purpose=meeting.purpose,
        guests=tuple(parse_officials(meeting.guests)[0]),
        minutes=meeting.minutes,
        agenda=tuple(
            AgendaText(kind=i.kind, title=i.title, officials=tuple(parse_officials(i.officials)[0]))
            for i in meeting.agenda.order_by("position", "pk")
        ),
        speakers=tuple(speaker_text(s, county=county) for s in speakers),
    )


def _stamp(meeting: Meeting) -> dt.datetime:
    return timezone.localtime(meeting.created_at)


def date_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else PLACEHOLDER.format(what="日期")


def script_docx(meeting: Meeting) -> bytes:
    title = f"在{meeting.title}上的主持词"
    blocks = [Block(Kind.TITLE, title)]
    for index, paragraph in enumerate(script_paragraphs(meeting_text(meeting))):
        kind = Kind.SALUTATION if index == 0 else Kind.BODY
        blocks.append(Block(kind, paragraph, placeholder="【待填写" in paragraph))
    return render_docx(
        SimplePaper(title=title, blocks=blocks, timestamp=_stamp(meeting), draft=meeting.is_preparing)
    )


def script_name(meeting: Meeting) -> str:
    return f"{meeting.title}_主持词.docx"


def feedback_blocks(meeting: Meeting, speaker: Speaker) -> list[Block]:
    text = speaker_text(speaker)
    mode = "口头述职" if text.oral else "书面述职"
    blocks = [
        Block(Kind.TITLE, "党组织书记抓基层党建工作述职评议点评意见反馈单"),
        Block(Kind.SALUTATION, f"{speaker.unit.name}党组织："),
        Block(
            Kind.BODY,
            f"根据{meeting.title}安排，{text.named}同志于{date_text(meeting.date)}作了{mode}。现将点评意见反馈如下。",
        ),
        Block(Kind.H1, "一、点评意见"),
    ]
    for paragraph in comment_paragraphs(text):
        blocks.append(Block(Kind.BODY, paragraph.removeprefix("点评："), placeholder="【待填写" in paragraph))
    blocks.append(Block(Kind.H1, "二、需要整改的问题"))
    if text.problems:
        for number, problem in enumerate(text.problems, start=1):
            blocks.append(Block(Kind.BODY, f"{number}．{problem.rstrip('。；;')}。"))
    else:
        blocks.append(Block(Kind.BODY, "点评未指出需要整改的问题。"))
    deadline = (
        date_text(meeting.plan_deadline) if meeting.plan_deadline else PLACEHOLDER.format(what="报送时限")
    )
    blocks += [
        Block(Kind.H1, "三、整改要求"),
        Block(
            Kind.BODY,
            f"请对照点评意见，逐条制定整改措施，明确责任人和完成时限，于{deadline}前将整改方案报"
            f"{meeting.campaign.issuer}组织部。",
            placeholder=not meeting.plan_deadline,
        ),
        Block(Kind.SIGNATURE, f"{meeting.campaign.issuer}组织部"),
        Block(Kind.DATE, date_text(meeting.date)),
    ]
    return blocks


def feedback_docx(meeting: Meeting, speaker: Speaker) -> bytes:
    blocks = feedback_blocks(meeting, speaker)
    title = f"{speaker.unit.name}述职评议点评意见反馈单"
    return render_docx(
        SimplePaper(title=title, blocks=blocks, timestamp=_stamp(meeting), draft=meeting.is_preparing)
    )


def feedback_name(speaker: Speaker) -> str:
    return f"{speaker.unit.name}_点评意见反馈单.docx"


def feedback_zip(meeting: Meeting) -> bytes:
    """Every speaker's feedback sheet in one zip, in the list's order; fixed entry times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        speakers = (
            meeting.speakers.select_related("unit").prefetch_related("problems").order_by("position", "pk")
        )
        for number, speaker in enumerate(speakers, start=1):
            info = zipfile.ZipInfo(f"{number:02d}_{speaker.unit.name}_点评意见反馈单.docx", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, feedback_docx(meeting, speaker))
    return buffer.getvalue()
