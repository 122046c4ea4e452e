"""Nothing past submission changes without a reopen: sampling, groups, the checklist and the
campaign's settings obey the findings' lock (assessment.domain.locks), each refusal naming the
county and its state, each allowed change in the county's 修改记录; a county holding work
leaves its group only by 移交. The same rule over every URL and role: tests/test_lock_matrix.py."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assessment.domain import locks as rule
from assessment.models import (
    AssessmentGroup,
    AuditEntry,
    Campaign,
    ChecklistItem,
    Deduction,
    GroupMember,
    ItemAssessment,
    SampledUnit,
    SamplingPlan,
    Target,
    WorkflowEvent,
)
from assessment.services import findings, workflow
from assessment.services.campaigns import campaign_update
from assessment.services.checklist import CriterionInput, item_delete, item_move, item_save
from assessment.services.editing import LATEST, EditConflict
from assessment.services.groups import group_save, target_move
from assessment.services.locks import Locked
from assessment.services.sampling import (
    current_draw,
    sample_add_manual,
    sample_draw,
    sample_remove_manual,
    sampling_plan_reset,
    sampling_plan_set,
)
from reports.models import ReportExport
from tests.factories import UnitFactory
from tests.test_lock_matrix import fingerprint
from units.models import Unit

pytestmark = pytest.mark.django_db

Status = Target.Status
LOCKED_SAMPLE = "青山县{state}，抽查名单不能修改；如需修改请先由管理员重新打开。"


def set_status(target: Target, status: str) -> None:
    Target.objects.filter(pk=target.pk).update(status=status)


def close(campaign: Campaign) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)


def entries(target: Target, model: str | None = None):
    qs = AuditEntry.objects.filter(target=target).order_by("pk")
    return qs.filter(model=model) if model else qs


# --- the rule itself -----------------------------------------------------------------------------


def test_the_rule_names_each_locked_county_and_its_state():
    assert rule.refusal(what="抽查名单", campaign_closed=False, counties=[("青山县", "drafting")]) is None
    assert rule.refusal(what="抽查名单", campaign_closed=False, counties=[("青山县", "returned")]) is None
    assert rule.refusal(
        what="考核项目清单",
        campaign_closed=False,
        counties=[("青山县", "submitted"), ("绿水县", "drafting"), ("白云县", "finalized")],
    ) == ("青山县已提交审核、白云县已定稿，考核项目清单不能修改；如需修改请先由管理员重新打开。")
    assert rule.refusal(what="考核组", campaign_closed=True, counties=[("青山县", "drafting")]) == (
        "考核工作已结束，考核组不能修改；如需修改请先由管理员重新开启考核工作。"
    )
    many = [(f"{n}县", "approved") for n in "一二三四五"]
    assert rule.refusal(what="考核组", campaign_closed=False, counties=many).startswith(
        "一县已审核通过、二县已审核通过、三县已审核通过等5个考核对象"
    )


# --- sampling ------------------------------------------------------------------------------------


@pytest.fixture
def drawn(setup):
    target = setup["qs_target"]
    sample_draw(target=target, seed=3, user=setup["admin"])
    organ = Unit.objects.filter(parent=setup["qingshan"], kind=Unit.Kind.COUNTY_ORGAN).first()
    town = Unit.objects.get(parent=setup["qingshan"], kind=Unit.Kind.TOWNSHIP)
    extra = UnitFactory(name="青山县审计局", kind=Unit.Kind.COUNTY_ORGAN, parent=setup["qingshan"])
    picked = UnitFactory(name="青山县信访局", kind=Unit.Kind.COUNTY_ORGAN, parent=setup["qingshan"])
    manual = sample_add_manual(target=target, unit=picked, reason="群众反映", user=setup["leader"])
    return {**setup, "target": target, "organ": organ, "town": town, "manual": manual, "extra": extra}


@pytest.mark.parametrize(
    ("status", "shown"),
    [(Status.SUBMITTED, "已提交审核"), (Status.APPROVED, "已审核通过"), (Status.FINALIZED, "已定稿")],
)
def test_the_sample_does_not_change_after_submission(drawn, status, shown):
    target, admin, leader = drawn["target"], drawn["admin"], drawn["leader"]
    set_status(target, status)
    before = fingerprint()
    attempts = [
        lambda: sample_add_manual(target=target, unit=drawn["extra"], reason="线索", user=leader),
        lambda: sample_add_manual(target=target, unit=drawn["extra"], reason="线索", user=admin),
        lambda: sample_remove_manual(sampled_unit=drawn["manual"], user=leader),
        lambda: sample_remove_manual(sampled_unit=drawn["manual"], user=admin),
        lambda: sample_draw(target=target, seed=99, user=admin, reason="重新抽取"),
    ]
    for attempt in attempts:
        with pytest.raises(Locked) as exc:
            attempt()
        assert exc.value.messages == [LOCKED_SAMPLE.format(state=shown)]
    assert fingerprint() == before
    # A preview draws nothing and stays open: the admin may look at what a reopen would allow.
    assert sample_draw(target=target, seed=99, user=admin, dry_run=True).dry_run


def test_plans_do_not_change_after_submission_nor_in_a_closed_campaign(drawn):
    target, campaign, admin = drawn["target"], drawn["campaign"], drawn["admin"]
    sampling_plan_set(campaign=campaign, target=target, counts={"county_organs": 2}, user=admin)
    set_status(target, Status.SUBMITTED)
    with pytest.raises(Locked, match="青山县已提交审核，抽查方案不能修改"):
        sampling_plan_set(campaign=campaign, target=target, counts={"county_organs": 1}, user=admin)
    # The default plan applies to 绿水县 (open) and not to 青山县 (its own plan): it may change.
    sampling_plan_set(campaign=campaign, counts={"townships": 2}, user=admin)
    with pytest.raises(Locked, match="青山县已提交审核，抽查方案不能修改"):
        sampling_plan_reset(target=target, user=admin)
    set_status(target, Status.RETURNED)
    close(campaign)
    with pytest.raises(Locked, match="考核工作已结束，抽查方案不能修改"):
        sampling_plan_reset(target=target, user=admin)
    assert SamplingPlan.objects.get(target=target).county_organs == 2


def test_the_default_plan_is_locked_by_the_counties_that_use_it(setup):
    set_status(setup["lv_target"], Status.FINALIZED)
    with pytest.raises(Locked, match="绿水县已定稿，抽查方案不能修改"):
        sampling_plan_set(campaign=setup["campaign"], counts={"townships": 2}, user=setup["admin"])


def test_every_sampling_write_is_in_the_county_history(drawn):
    target, admin, leader = drawn["target"], drawn["admin"], drawn["leader"]
    sample_add_manual(target=target, unit=drawn["extra"], reason="线索", user=leader)
    added = entries(target, "assessment.sampledunit").last()
    assert (added.action, added.actor, added.after) == (
        "create",
        leader,
        {"单位": "青山县审计局", "类别": "专项抽查", "原因": "线索"},
    )
    extra = SampledUnit.objects.get(draw=current_draw(target), unit=drawn["extra"])
    sample_remove_manual(sampled_unit=extra, user=leader)
    removed = entries(target, "assessment.sampledunit").last()
    assert (removed.action, removed.before["单位"], removed.after) == ("delete", "青山县审计局", None)

    previous = current_draw(target)
    sample_draw(target=target, seed=5, user=admin)
    redraw = entries(target, "assessment.sampledraw").last()
    assert redraw.before["随机种子"] == str(previous.seed) and redraw.after["随机种子"] == "5"
    assert "青山县信访局" in redraw.after["抽查单位"]  # the hand-picked unit carried over

    sampling_plan_set(campaign=drawn["campaign"], target=target, counts={"county_organs": 2}, user=admin)
    plan = entries(target, "assessment.samplingplan").last()
    assert plan.before["方案"] == "本次考核默认方案" and plan.after["方案"] == "本县单独方案"
    assert plan.after["县直机关单位"] == 2
    sampling_plan_reset(target=target, user=admin)
    reset = entries(target, "assessment.samplingplan").last()
    assert (reset.action, reset.after, reset.before["县直机关单位"]) == ("delete", None, 2)
    assert not SamplingPlan.objects.filter(target=target).exists()


# --- groups --------------------------------------------------------------------------------------


def save_fifth(s, **changes):
    """The group form of 第五组 as stored, with ``changes``."""
    group = AssessmentGroup.objects.get(pk=s["fifth"].pk)
    fields = {
        "campaign": s["campaign"],
        "group": group,
        "name": group.name,
        "leader": s["leader"],
        "members": [s["member"]],
        "targets": [s["qingshan"]],
        "methods": group.methods,
        "start_date": group.start_date,
        "end_date": group.end_date,
        "note": group.note,
        "user": s["admin"],
    }
    return group_save(**{**fields, **changes})


@pytest.fixture
def finalized(setup):
    """青山县 finalized, with its narrative, a deduction, workflow history and a report download."""
    target = setup["qs_target"]
    AssessmentGroup.objects.filter(pk=setup["fifth"].pk).update(methods=["document_check"])
    setup["fifth"].refresh_from_db()
    Target.objects.filter(pk=target.pk).update(narrative="青山县工作扎实")
    Deduction.objects.create(
        target=target, item=setup["item"], points=1, reason="台账不全", created_by=setup["leader"]
    )
    for step in (Status.SUBMITTED, Status.APPROVED, Status.FINALIZED):
        WorkflowEvent.objects.create(target=target, actor=setup["admin"], from_status="x", to_status=step)
    set_status(target, Status.FINALIZED)
    ReportExport.objects.create(
        target=target,
        exported_by=setup["admin"],
        target_status="finalized",
        sha256="0" * 64,
        file_name="报告.docx",
        size=1,
    )
    return setup


def test_a_group_edit_never_deletes_a_finalized_county(finalized):
    s = finalized
    before = fingerprint()
    with pytest.raises(ValidationError) as exc:
        save_fifth(s, targets=[])
    (message,) = exc.value.message_dict["targets"]
    assert message.startswith("“青山县”已有状态：已定稿、工作情况、")
    assert "扣分 1 条" in message and "审核流程记录 3 条" in message and "移交" in message
    assert fingerprint() == before
    assert Target.objects.get(pk=s["qs_target"].pk).narrative == "青山县工作扎实"


def test_the_group_of_a_handed_in_county_does_not_change(finalized):
    s = finalized
    before = fingerprint()
    for changes in (
        {"name": "市委第九考核组"},
        {"members": []},
        {"start_date": timezone.localdate()},
        {"methods": ["document_check", "symposium"]},
        {"note": "调整"},
    ):
        with pytest.raises(Locked) as exc:
            save_fifth(s, **changes)
        assert exc.value.messages == ["青山县已定稿，考核组不能修改；如需修改请先由管理员重新打开。"]
    assert fingerprint() == before
    # Adding a county touches nobody's report: it is allowed, and saving without a change is too.
    baiyun = UnitFactory(name="白云县", kind=Unit.Kind.COUNTY, parent=s["qingshan"].parent)
    save_fifth(s, targets=[s["qingshan"], baiyun])
    assert Target.objects.filter(group=s["fifth"]).count() == 2


def test_an_empty_county_may_still_be_taken_off(setup):
    save_fifth(setup, targets=[])
    assert not Target.objects.filter(pk=setup["qs_target"].pk).exists()


def test_nothing_is_added_to_a_closed_campaign(setup):
    close(setup["campaign"])
    with pytest.raises(Locked, match="考核工作已结束，考核组不能修改"):
        save_fifth(setup, name="新名称")


def test_a_group_change_is_in_each_county_history(setup):
    s = setup
    baiyun = UnitFactory(name="白云县", kind=Unit.Kind.COUNTY, parent=s["qingshan"].parent)
    save_fifth(s, targets=[s["qingshan"], baiyun])
    save_fifth(s, targets=[s["qingshan"], baiyun], name="市委第九考核组", members=[])
    for target in Target.objects.filter(group=s["fifth"]):
        entry = entries(target, "assessment.assessmentgroup").get()
        assert entry.label == "考核组：市委第九考核组"
        assert (entry.before["考核组"], entry.after["考核组"]) == ("市委第五考核组", "市委第九考核组")
        assert (entry.before["成员"], entry.after["成员"]) == ("李组员", None)


def test_move_hands_a_county_with_all_its_work_to_another_group(finalized):
    s = finalized
    target = s["qs_target"]
    workflow.target_reopen(target=target, user=s["admin"], reason="调整考核组")
    with pytest.raises(ValidationError):  # once submitted, never removed
        save_fifth(s, targets=[])
    with pytest.raises(ValidationError, match="请说明移交的原因"):
        target_move(target=target, group=s["sixth"], reason=" ", user=s["admin"])
    with pytest.raises(PermissionDenied):
        target_move(target=target, group=s["sixth"], reason="调整", user=s["leader"])

    target_move(target=target, group=s["sixth"], reason="第五组人手不足", user=s["admin"])
    moved = Target.objects.get(pk=target.pk)
    assert moved.group == s["sixth"] and moved.narrative == "青山县工作扎实"
    assert Deduction.objects.filter(target=target).count() == 1
    assert WorkflowEvent.objects.filter(target=target).count() == 4  # three steps and the reopen
    assert ReportExport.objects.filter(target=target).count() == 1
    entry = entries(target).filter(label="移交考核组").get()
    assert (entry.actor, entry.before, entry.after) == (
        s["admin"],
        {"考核组": "市委第五考核组"},
        {"考核组": "市委第六考核组", "移交原因": "第五组人手不足"},
    )


def test_a_handed_in_county_is_moved_only_after_a_reopen(finalized):
    with pytest.raises(Locked, match="青山县已定稿，考核组不能修改"):
        target_move(
            target=finalized["qs_target"], group=finalized["sixth"], reason="调整", user=finalized["admin"]
        )
    assert Target.objects.get(pk=finalized["qs_target"].pk).group == finalized["fifth"]


def test_move_asks_for_a_recusal_reason(setup):
    s = setup
    inside = UnitFactory(name="青山县某局", kind=Unit.Kind.COUNTY_ORGAN, parent=s["qingshan"])
    type(s["other"]).objects.filter(pk=s["other"].pk).update(home_unit=inside)
    with pytest.raises(ValidationError, match="需要回避"):
        target_move(target=s["qs_target"], group=s["sixth"], reason="调整", user=s["admin"])
    target_move(
        target=s["qs_target"], group=s["sixth"], reason="调整", recusal_reason="熟悉情况", user=s["admin"]
    )
    assert GroupMember.objects.get(user=s["other"]).recusal_reason == "熟悉情况"


# --- the checklist and the campaign's settings ----------------------------------------------------


def edit_item(s, **changes):
    item = s["item"]
    criteria = [CriterionInput(c.text, c.points, c.method, c.pk) for c in item.criteria.all()]
    fields = {"campaign": s["campaign"], "item": item, "title": item.title, "full_score": Decimal(40)}
    return item_save(**{**fields, "criteria": criteria, "user": s["admin"], **changes})


def test_the_checklist_does_not_change_while_any_county_is_handed_in(setup):
    s = setup
    edit_item(s)
    set_status(s["lv_target"], Status.APPROVED)
    before = fingerprint()
    message = "绿水县已审核通过，考核项目清单不能修改；如需修改请先由管理员重新打开。"
    for attempt in (
        lambda: edit_item(s, full_score=Decimal(45), reason="上级调整"),
        lambda: item_save(
            campaign=s["campaign"],
            title="新项目",
            full_score=Decimal(5),
            criteria=[CriterionInput("要求")],
            user=s["admin"],
        ),
        lambda: item_delete(item=s["item"], user=s["admin"]),
        lambda: item_move(item=s["item"], up=False, user=s["admin"]),
    ):
        with pytest.raises(Locked) as exc:
            attempt()
        assert exc.value.messages == [message]
    assert fingerprint() == before
    assert ChecklistItem.objects.get(pk=s["item"].pk).full_score == 40


def test_a_checklist_change_is_in_every_county_history(setup):
    s = setup
    edit_item(s)
    edit_item(s, full_score=Decimal(45), reason="上级调整")
    for target in (s["qs_target"], s["lv_target"]):
        entry = entries(target, "assessment.checklistitem").last()
        assert entry.label == "考核项目：老干部工作"
        assert (entry.before["分值"], entry.after["分值"], entry.after["原因"]) == ("40", "45", "上级调整")


def test_campaign_settings_are_locked_and_recorded(setup):
    s = setup
    campaign = Campaign.objects.get(pk=s["campaign"].pk)
    campaign_update(campaign=campaign, title="2021年度考核（修订）", user=s["admin"])
    entry = entries(s["qs_target"], "assessment.campaign").get()
    assert (entry.before, entry.after) == (
        {"名称": "2021年度党建工作年终考核"},
        {"名称": "2021年度考核（修订）"},
    )
    set_status(s["qs_target"], Status.SUBMITTED)
    with pytest.raises(Locked, match="青山县已提交审核，考核工作设置不能修改"):
        campaign_update(campaign=Campaign.objects.get(pk=campaign.pk), issuer="省委", user=s["admin"])
    assert Campaign.objects.get(pk=campaign.pk).issuer == campaign.issuer


def test_findings_are_read_only_in_a_closed_campaign(setup):
    close(setup["campaign"])
    with pytest.raises(PermissionDenied, match="考核工作已结束，考核材料不能修改"):
        findings.score_decide(
            target=setup["qs_target"], item=setup["item"], decided=True, version=LATEST, user=setup["leader"]
        )


def test_a_closed_campaigns_workspace_offers_no_edit_and_says_why(setup, login):
    s = setup
    findings.deduction_create(
        target=s["qs_target"],
        item=s["item"],
        criterion=None,
        unit=None,
        points="1",
        reason="台账不全",
        user=s["leader"],
    )
    url = reverse("campaigns:target_item", args=[s["qs_target"].pk, s["item"].pk])
    assert 'data-testid="add-deduction"' in login(s["member"]).get(url).content.decode()
    close(s["campaign"])  # the county still 填报中: the campaign alone locks it
    page = login(s["member"]).get(url).content.decode()
    assert "考核工作已结束，考核材料只能查看" in page
    for control in ('data-testid="add-deduction"', 'data-testid="lead"', 'data-testid="decide-score"'):
        assert control not in page, control
    evidence = reverse("campaigns:deduction_evidence", args=[Deduction.objects.get().pk])
    response = login(s["member"]).post(evidence, {"form_token": "x"})
    assert response.status_code == 403


def test_an_item_with_an_evaluation_is_not_deleted(setup):
    """A county's evaluation or score decision of an item keeps the item (a clear refusal, not a 500)."""
    from tests.factories import ChecklistItemFactory, CriterionFactory

    second = ChecklistItemFactory(campaign=setup["campaign"], order=2, title="基层组织建设")
    CriterionFactory(item=second)
    findings.evaluation_lead_save(
        target=setup["qs_target"], item=second, lead="扎实", version=1, user=setup["leader"]
    )
    with pytest.raises(ValidationError, match="“基层组织建设”已有总体评价或得分确认记录，不能删除。"):
        item_delete(item=second, user=setup["admin"])
    assert ChecklistItem.objects.filter(pk=second.pk).exists()


def test_the_item_delete_page_says_why_an_evaluated_item_stays(setup, login):
    from tests.factories import ChecklistItemFactory, CriterionFactory

    second = ChecklistItemFactory(campaign=setup["campaign"], order=2, title="基层组织建设")
    CriterionFactory(item=second)
    findings.score_decide(
        target=setup["qs_target"], item=second, decided=True, version=1, user=setup["leader"]
    )
    client = login(setup["admin"])
    response = client.post(
        reverse("campaigns:item_delete", args=[second.pk]), {"reason": "合并"}, follow=True
    )
    assert response.status_code == 200
    assert "“基层组织建设”已有总体评价或得分确认记录，不能删除。" in response.content.decode()
    assert ChecklistItem.objects.filter(pk=second.pk).exists()


# --- score_decide's version ------------------------------------------------------------------------


def test_score_decide_requires_the_version_and_bumps_none(setup):
    s = setup
    target, item, leader = s["qs_target"], s["item"], s["leader"]
    with pytest.raises(ValidationError, match="页面内容已过期"):
        findings.score_decide(target=target, item=item, decided=True, version=None, user=leader)
    lead = findings.evaluation_lead_save(target=target, item=item, lead="总体较好", version=1, user=leader)
    with pytest.raises(EditConflict):  # decided on a page from before that save
        findings.score_decide(target=target, item=item, decided=True, version=1, user=leader)
    decided = findings.score_decide(target=target, item=item, decided=True, version=lead.version, user=leader)
    assert decided.score_decided_at and decided.version == lead.version  # the toggle bumps no version
    count = AuditEntry.objects.count()
    findings.score_decide(target=target, item=item, decided=True, version=lead.version, user=leader)
    assert AuditEntry.objects.count() == count  # a repeat (double click) changes and records nothing
    assert ItemAssessment.objects.get(pk=decided.pk).score_decided_by == leader


# --- the pages -------------------------------------------------------------------------------------


def test_move_page_is_the_administrators(setup, login):
    s = setup
    url = reverse("campaigns:target_move", args=[s["qs_target"].pk])
    for who in ("leader", "member", "reviewer", "other", "outsider"):
        response = login(s[who]).post(url, {"group": s["sixth"].pk, "reason": "调整"})
        assert response.status_code == 403, who
    assert Target.objects.get(pk=s["qs_target"].pk).group == s["fifth"]
    client = login(s["admin"])
    page = client.get(url).content.decode()
    assert "市委第六考核组" in page and "移交原因" in page
    response = client.post(url, {"group": s["sixth"].pk, "reason": "第五组人手不足"})
    assert response.status_code == 302 and response["Location"] == s["sixth"].get_absolute_url()
    assert Target.objects.get(pk=s["qs_target"].pk).group == s["sixth"]
    history = client.get(reverse("campaigns:target_history", args=[s["qs_target"].pk])).content.decode()
    assert "移交考核组" in history and "第五组人手不足" in history and "市委第六考核组" in history


def test_move_page_says_why_a_handed_in_county_stays(setup, login):
    set_status(setup["qs_target"], Status.SUBMITTED)
    url = reverse("campaigns:target_move", args=[setup["qs_target"].pk])
    client = login(setup["admin"])
    page = client.get(url).content.decode()
    assert "青山县已提交审核，考核组不能修改；如需修改请先由管理员重新打开。" in page
    assert 'name="reason"' not in page
    response = client.post(url, {"group": setup["sixth"].pk, "reason": "调整"})
    assert "青山县已提交审核，考核组不能修改" in response.content.decode()
    assert Target.objects.get(pk=setup["qs_target"].pk).group == setup["fifth"]


def test_locked_pages_show_why_and_offer_no_change(setup, login):
    s = setup
    sample_draw(target=s["qs_target"], seed=1, user=s["admin"])
    set_status(s["qs_target"], Status.FINALIZED)
    sample = (
        login(s["leader"]).get(reverse("campaigns:target_sample", args=[s["qs_target"].pk])).content.decode()
    )
    assert "青山县已定稿，抽查名单不能修改" in sample
    assert reverse("campaigns:sample_add", args=[s["qs_target"].pk]) not in sample
    admin = login(s["admin"])
    sample = admin.get(reverse("campaigns:target_sample", args=[s["qs_target"].pk])).content.decode()
    assert reverse("campaigns:target_draw", args=[s["qs_target"].pk]) not in sample
    checklist = admin.get(reverse("campaigns:checklist", args=[s["campaign"].pk])).content.decode()
    assert "青山县已定稿，考核项目清单不能修改" in checklist
    assert reverse("campaigns:item_edit", args=[s["item"].pk]) not in checklist
    group = admin.get(s["fifth"].get_absolute_url()).content.decode()
    assert "青山县已定稿，考核组不能修改" in group
