"""The assessed unit's part and the ledger in the demo: 青山县's liaison 黄晓梅 in the city's 2020
and 2021 campaigns; 2020's problems in the ledger, one closed (with measures, evidence and the
department's note), one being rectified, one untouched and overdue with a 催办; their open ones
carried into 2021 (上年遗留); a 2021 problem confirmed found again (重复发生); 青山县's 2021
feedback on its approved findings, one objection answered (维持); 绿水县's liaison and its
self-report, handed in while it is being assessed.
Idempotent: a campaign whose unit already has a liaison is left as it is."""

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from docx import Document

from assessment.demo import data as campaign_data
from assessment.models import Campaign, Problem, Target
from core.demo import DemoPart
from liaison import services as liaison_services
from liaison.models import Liaison

from . import services
from .models import Entry

COUNTY = "青山县"


def _docx(title: str, lines: list[str], name: str) -> SimpleUploadedFile:
    document = Document()
    document.add_heading(title, level=1)
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _ledger_2020(previous: Campaign, liaison_user, reviewer) -> None:
    # Rectified in 2021: the deadlines of that year (the demo finalized the campaign today).
    for entry in Entry.objects.filter(campaign=previous).select_related("unit"):
        mine = entry.unit.name == COUNTY
        services.entry_edit(
            entry=entry,
            deadline=dt.date(2021, 4, 30),
            responsible_unit="青山县委组织部" if mine else entry.responsible_unit,
            responsible_person="刘志明" if mine else entry.responsible_person,
            user=reviewer,
        )
    entries = list(Entry.objects.filter(campaign=previous, unit__name=COUNTY).order_by("position"))
    if len(entries) < 3:
        return
    done, going, untouched = entries[:3]
    services.measures_save(
        entry=done,
        measures="一是逐项梳理台账缺项，建立“一月一查”制度；二是对相关制度执行情况开展专项督查。",
        responsible_person="刘志明",
        user=liaison_user,
    )
    services.progress_add(
        entry=done,
        text="已完成全县党建工作台账集中整理。",
        upload=_docx("台账整理情况", ["已逐项补齐台账43本。"], "台账整理情况.docx"),
        user=liaison_user,
    )
    services.completion_save(
        entry=done, note="全县党建工作台账已补齐并建立月查制度，整改完成。", user=liaison_user
    )
    services.closure_request(entry=done, user=liaison_user)
    services.close(entry=done, note="经实地核查，台账齐全，月查制度落实，同意销号。", user=reviewer)
    services.measures_save(
        entry=going,
        measures="修订制度执行清单，每季度通报执行情况。",
        responsible_person="王海",
        user=liaison_user,
    )
    services.progress_add(entry=going, text="已修订执行清单，第一季度通报已印发。", user=liaison_user)
    services.remind(entries=[untouched], user=reviewer)


def _self_report(campaign: Campaign, unit_name: str, liaison_user) -> None:
    """绿水县, still being assessed, has handed in its self-report."""
    target = Target.objects.filter(campaign=campaign, unit__name=unit_name).select_related("unit").first()
    if target is None or liaison_services.files_refusal(campaign, target.unit):
        return
    liaison_services.unit_file_add(
        campaign=campaign,
        unit=target.unit,
        purpose="self_report",
        upload=_docx(
            f"{unit_name}2021年度党建工作自查报告",
            ["一、主要做法", "二、存在问题", "一是基层党建工作发展不够平衡。", "三、下一步打算"],
            f"{unit_name}2021年度党建工作自查报告.docx",
        ),
        note="县委办公室报送",
        user=liaison_user,
    )


def _feedback_2021(campaign: Campaign, liaison_user, reviewer) -> None:
    """青山县's findings approved: its feedback submitted, one objection answered (维持)."""
    target = (
        Target.objects.filter(campaign=campaign, unit__name=COUNTY).select_related("campaign", "unit").first()
    )
    if target is None or target.status != Target.Status.APPROVED:
        return
    feedback = liaison_services.open_feedback(target)
    for number, line in enumerate(liaison_services.feedback_lines(target)):
        objection = number == 1
        answer = liaison_services.answer_save(
            feedback=feedback,
            problem=line.problem,
            comment_problem=line.comment_problem,
            agrees=not objection,
            reason="该问题已于2021年12月整改到位，相关台账已补齐。" if objection else "",
            user=liaison_user,
        )
        if objection:
            objected = answer
    liaison_services.feedback_submit(feedback=feedback, user=liaison_user)
    liaison_services.ruling_save(
        answer=objected,
        ruling="keep",
        reason="经核实，考核时该项工作确未落实到位，整改在考核之后，维持原问题。",
        user=reviewer,
    )


def _recurrence_2021(campaign: Campaign, previous: Campaign, user) -> None:
    earlier = Entry.objects.filter(campaign=previous, unit__name=COUNTY, source=Entry.Source.INSPECTION)
    for problem in Problem.objects.filter(
        target__campaign=campaign, target__unit__name=COUNTY
    ).select_related("item", "target__campaign"):
        match = earlier.filter(item_title=problem.item.title).first()
        if match is not None:
            services.recurrence_decide(problem=problem, earlier=match, same=True, user=user)
            return


@transaction.atomic
def load(*, reset_passwords: bool = False) -> DemoPart:
    User = get_user_model()
    liaison_user = User.objects.filter(username="qsliaison").first()
    other_liaison = User.objects.filter(username="lsliaison").first()
    reviewer = User.objects.filter(username=campaign_data.REVIEWERS[0]).first()
    admin = User.objects.filter(username="admin").first()
    campaign = Campaign.objects.filter(title=campaign_data.CAMPAIGN_TITLE).first()
    previous = Campaign.objects.filter(title=campaign_data.PREVIOUS_TITLE).first()
    if None in (liaison_user, other_liaison, reviewer, admin, campaign, previous):
        return DemoPart()
    if Liaison.objects.filter(campaign=campaign, unit__name=COUNTY).exists():
        return DemoPart()
    county = Target.objects.get(campaign=campaign, unit__name=COUNTY).unit
    for year_campaign in (previous, campaign):
        liaison_services.liaison_add(campaign=year_campaign, unit=county, user=liaison_user, by=admin)
    _ledger_2020(previous, liaison_user, reviewer)
    # The 2021 campaign was set up before this year's work on the 2020 ledger was loaded: carry
    # again, as it would have been carried in January 2022, and give the carried ones a deadline.
    for stale in Entry.objects.filter(campaign=campaign, unit=county, source=Entry.Source.CARRIED):
        stale.delete()
    services.carry_over(campaign, [county])
    for carried in Entry.objects.filter(
        campaign=campaign, source=Entry.Source.CARRIED, deadline__isnull=True
    ):
        services.entry_edit(
            entry=carried,
            deadline=dt.date(2022, 4, 29),
            responsible_unit=carried.responsible_unit,
            responsible_person=carried.responsible_person,
            user=reviewer,
        )
    _recurrence_2021(campaign, previous, user=User.objects.get(username="leader"))
    _feedback_2021(campaign, liaison_user, reviewer)
    lvshui = Target.objects.get(campaign=campaign, unit__name="绿水县").unit
    liaison_services.liaison_add(campaign=campaign, unit=lvshui, user=other_liaison, by=admin)
    _self_report(campaign, "绿水县", other_liaison)
    found = Entry.objects.filter(campaign=previous).count()
    carried = Entry.objects.filter(campaign=campaign, source=Entry.Source.CARRIED).count()
    return DemoPart(
        summary=f"整改台账（2020年度{found}个问题，{carried}个转入2021年度），"
        "联络员 qsliaison（青山县）、lsliaison（绿水县）"
    )
