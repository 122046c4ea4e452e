"""The inspection report of one target as pure data: its blocks in order, with their text.

This is the one place that decides what the report says, in which order and
with which numbering (see ../shared/seeds/000_44ba0aa45b7e73ee.txt). The Word
renderer (core.officialdoc) and the HTML preview both draw these blocks; neither
adds or changes a word.

The report never states what nobody decided. Scores come from the scoring rules
(assessment.domain.scoring): an item not yet decided says "（尚未评分）" in its 得分情况,
never "未扣分", and never "未发现……问题" in its 问题清单. "经考核，未发现该项存在明显问题"
is written only for a decided item with neither deductions nor problems. What is still to
be written (an empty 总体评价 or 工作情况, the problems behind a deduction) is a visible
placeholder block — 【待填写：…】, highlighted in the draft — not a sentence of the report.
What is missing is the submission check's list (assessment.domain.completeness), shown
above the preview.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Prefetch
from django.utils import timezone

from assessment.domain.completeness import Gap
from assessment.domain.scoring import Total
from assessment.models import (
    AuditEntry,
    Deduction,
    EvaluationPoint,
    GroupMember,
    ItemAssessment,
    Method,
    Problem,
    Target,
)
from assessment.selectors.workspace import ItemState, item_states, submission_gaps, target_total
from assessment.services import sampling as sampling_services
from core.numbers import points_text
from core.officialdoc import Block, Kind
from core.prose import chinese_date, clean, date_range, headline, paragraphs, run_on, sentence
from core.text import chinese_ordinal, shi
from rectification.selectors import found_before


@dataclass
class ReportContext:
    title: str
    blocks: list[Block]
    draft: bool
    status_label: str
    file_name: str
    timestamp: dt.datetime  # from the data, so the same data gives the same file
    target_id: int
    total: Total | None = None
    gaps: list[Gap] = field(default_factory=list)  # what still keeps it from being submitted

    def headings(self) -> list[str]:
        return [b.text for b in self.blocks if b.is_heading]

    @property
    def warnings(self) -> list[str]:
        return [gap.text for gap in self.gaps]


def numbered(sentences: list[str]) -> str:
    """一是…。二是…。 run together in one paragraph; a list of one is written as it is (一是
    without a 二是 is not written)."""
    if len(sentences) == 1:
        return sentences[0]
    return "".join(f"{shi(i)}{text}" for i, text in enumerate(sentences))


def numbered_start(index: int, count: int) -> str:
    """The 一是 opening the ``index``-th of ``count`` paragraphs; nothing when there is one."""
    return "" if count == 1 else shi(index)


PENDING_SCORE = "（尚未评分）"
NO_PROBLEM = "经考核，未发现该项存在明显问题。"


def placeholder(what: str) -> str:
    """The visible mark of something still to be written: 【待填写：总体评价】."""
    return f"【待填写：{what}】"


def _mention(text: str, unit, county: str = "") -> str:
    """Name the unit after the text unless the text already does (县交通运输局 counts for 青山县交通运输局)."""
    if unit is None:
        return text
    short = unit.name.removeprefix(county)
    if unit.name in text or (len(short) >= 2 and short in text):
        return text
    return f"{text}（{unit.name}）"


def _deduction_parts(deductions: list[Deduction], county: str) -> str:
    return "；".join(
        f"{_mention(clean(d.reason).rstrip('。；;，,'), d.unit, county)}，扣{points_text(d.points)}分"
        for d in deductions
    )


def score_sentence(
    state: ItemState,
    deductions: list[Deduction],
    assessment: ItemAssessment | None,
    bonus_enabled: bool,
    county: str = "",
) -> str:
    """1.得分情况: the full score, the score, and each deduction with its reason. An item not yet
    decided has no score: "（尚未评分）", with the deductions recorded so far."""
    full, deducted = points_text(state.item.full_score), points_text(state.deducted)
    if not state.decided:
        text = f"该项满分{full}分{PENDING_SCORE}。"
        if deductions:
            text += f"目前已记录扣分{deducted}分，其中：{_deduction_parts(deductions, county)}。"
        return text
    score = points_text(state.score)
    if not deductions:
        text = f"该项满分{full}分，考核得分{score}分，未扣分。"
    else:
        text = (
            f"该项满分{full}分，考核得分{score}分，扣{deducted}分。其中："
            + _deduction_parts(deductions, county)
            + "。"
        )
        if state.facts.deducted_beyond_full:
            text += "扣分合计超过该项满分，按0分计。"
    if bonus_enabled and assessment is not None and assessment.bonus:
        reason = clean(assessment.bonus_reason).rstrip("。")
        text += f"另加{points_text(assessment.bonus)}分" + (f"：{reason}。" if reason else "。")
    return text


def points_run(points: list[EvaluationPoint]) -> str:
    """The evaluation's points as the seed runs them: 一是凝聚人心有声势。依托……。二是…… (one point:
    its headline and body, without 一是)."""
    return numbered([f"{headline(p.headline)}{sentence(p.body) if clean(p.body) else ''}" for p in points])


def evaluation_blocks(assessment: ItemAssessment | None, points: list[EvaluationPoint]) -> list[Block]:
    """2.总体评价: the lead, then the points run on in the lead's last paragraph, as the seed has it.
    A missing lead is a placeholder (the points, if any, follow in a paragraph of their own)."""
    lead = [sentence(p) for p in paragraphs(assessment.lead)] if assessment else []
    run = points_run(points) if points else ""
    if not lead:
        blocks = [Block(Kind.BODY, placeholder("总体评价" if not run else "总体评价导语"), placeholder=True)]
        return blocks + ([Block(Kind.BODY, run)] if run else [])
    lead[-1] += run
    return [Block(Kind.BODY, p) for p in lead]


def _again(problem: Problem) -> str:
    """A problem confirmed found in an earlier year's assessment (rectification.Recurrence) says so."""
    return "（上年考核已指出）" if getattr(problem, "repeated", False) else ""


def problem_block(state: ItemState, problems: list[Problem], county: str = "") -> Block:
    """3.问题清单: 一是…。二是…。 in one paragraph (one problem: as it is). "No problem found" only
    for a decided item without deductions; otherwise what is still to do."""
    if problems:
        return Block(
            Kind.BODY,
            numbered(
                [sentence(_mention(clean(p.text).rstrip("。"), p.unit, county) + _again(p)) for p in problems]
            ),
        )
    if state.facts.found_nothing:
        return Block(Kind.BODY, NO_PROBLEM)
    if state.facts.deductions_without_problem:  # deductions are problems found: they must be listed
        return Block(Kind.BODY, placeholder("问题清单（该项有扣分，请列明发现的问题）"), placeholder=True)
    return Block(Kind.BODY, PENDING_SCORE, placeholder=True)  # not decided: nothing to say yet


def example_paragraph(number: int, count: int, title: str, body: str) -> str:
    """（1）标题。正文。 — or one sentence when the body carries on its title (see text.run_on).
    The only example is not numbered (a （1） without a （2） is not written)."""
    return ("" if count == 1 else f"（{number}）") + run_on(title, body)


def _leader(target: Target):
    membership = (
        GroupMember.objects.filter(group_id=target.group_id, role=GroupMember.Role.LEADER)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _timestamp(target: Target) -> dt.datetime:
    """When the report's data last changed: the report is dated by its data, not by the clock."""
    last_change = AuditEntry.objects.filter(target=target).aggregate(at=Max("at"))["at"]
    candidates = [t for t in (last_change, target.status_changed_at, target.narrative_updated_at) if t]
    return max(candidates) if candidates else target.created_at


def report_date(target: Target, timestamp: dt.datetime) -> dt.date:
    """The date under the signature: the group's last day, else the campaign's, else the data's."""
    return target.group.end_date or target.campaign.period_end or timezone.localtime(timestamp).date()


@dataclass
class ReportSource:
    """What a report is written from: the target and its records, read in a fixed number of queries."""

    target: Target
    states: list[ItemState]
    total: Total
    deductions: list[Deduction]
    assessments: dict[int, ItemAssessment]
    problems: list[Problem]
    examples: list
    recommendations: list
    leader: object | None
    sampling: str  # 考核组抽查了…
    timestamp: dt.datetime


def read_report_source(target: Target) -> ReportSource:
    target = Target.objects.select_related("campaign", "group", "unit").get(pk=target.pk)
    states = item_states(target)
    return ReportSource(
        target=target,
        states=states,
        total=target_total(states),
        deductions=list(
            Deduction.objects.filter(target=target)
            .select_related("unit", "criterion")
            .order_by("item__order", "criterion__order", "pk")
        ),
        assessments={
            a.item_id: a
            for a in ItemAssessment.objects.filter(target=target).prefetch_related(
                Prefetch("points", queryset=EvaluationPoint.objects.order_by("position", "pk"))
            )
        },
        problems=list(
            Problem.objects.filter(target=target)
            .select_related("unit")
            .annotate(repeated=found_before())
            .order_by("item__order", "position", "pk")
        ),
        examples=list(target.examples.select_related("unit").order_by("position", "pk")),
        recommendations=list(target.recommendations.order_by("position", "pk")),
        leader=_leader(target),
        sampling=sampling_services.target_sentence(target),
        timestamp=_timestamp(target),
    )


def report_title(target: Target) -> str:
    return f"关于{target.unit.name}{target.campaign.year}年度党建工作年终考核情况的报告"


def opening_blocks(source: ReportSource) -> list[Block]:
    """The title, and who went where when, on whose instruction."""
    target = source.target
    campaign, group, county = target.campaign, target.group, target.unit
    when = date_range(group.start_date, group.end_date)
    led = f"{group.name}由{source.leader}同志带队" if source.leader else group.name
    opening = (
        f"按照{campaign.issuer}统一部署，"
        + (f"{when}，" if when else "")
        + f"{led}，赴{county.name}开展{campaign.year}年度党建工作年终考核。现将有关情况报告如下："
    )
    return [Block(Kind.TITLE, report_title(target)), Block(Kind.BODY, opening)]


def work_blocks(source: ReportSource) -> list[Block]:
    """一、工作情况: how the group worked (the sample, the methods), then the group's narrative."""
    group = source.target.group
    method_labels = [str(m.label) for m in Method if m.value in group.methods]
    how = f"采取{'、'.join(method_labels)}等方式，" if method_labels else ""
    blocks = [
        Block(Kind.H1, "一、工作情况"),
        Block(
            Kind.BODY,
            f"{source.sampling}按照集中组织、分头实施的原则，{how}对照考核项目清单，检查考核所列项目落实情况。",
        ),
    ]
    narrative = paragraphs(source.target.narrative)
    if narrative:
        blocks += [Block(Kind.BODY, sentence(p)) for p in narrative]
    else:
        blocks.append(Block(Kind.BODY, placeholder("工作情况"), placeholder=True))
    return blocks


def item_blocks(source: ReportSource) -> list[Block]:
    """二、考核项目落实情况: each item's score, evaluation and problems."""
    campaign, county = source.target.campaign, source.target.unit
    blocks = [Block(Kind.H1, "二、考核项目落实情况")]
    for index, state in enumerate(source.states, start=1):
        item = state.item
        assessment = source.assessments.get(item.pk)
        blocks.append(Block(Kind.H2, f"（{chinese_ordinal(index)}）{clean(item.title)}"))
        blocks.append(Block(Kind.H3, "1.得分情况"))
        item_deductions = [d for d in source.deductions if d.item_id == item.pk]
        blocks.append(
            Block(
                Kind.BODY,
                score_sentence(state, item_deductions, assessment, campaign.bonus_enabled, county.name),
                placeholder=not state.decided,
            )
        )
        blocks.append(Block(Kind.H3, "2.总体评价"))
        blocks += evaluation_blocks(assessment, list(assessment.points.all()) if assessment else [])
        blocks.append(Block(Kind.H3, "3.问题清单"))
        blocks.append(problem_block(state, [p for p in source.problems if p.item_id == item.pk], county.name))
    return blocks


def suggestion_blocks(source: ReportSource) -> list[Block]:
    """三、有关意见建议: the typical examples worth spreading and the recommendations. "None found" is
    said only once the assessment is complete; before, a placeholder."""
    examples, recommendations, complete = source.examples, source.recommendations, source.total.complete
    blocks = [Block(Kind.H1, "三、有关意见建议"), Block(Kind.H3, "1.发现值得推广的典型")]
    if examples:
        for number, example in enumerate(examples, start=1):
            body = " ".join(paragraphs(example.body))
            blocks.append(Block(Kind.BODY, example_paragraph(number, len(examples), example.title, body)))
    elif complete:
        blocks.append(Block(Kind.BODY, "考核中未发现需要专门推广的典型。"))
    else:
        blocks.append(Block(Kind.BODY, placeholder("值得推广的典型"), placeholder=True))
    blocks.append(Block(Kind.H3, "2.工作改进建议"))
    if recommendations:
        for i, recommendation in enumerate(recommendations):
            body = " ".join(paragraphs(recommendation.body))
            opening = numbered_start(i, len(recommendations))
            blocks.append(
                Block(
                    Kind.BODY, f"{opening}{headline(recommendation.headline)}{sentence(body) if body else ''}"
                )
            )
    elif complete:
        blocks.append(Block(Kind.BODY, "暂无。"))
    else:
        blocks.append(Block(Kind.BODY, placeholder("工作改进建议"), placeholder=True))
    return blocks


def closing_blocks(source: ReportSource) -> list[Block]:
    """The group's signature and the report's date."""
    target = source.target
    return [
        Block(Kind.SIGNATURE, target.group.name),
        Block(Kind.DATE, chinese_date(report_date(target, source.timestamp))),
    ]


def build_report(target: Target) -> ReportContext:
    """Everything the report says about ``target``, in order: read once, then written part by part.
    A fixed number of queries."""
    source = read_report_source(target)
    target = source.target
    blocks = [
        *opening_blocks(source),
        *work_blocks(source),
        *item_blocks(source),
        *suggestion_blocks(source),
        *closing_blocks(source),
    ]
    draft = target.status != Target.Status.FINALIZED
    name = f"{target.unit.name}{target.campaign.year}年度党建考核报告"
    return ReportContext(
        title=report_title(target),
        blocks=blocks,
        draft=draft,
        status_label=target.get_status_display(),
        file_name=name + ("（草稿）" if draft else "") + ".docx",
        timestamp=source.timestamp,
        target_id=target.pk,
        total=source.total,
        gaps=submission_gaps(target, source.states),
    )
