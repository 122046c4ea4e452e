"""The chair's script (主持词) of a 述职评议 meeting as paragraphs, in the genre of
../shared/seeds/001 (a county meeting's script), and the 点评 of one speaker.

Pure: plain data in, text out. The script: the salutation; the purpose; the guests' welcome;
"今天会议共有四项议程"; each agenda item in its order — the oral speakers called one by one
("一、首先请城关镇党委书记张三同志述职。" … 十一、十二、…), each followed by the ※ line that marks
the report and the 点评 (achievements; "但还存在以下问题：一是……二是……", a single problem
without 一是; the hopes); the 综合点评 officials called by name; the superior's 点评; the closing
paragraph naming those who reported in writing (they are commented and rated, never called);
the call to the 民主测评.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.text import chinese_ordinal, shi

MARK = "※" * 23  # where a speech is given (the seed's line of 23 ※)
TIPS = "要善于讲“亮点”，敢于揭“痛点”，精于谋“新点”。"
DEFAULT_PURPOSE = (
    "听取各党委（党组）书记抓基层党建工作情况述职并进行评议，促进相互交流学习，对本地本部门党建工作的"
    "整体情况、存在问题和差距以及努力方向有一次新的深刻认识，进一步聚焦问题、压实责任、明确任务、强化整改，"
    "推动基层党建工作全面进步、全面过硬。"
)
PLACEHOLDER = "【待填写：{what}】"
# The honorific a speaker is called by after the first mention ("请李书记点评"), by rank.
RANKS = ("书记", "部长", "县长", "市长", "主任", "局长", "科长", "主席")

REPORTS, COMPREHENSIVE, SUPERIOR, BALLOT, OTHER = "reports", "comprehensive", "superior", "ballot", "other"


@dataclass(frozen=True)
class Official:
    title: str
    name: str

    @property
    def called(self) -> str:
        """How the chair calls on them: 李书记 (surname and rank), or the whole name and 同志."""
        rank = next((r for r in RANKS if r in self.title), "")
        return f"{self.name[0]}{rank}" if rank and self.name else f"{self.name}同志"

    @property
    def named(self) -> str:
        return f"{self.title}{self.name}同志"


def parse_officials(text: str) -> tuple[list[Official], list[str]]:
    """One official a line, "职务 姓名" (the last space, half or full width, divides them).
    Returns the officials and, per bad line, a Chinese error."""
    officials, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = re.split(r"[ \u3000\t]+", line)
        if len(parts) < 2:
            errors.append(f"第{number}行“{line}”：请写成“职务 姓名”，中间空一格。")
            continue
        officials.append(Official(title="".join(parts[:-1]), name=parts[-1]))
    return officials, errors


@dataclass(frozen=True)
class SpeakerText:
    unit: str
    name: str
    title: str
    oral: bool = True
    kind: str = ""  # the unit's kind (units.UnitKind value): who "各乡镇党委书记" are
    achievements: str = ""
    problems: tuple[str, ...] = ()
    hopes: str = ""

    @property
    def named(self) -> str:
        return f"{self.title}{self.name}"


@dataclass(frozen=True)
class AgendaText:
    kind: str
    title: str
    officials: tuple[Official, ...] = ()


@dataclass(frozen=True)
class MeetingText:
    title: str
    purpose: str = ""
    guests: tuple[Official, ...] = ()
    minutes: int = 8
    agenda: tuple[AgendaText, ...] = ()
    speakers: tuple[SpeakerText, ...] = field(default_factory=tuple)


def _stop(text: str) -> str:
    """A sentence ends with a mark: 。 added unless it already ends with one."""
    text = text.strip()
    return text if not text or text[-1] in "。！？；…”" else text + "。"


def problems_sentence(problems: tuple[str, ...] | list[str]) -> str:
    """但还存在以下问题：一是……。二是……。 — one problem without 一是; none: nothing."""
    problems = [p.strip().rstrip("。；;") for p in problems if p.strip()]
    if not problems:
        return ""
    if len(problems) == 1:
        return f"但还存在以下问题：{problems[0]}。"
    return "但还存在以下问题：" + "".join(f"{shi(i)}{p}。" for i, p in enumerate(problems))


def comment_paragraphs(speaker: SpeakerText) -> list[str]:
    """The 点评 of one speaker: "点评：{achievements}{problems}" and the hopes; what is not yet
    written is a visible placeholder."""
    achievements = _stop(speaker.achievements) or PLACEHOLDER.format(what="点评成绩")
    hopes = _stop(speaker.hopes) or PLACEHOLDER.format(what="希望")
    return [f"点评：{achievements}{problems_sentence(speaker.problems)}", hopes]


def _joined(officials) -> str:
    return "，".join(o.named for o in officials)


def _opening(meeting: MeetingText, items: int) -> list[str]:
    paragraphs = [
        "同志们：",
        f"今天，我们召开{meeting.title}，主要任务是，{_stop(meeting.purpose) or DEFAULT_PURPOSE}",
    ]
    if meeting.guests:
        paragraphs.append(
            f"对开好这次会议，上级高度重视，{'、'.join(g.named for g in meeting.guests)}到会指导工作，"
            "让我们以热烈的掌声表示欢迎和感谢！"
        )
    count = "两" if items == 2 else chinese_ordinal(items)
    paragraphs.append(f"今天会议共有{count}项议程，下面依次进行。")
    return paragraphs


ORGANS = ("county_organ", "county_institution")


def who_reports(oral: list[SpeakerText]) -> str:
    """Who is called, as the chair says it: 各县（市、区）委书记; 各乡镇党委书记; 各乡镇党委书记及县教育局、
    县文旅体局党组书记 (seed 001); otherwise 各述职单位党组织书记."""
    kinds = {s.kind for s in oral}
    if kinds == {"county"}:
        return "各县（市、区）委书记"
    if kinds == {"township"}:
        return "各乡镇党委书记"
    if kinds and kinds <= {"township", *ORGANS} and "township" in kinds:
        organs = "、".join(s.unit for s in oral if s.kind in ORGANS)
        return f"各乡镇党委书记及{organs}党组织书记"
    return "各述职单位党组织书记"


def _reports(meeting: MeetingText, lead: str) -> list[str]:
    oral = [s for s in meeting.speakers if s.oral]
    paragraphs = [
        f"{lead}请{who_reports(oral)}依次述职，由我逐一点评。述职时间控制在{meeting.minutes}分钟，{TIPS}"
    ]
    if not oral:
        paragraphs.append(PLACEHOLDER.format(what="口头述职人"))
    for number, speaker in enumerate(oral, start=1):
        call = "首先请" if number == 1 else "请"
        paragraphs += [f"{chinese_ordinal(number)}、{call}{speaker.named}同志述职。", MARK]
        paragraphs += comment_paragraphs(speaker)
    return paragraphs


def _officials(item: AgendaText, lead: str, verb: str) -> list[str]:
    if not item.officials:
        return [f"{lead}{item.title}。", MARK]
    if len(item.officials) == 1:
        return [f"{lead}请{item.officials[0].named}{verb}，大家欢迎！", MARK]
    paragraphs = [f"{lead}请{_joined(item.officials)}进行{item.title}。"]
    for number, official in enumerate(item.officials):
        paragraphs += [f"{'首先' if number == 0 else '下面'}，请{official.called}点评。", MARK]
    return paragraphs


def _closing(meeting: MeetingText) -> str:
    written = [s for s in meeting.speakers if not s.oral]
    said = "刚才，各述职单位党组织书记作了述职报告，"
    if written:
        said += f"{'、'.join(s.named for s in written)}同志作了书面述职，"
    return (
        "同志们，这次述职评议会议，既是落实党要管党、从严治党要求的一次动员会议，也是一次深化认识、"
        f"巩固成效、落实责任的总结会议。{said}有关同志作了有针对性的点评，既肯定了成绩，也指出了存在的问题。"
        "这些问题都是我们基层党建工作中存在的突出问题，各级党组织要认真研究分析，切实拿出有针对性的措施进行整改，"
        "以问题整改成效促进基层党建工作质量有效提升。"
    )


def script_paragraphs(meeting: MeetingText) -> list[str]:
    """The whole script, paragraph by paragraph (the ※ lines are paragraphs of their own)."""
    agenda = list(meeting.agenda)
    paragraphs = _opening(meeting, len(agenda))
    closed = False
    for index, item in enumerate(agenda):
        number = chinese_ordinal(index + 1)
        lead = f"第{number}项议程。" if index == 0 else f"下面，进行会议第{number}项议程。"
        if item.kind == BALLOT and not closed:
            paragraphs.append(_closing(meeting))
            closed = True
        if item.kind == REPORTS:
            paragraphs += _reports(meeting, lead)
        elif item.kind == COMPREHENSIVE:
            paragraphs += _officials(item, lead, "进行综合点评")
        elif item.kind == SUPERIOR:
            paragraphs += _officials(item, lead, "作点评")
        elif item.kind == BALLOT:
            paragraphs.append(f"{lead.removesuffix('。')}，进行民主测评。请大家填写完测评表后散会。")
        else:
            paragraphs.append(f"{lead}{_stop(item.title)}")
    if not closed:
        paragraphs.append(_closing(meeting))
    return paragraphs
