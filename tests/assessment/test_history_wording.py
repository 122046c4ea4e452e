"""修改记录 in people's words (core.changes): every field of every audited record under its Chinese
name, 是/否, 第1条, unit names, Chinese dates, choice labels — per record type, as the page shows it."""

import datetime as dt
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import (
    AuditEntry,
    Deduction,
    EvaluationPoint,
    Evidence,
    ItemAssessment,
    Problem,
    Recommendation,
    TypicalExample,
)
from assessment.services import evidence, findings, overview
from assessment.services.editing import LATEST
from core.changes import Change, changes, changes_for, field_for, field_label
from tests.assessment.findings_helpers import deduct, point, problem, unit_in
from units.models import Unit

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def rows(entry: AuditEntry) -> list[tuple]:
    return [(c.field, c.before, c.after) for c in changes(entry.model, entry.before, entry.after)]


def latest(action=None) -> AuditEntry:
    entries = AuditEntry.objects.order_by("pk")
    return (entries.filter(action=action) if action else entries).last()


# The fields each finding's audit_snapshot() records (assessment/models/findings.py, groups.py).
AUDITED_FIELDS = {
    "assessment.Deduction": ("item", "criterion", "unit", "points", "reason"),
    "assessment.Problem": (
        "item",
        "text",
        "unit",
        "category",
        "owner_unit",
        "deadline",
        "rectification",
        "rectification_note",
        "position",
    ),
    "assessment.ItemAssessment": ("item", "lead", "score_decided_at", "bonus", "bonus_reason"),
    "assessment.EvaluationPoint": ("headline", "body", "position"),
    "assessment.TypicalExample": ("title", "body", "unit", "position"),
    "assessment.Recommendation": ("headline", "body", "position"),
    "assessment.Evidence": ("original_name", "size"),
    "assessment.Target": ("narrative",),
}


def test_every_audited_field_has_a_chinese_name():
    from django.apps import apps

    for label, fields in AUDITED_FIELDS.items():
        model = apps.get_model(label)
        for name in fields:
            label = field_label(model._meta.get_field(name))
            assert not re.search("[A-Za-z]", label), f"{model.__name__}.{name} is shown as {label!r}"


# --- per record type, written by the services ------------------------------------------------------


def test_deduction_rows(s):
    town, village = unit_in(s, "城关镇"), unit_in(s, "新村")
    d = deduct(s, "2.50", "三会一课记录不全", unit=town)
    assert rows(latest()) == [
        ("考核项目", None, "老干部工作"),
        ("评分细则", None, s["criterion"].text[:60]),
        ("发现问题的单位", None, "城关镇"),
        ("扣分", None, "2.5"),
        ("扣分理由", None, "三会一课记录不全"),
    ]
    findings.deduction_update(
        deduction=d,
        version=1,
        criterion=None,
        unit=village,
        points="1",
        reason="三会一课记录不全",
        user=s["leader"],
    )
    assert rows(latest()) == [
        ("评分细则", s["criterion"].text[:60], "（空）"),
        ("发现问题的单位", "城关镇", "新村"),
        ("扣分", "2.5", "1"),
    ]
    findings.deduction_delete(deduction=Deduction.objects.get(), version=2, user=s["leader"])
    assert rows(latest()) == [
        ("考核项目", "老干部工作", None),
        ("发现问题的单位", "新村", None),
        ("扣分", "1", None),
        ("扣分理由", "三会一课记录不全", None),
    ]


def test_problem_rows(s):
    village = unit_in(s, "新村")
    first = problem(s, "台账不全")
    assert rows(latest()) == [
        ("考核项目", None, "老干部工作"),
        ("问题", None, "台账不全"),
        ("整改状态", None, "未整改"),
        ("顺序", None, "第1条"),
    ]
    problem(s, "记录缺失")
    findings.problem_update(
        problem=first,
        version=1,
        user=s["leader"],
        text="台账不全",
        unit=village,
        category="组织建设",
        owner_unit="城关镇党委",
        deadline=dt.date(2022, 6, 30),
        rectification="in_progress",
        rectification_note="",
    )
    assert rows(latest()) == [
        ("涉及单位", "（空）", "新村"),
        ("问题类别", "（空）", "组织建设"),
        ("责任单位", "（空）", "城关镇党委"),
        ("整改时限", "（空）", "2022年6月30日"),
        ("整改状态", "未整改", "整改中"),
    ]
    findings.problem_move(problem=Problem.objects.get(pk=first.pk), up=False, version=2, user=s["member"])
    moved = AuditEntry.objects.filter(action="update", object_id=first.pk).order_by("pk").last()
    assert rows(moved) == [("顺序", "第1条", "第2条")]


def test_item_assessment_rows(s):
    findings.score_decide(target=s["target"], item=s["item"], decided=True, version=LATEST, user=s["leader"])
    decided_at = timezone.localtime(ItemAssessment.objects.get().score_decided_at)
    assert rows(latest()) == [
        (
            "确认得分时间",
            "（空）",
            f"{decided_at.year}年{decided_at.month}月{decided_at.day}日 {decided_at:%H:%M:%S}",
        )
    ]
    findings.evaluation_lead_save(
        target=s["target"], item=s["item"], lead="该县老干部工作扎实。", version=LATEST, user=s["member"]
    )
    assert rows(latest()) == [("总体评价", "（空）", "该县老干部工作扎实。")]


def test_evaluation_point_rows(s):
    point(s, "凝聚人心有声势", "走访慰问")
    second = point(s, "服务保障有温度")
    assert rows(latest()) == [("要点", None, "服务保障有温度"), ("顺序", None, "第2条")]
    findings.point_move(point=EvaluationPoint.objects.get(pk=second.pk), up=True, version=1, user=s["member"])
    assert rows(AuditEntry.objects.filter(action="update", object_id=second.pk).get()) == [
        ("顺序", "第2条", "第1条")
    ]


def test_typical_example_and_recommendation_rows(s):
    town = unit_in(s, "城关镇")
    overview.example_create(target=s["target"], title="红色物业", body="", unit=town, user=s["member"])
    assert rows(latest()) == [
        ("标题", None, "红色物业"),
        ("相关单位", None, "城关镇"),
        ("顺序", None, "第1条"),
    ]
    example = TypicalExample.objects.get()
    overview.example_update(
        example=example, version=1, title="红色物业", body="", unit=None, user=s["leader"]
    )
    assert rows(latest()) == [("相关单位", "城关镇", "（空）")]
    overview.recommendation_create(target=s["target"], headline="强化统筹", body="压实责任", user=s["member"])
    assert rows(latest()) == [("建议", None, "强化统筹"), ("内容", None, "压实责任"), ("顺序", None, "第1条")]
    recommendation = Recommendation.objects.get()
    overview.recommendation_delete(recommendation=recommendation, version=1, user=s["leader"])
    assert rows(latest()) == [("建议", "强化统筹", None), ("内容", "压实责任", None), ("顺序", "第1条", None)]


def test_narrative_rows(s):
    overview.narrative_save(target=s["target"], narrative="亮点纷呈。", version=1, user=s["leader"])
    assert rows(latest()) == [("工作情况", "（空）", "亮点纷呈。")]


def test_evidence_rows(s, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    d = deduct(s)
    upload = SimpleUploadedFile("检查记录.pdf", PDF * 40, content_type="application/pdf")
    evidence.evidence_attach(deduction=d, upload=upload, user=s["member"])
    size = filesizeformat(Evidence.objects.get().size)
    assert re.fullmatch(r"\d\.\d\xa0KB", size)
    assert rows(latest()) == [("文件名", None, "检查记录.pdf"), ("大小", None, size)]
    evidence.evidence_delete(evidence=Evidence.objects.get(), user=s["leader"])
    assert rows(latest()) == [("文件名", "检查记录.pdf", None), ("大小", size, None)]


# --- what the formatter does for any model ---------------------------------------------------------


def test_snapshots_written_before_field_names_read_the_same_way(s):
    """Entries recorded with Chinese keys and raw values (before core.changes) still read well."""
    assert [
        (c.field, c.before, c.after)
        for c in changes(
            "assessment.itemassessment", {"确认得分": False, "加分": "0.50"}, {"确认得分": True, "加分": "1"}
        )
    ] == [("加分", "0.5", "1"), ("确认得分", "否", "是")]  # fields first, in the model's order
    assert changes(
        "assessment.problem", {"顺序": 0, "整改时限": None}, {"顺序": 1, "整改时限": "2022-06-30"}
    ) == [
        Change("整改时限", "（空）", "2022年6月30日"),
        Change("顺序", "第1条", "第2条"),
    ]
    assert changes("assessment.evidence", None, {"文件": "a.pdf", "大小": 2048}) == [
        Change("文件", None, "a.pdf"),
        Change("大小", None, "2.0\xa0KB"),
    ]


def test_ids_of_related_records_are_shown_by_name(s):
    town = unit_in(s, "城关镇")
    gone = Unit(pk=987654)
    assert changes("assessment.sampledunit", {"unit": town.pk}, {"unit": gone.pk}) == [
        Change("单位", "城关镇", "编号987654（已删除）")
    ]
    assert changes("assessment.target", None, {"unit_id": s["qingshan"].pk, "status": "submitted"}) == [
        Change("考核对象", None, "青山县"),
        Change("状态", None, "已提交"),
    ]


def test_every_kind_of_value(s):
    assert changes(
        "assessment.checklistitem",
        {"order": 1, "full_score": "15.00", "title": "老干部工作"},
        {"order": 3, "full_score": "13.50", "title": "老干部工作"},
    ) == [Change("分值", "15", "13.5"), Change("序号", "第1条", "第3条")]  # a place in the list last
    assert changes(
        "assessment.assessmentgroup", None, {"start_date": "2022-01-10", "name": "市委第五考核组"}
    ) == [
        Change("考核组名称", None, "市委第五考核组"),
        Change("考核开始日期", None, "2022年1月10日"),
    ]
    assert changes("accounts.user", {"is_active": True}, {"is_active": False})[0].before == "是"
    # A model no longer known: the keys as written, values by their type.
    assert changes("gone.model", {"在用": True, "人员": [{"id": 1, "label": "张三"}]}, None) == [
        Change("在用", "是", None),
        Change("人员", "张三", None),
    ]


def test_a_key_that_is_a_field_name_or_its_column_or_its_chinese_name_finds_the_field():
    for key in ("unit", "unit_id", "发现问题的单位"):
        assert field_for(Deduction, key) is Deduction._meta.get_field("unit")
    assert field_for(Deduction, "no_such_field") is None


def test_a_page_of_entries_looks_up_each_model_once(s):
    units = list(Unit.objects.filter(ancestry__startswith=s["qingshan"].descendant_prefix)[:5])
    entries = [
        AuditEntry(model="assessment.sampledunit", before=None, after={"unit": unit.pk, "position": n})
        for n, unit in enumerate(units)
    ]
    with CaptureQueriesContext(connection) as queries:
        changes_for(entries)
    assert len(queries) == 1
    assert [e.changes for e in entries][2] == [
        Change("单位", None, units[2].name),
        Change("顺序", None, "第3条"),
    ]


# --- the page -------------------------------------------------------------------------------------


def test_the_history_tab_speaks_in_words(s, login):
    village = unit_in(s, "新村")
    findings.score_decide(target=s["target"], item=s["item"], decided=True, version=LATEST, user=s["leader"])
    first = problem(s, "台账不全", unit=village, deadline=dt.date(2022, 6, 30))
    problem(s, "记录缺失")
    findings.problem_move(problem=Problem.objects.get(pk=first.pk), up=False, version=1, user=s["member"])

    page = login(s["member"]).get(reverse("campaigns:target_history", args=[s["target"].pk]))
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "确认得分时间 （空）" in text
    assert "涉及单位 新村" in text and "整改时限 2022年6月30日" in text
    assert "顺序 第1条 第2条" in text and "整改状态 未整改" in text
    for raw in ("False", "True", "2022-06-30", f">{village.pk}<", "position", "rectification"):
        assert raw not in page.content.decode(), raw


def test_the_security_log_reads_values_by_the_same_rules(s):
    """One set of rules for a county's 修改记录 and the 安全审计 page (accounts.audit_log)."""
    from accounts.audit_log import changes as log_changes
    from accounts.models import AuditLog

    entry = AuditLog(
        kind=AuditLog.Kind.UPDATE,
        model="assessment.problem",
        before={"deadline": None, "rectification": "open", "position": 0, "updated_by": None},
        after={
            "deadline": "2022-06-30",
            "rectification": "done",
            "position": 1,
            "updated_by": {"id": 1, "label": "钱组长"},
        },
    )
    assert [(c.field, c.before, c.after) for c in log_changes(entry)] == [
        ("修改人", "（空）", "钱组长"),  # the model's order of fields: Versioned's come first
        ("整改时限", "（空）", "2022年6月30日"),
        ("整改状态", "未整改", "已整改"),
        ("顺序", "第1条", "第2条"),
    ]
    created = AuditLog(
        kind=AuditLog.Kind.CREATE, model="units.unit", before={}, after={"name": "新村", "note": ""}
    )
    assert [(c.field, c.before, c.after) for c in log_changes(created)] == [("单位名称", None, "新村")]
