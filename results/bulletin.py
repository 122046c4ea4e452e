"""The campaign's 通报, drafted from the data in the manner of seed 004 and laid out as the
inspection report is (core.officialdoc, GB/T 9704).

``draft(results)`` writes the text an administrator then edits: the overall situation and the
scores, the grades (the top grade's units named), the achievements drawn from the groups'
总体评价 and 典型经验, the common problems across units each followed by "比如：" and concrete
cases (units named only when the scheme allows it, else "有的单位"), and the suggestions
drawn from the groups' recommendations. The text is plain lines: the first is the title, a
line opening with 一、 is a heading, with （一） a second-level one; the signature and the
date are fields of their own. ``render(bulletin)`` turns the stored text into the Word file:
the same text, signature, date and time give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict

from django.utils import timezone

from assessment.models import AssessmentGroup, EvaluationPoint, Problem, Recommendation, TypicalExample
from core.officialdoc import Block, Kind, SimplePaper, render_docx
from core.prose import chinese_date, clean, date_range, headline, sentence
from core.text import chinese_ordinal, shi
from rectification.selectors import ledger_of_previous_year
from rectification.selectors import repeats as repeats_of

from .selectors import Results

CASES_PER_PROBLEM = 3  # "比如：" names at most this many cases
POINTS_PER_ITEM = 3
SUGGESTIONS = 5
_H1 = re.compile(r"^[一二三四五六七八九十]+、")
_H2 = re.compile(r"^（[一二三四五六七八九十]+）")


def title_of(results: Results) -> str:
    return f"关于{results.campaign.title}结果的通报"


def signature_of(results: Results) -> str:
    """中共云山市委组织部 when the issuer names its place; 市委组织部 for a bare 市委 (never
    "中共市委组织部", which no office writes)."""
    issuer = (results.campaign.issuer or "").removeprefix("中共")
    if issuer in ("", "市委", "县委", "区委", "州委"):
        return f"{issuer or '党委'}组织部"
    return f"中共{issuer}组织部"


def _target_word(results: Results) -> str:
    """各县（市、区） in a city's 通报; 各乡镇（部门） in a county's."""
    word = results.campaign.target_word
    return "县（市、区）" if word == "县（区）" else word


def _overview(results: Results) -> list[str]:
    campaign = results.campaign
    groups = AssessmentGroup.objects.filter(campaign=campaign).count()
    units = len(results.rows)
    when = date_range(campaign.period_start, campaign.period_end)
    parts = "、".join(c.label for c in results.components)
    opening = (
        f"根据{campaign.issuer}统一部署，{when + '，' if when else ''}{campaign.issuer}组织{groups}个考核组，"
        f"采取{parts}相结合的方式，对{units}个{_target_word(results)}{campaign.year}年度党建工作进行了考核。"
        "现将考核结果通报如下。"
    )
    scores = [r.result.score for r in results.rows if r.result.score is not None]
    lines = [opening, "一、总体情况"]
    if scores:
        average = sum(scores) / len(scores)
        summary = (
            f"从考核情况看，各{_target_word(results)}认真落实党建工作责任，基层党建工作整体推进有力。"
            f"{len(scores)}个{_target_word(results)}综合得分平均{_points(average)}分，"
            f"最高{_points(max(scores))}分，最低{_points(min(scores))}分。"
        )
        lines.append(summary)
    graded = defaultdict(list)
    for row in results.rows:
        if row.result.grade:
            graded[row.result.grade].append(row.target.unit.name)
    if graded:
        bands = [b.label for b in results.rule.bands]
        counts = "，".join(f"“{label}”等次{len(graded[label])}个" for label in bands if graded[label])
        top = bands[0]
        named = f"其中，评定为“{top}”等次的是：{'、'.join(graded[top])}。" if graded[top] else ""
        lines.append(f"经综合评定，{counts}。{named}")
    unknown = [r.target.unit.name for r in results.rows if r.result.score is None]
    if unknown:
        lines.append(f"{'、'.join(unknown)}的考核结果尚未最终确定，另行通报。")
    return lines


def _points(value) -> str:
    return format(value.quantize(value.__class__("0.01")).normalize(), "f")


def _achievements(results: Results) -> list[str]:
    campaign = results.campaign
    by_item: dict[int, list[tuple[str, str]]] = defaultdict(list)
    titles: dict[int, str] = {}
    points = (
        EvaluationPoint.objects.filter(assessment__target__campaign=campaign)
        .select_related("assessment__item", "assessment__target__unit")
        .order_by("assessment__item__order", "assessment__target__unit__name", "position", "pk")
    )
    for point in points:
        item = point.assessment.item
        titles[item.pk] = item.title
        if len(by_item[item.pk]) < POINTS_PER_ITEM:
            by_item[item.pk].append(
                (point.assessment.target.unit.name, clean(point.headline).rstrip("。；;"))
            )
    lines = ["二、主要成效"]
    paragraphs = []
    for item_pk, entries in by_item.items():
        cases = "；".join(f"{unit}{text}" for unit, text in entries)
        paragraphs.append(f"在{clean(titles[item_pk]).rstrip('。')}方面，{cases}。")
    if paragraphs:
        lines.append("".join(f"{shi(i)}{p}" if len(paragraphs) > 1 else p for i, p in enumerate(paragraphs)))
    examples = list(
        TypicalExample.objects.filter(target__campaign=campaign)
        .select_related("target__unit")
        .order_by("target__unit__name", "position", "pk")[:8]
    )
    if examples:
        named = "、".join(f"{e.target.unit.name}“{clean(e.title).rstrip('。')}”" for e in examples)
        lines.append(f"各地在实践中形成了{named}等一批可学可鉴的经验做法。")
    if len(lines) == 1:
        return []
    return lines


def _problems(results: Results) -> list[str]:
    campaign = results.campaign
    name_units = results.scheme.name_units
    problems = (
        Problem.objects.filter(target__campaign=campaign)
        .select_related("item", "target__unit")
        .order_by("item__order", "target__unit__name", "position", "pk")
    )
    by_item: dict[int, list[Problem]] = defaultdict(list)
    units_by_item: dict[int, set[int]] = defaultdict(set)
    titles = {}
    for problem in problems:
        by_item[problem.item_id].append(problem)
        units_by_item[problem.item_id].add(problem.target_id)
        titles[problem.item_id] = problem.item.title
    if not by_item:
        return []
    # Common first: the items flagged in the most units.
    order = sorted(by_item, key=lambda pk: (-len(units_by_item[pk]), by_item[pk][0].item.order))
    paragraphs = []
    for item_pk in order:
        cases, seen = [], set()
        for problem in by_item[item_pk]:
            if problem.target_id in seen:
                continue
            seen.add(problem.target_id)
            who = problem.target.unit.name if name_units else "有的单位"
            cases.append(f"{who}{clean(problem.text).rstrip('。；;')}")
            if len(cases) == CASES_PER_PROBLEM:
                break
        count = len(units_by_item[item_pk])
        general = f"在{clean(titles[item_pk]).rstrip('。')}方面还有差距，{count}个{_target_word(results)}不同程度存在问题"
        paragraphs.append(f"{general}。比如：{'；'.join(cases)}。")
    text = "".join(f"{shi(i)}{p}" if len(paragraphs) > 1 else p for i, p in enumerate(paragraphs))
    lines = [
        "三、存在的问题",
        "考核中也发现，全面从严治党和基层党建工作还存在一些需要着力解决的问题。" + text,
    ]
    if recurring := _recurring(results):
        lines.append(recurring)
    return lines


def _recurring(results: Results) -> str:
    """The problems found again (屡查屡犯, from the ledger and this year's problems) and how last
    year's ledger stands: "" when there is nothing to say."""
    name_units = results.scheme.name_units
    repeats = repeats_of(results.campaign)
    cases = []
    for repeat in repeats[:CASES_PER_PROBLEM]:
        who = repeat.unit.name if name_units else "有的单位"
        years = "、".join(str(y) for y in repeat.years)
        cases.append(f"{who}在{clean(repeat.item_title).rstrip('。')}方面连续被指出问题（{years}年）")
    text = ""
    if cases:
        units = len({repeat.unit.pk for repeat in repeats})
        text = (
            f"同时，一些问题屡查屡犯，{units}个单位有同一方面的问题连续两年被指出。比如：{'；'.join(cases)}。"
        )
    last_year = ledger_of_previous_year(results.campaign)
    if last_year is not None and last_year.found:
        text += (
            f"上年考核发现的问题中，已完成整改{last_year.closed}个，仍有{last_year.in_progress}个正在办理"
            + (f"，其中逾期{last_year.overdue}个" if last_year.overdue else "")
            + "，整改不到位、问题反弹的现象仍然存在。"
            if last_year.in_progress
            else f"上年考核发现的{last_year.found}个问题已全部完成整改。"
        )
    return text


def _suggestions(results: Results) -> list[str]:
    campaign = results.campaign
    counted = Counter(
        headline(h).rstrip("。")
        for h in Recommendation.objects.filter(target__campaign=campaign).values_list("headline", flat=True)
    )
    chosen = [text for text, _n in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))[:SUGGESTIONS]]
    lines = ["四、下一步工作要求"]
    if chosen:
        lines.append(
            "".join(
                f"{shi(i)}{sentence(t)}" if len(chosen) > 1 else sentence(t) for i, t in enumerate(chosen)
            )
        )
    lines.append(
        "各单位要对照本通报指出的问题，逐条逐项抓好整改，建立整改台账，明确责任和时限，"
        "不能问题年年提、年年涛声依旧，切实以问题整改推动基层党建工作提质增效。"
    )
    return lines


def draft(results: Results) -> str:
    """The drafted body of the 通报 (without the title, signature and date): plain lines."""
    lines = _overview(results) + _achievements(results) + _problems(results) + _suggestions(results)
    # Renumber the headings in order, as sections may be absent.
    number = 0
    numbered = []
    for line in lines:
        if _H1.match(line):
            number += 1
            line = f"{chinese_ordinal(number)}、{_H1.sub('', line)}"
        numbered.append(line)
    return "\n".join(numbered)


def blocks(title: str, body: str, signature: str, date: dt.date) -> list[Block]:
    out = [Block(Kind.TITLE, title)]
    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        if _H1.match(line) and len(line) <= 40:
            out.append(Block(Kind.H1, line))
        elif _H2.match(line) and len(line) <= 40:
            out.append(Block(Kind.H2, line))
        else:
            out.append(Block(Kind.BODY, line))
    out.append(Block(Kind.SIGNATURE, signature))
    out.append(Block(Kind.DATE, chinese_date(date)))
    return out


def file_name(title: str) -> str:
    return f"{title}.docx"


def render(bulletin) -> bytes:
    """The stored 通报 as .docx bytes; 草稿 in the header until it is fixed."""
    stamp = bulletin.fixed_at or bulletin.updated_at or timezone.now()
    context = SimplePaper(
        title=bulletin.title,
        blocks=blocks(bulletin.title, bulletin.body, bulletin.signature, bulletin.date),
        draft=bulletin.fixed_at is None,
        timestamp=stamp,
    )
    return render_docx(context)


# --- 考核结果反馈: one page per unit --------------------------------------------------------------


def feedback_blocks(results: Results, row, *, date: dt.date) -> list[Block]:
    """A unit's 考核结果反馈: its result, components, bonus/penalty/veto with reasons, the problems
    found, and the deadline for its rectification plan."""
    campaign, result = results.campaign, row.result
    unit = row.target.unit.name
    title = f"关于{unit}{campaign.title}结果的反馈"
    out = [Block(Kind.TITLE, title), Block(Kind.BODY, f"{unit}党委：")]
    if result.score is None:
        out.append(Block(Kind.BODY, "你单位的考核结果尚未最终确定，确定后另行反馈。", placeholder=True))
    else:
        rank = f"，在{len(results.rows)}个考核对象中排第{result.rank}位" if result.rank else ""
        grade = f"，等次为“{result.grade}”" if result.grade else ""
        manual = f"（经研究调整，理由：{clean(result.manual_reason).rstrip('。')}）" if result.manual else ""
        out.append(
            Block(
                Kind.BODY,
                f"根据{campaign.title}安排，经实地考核、述职评议、民主测评和综合评定，"
                f"你单位综合得分{_points(result.score)}分{rank}{grade}{manual}。",
            )
        )
        parts = "，".join(
            f"{component.label}{_points(value.score)}分（权重{format(component.weight.normalize(), 'f')}%）"
            for component, value in row.cells
        )
        extra = []
        for award in row.awards:
            if award.item.is_veto:
                extra.append(f"因“{award.item.label}”一票否决（{clean(award.reason).rstrip('。')}）")
            else:
                sign = "加" if award.item.kind == "bonus" else "减"
                extra.append(
                    f"{sign}{_points(award.points)}分（{award.item.label}：{clean(award.reason).rstrip('。')}）"
                )
        tail = f"；{'；'.join(extra)}" if extra else ""
        out.append(Block(Kind.BODY, f"其中，{parts}{tail}。"))
    problems = list(
        Problem.objects.filter(target=row.target)
        .select_related("item")
        .order_by("item__order", "position", "pk")
    )
    out.append(Block(Kind.H1, "一、存在的主要问题"))
    if problems:
        texts = [sentence(p.text) for p in problems]
        out.append(
            Block(Kind.BODY, "".join(f"{shi(i)}{t}" if len(texts) > 1 else t for i, t in enumerate(texts)))
        )
    else:
        out.append(Block(Kind.BODY, "考核组未列出问题。"))
    out.append(Block(Kind.H1, "二、整改要求"))
    due = date + dt.timedelta(days=results.scheme.rectification_days)
    out.append(
        Block(
            Kind.BODY,
            f"请你单位对照上述问题，认真研究制定整改方案，明确整改措施、责任人和完成时限，"
            f"于{chinese_date(due)}前将整改方案报送{campaign.issuer}组织部。",
        )
    )
    out.append(Block(Kind.SIGNATURE, signature_of(results)))
    out.append(Block(Kind.DATE, chinese_date(date)))
    return out


def feedback_name(results: Results, row) -> str:
    return f"{row.target.unit.name}考核结果反馈.docx"


def render_feedback(results: Results, row, *, date: dt.date) -> bytes:
    title = f"{row.target.unit.name}考核结果反馈"
    stamp = results.scheme.confirmed_at or timezone.make_aware(dt.datetime.combine(date, dt.time()))
    context = SimplePaper(
        title=title,
        blocks=feedback_blocks(results, row, date=date),
        draft=results.provisional,
        timestamp=stamp,
    )
    return render_docx(context)
