"""Overview services: the 工作情况 narrative (its own version counter), typical examples and
recommendations — version checks, validation, ordering and the audit trail.

The workflow lock (TargetLocked) of every service is in test_workflow.py.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from assessment.models import AuditEntry, Recommendation, Target, TypicalExample
from assessment.services import editing, findings, overview
from assessment.services.editing import EditConflict
from units.models import Unit

pytestmark = pytest.mark.django_db

# 01:30 UTC is 09:30 in Asia/Shanghai.
SAVED_AT = dt.datetime(2022, 1, 5, 1, 30, tzinfo=dt.UTC)
CONFLICT_BY_MEMBER = "李组员 已于 1月5日 09:30 修改了此内容，您的修改尚未保存。请对照两个版本后再保存。"


@pytest.fixture
def s(setup):
    setup["target"] = setup["qs_target"]
    return setup


def unit_in(s, name, county="qingshan"):
    return Unit.objects.get(name=name, ancestry__startswith=s[county].descendant_prefix)


def example(s, title="“党建+积分”管理", body="", *, unit=None, user=None):
    return overview.example_create(
        target=s["target"], title=title, body=body, unit=unit, user=user or s["member"]
    )


def recommendation(s, headline="进一步强化工作统筹", body="", *, user=None):
    return overview.recommendation_create(
        target=s["target"], headline=headline, body=body, user=user or s["member"]
    )


def target(s) -> Target:
    return Target.objects.get(pk=s["target"].pk)


# --- the narrative ------------------------------------------------------------------------------


def test_narrative_is_saved_stripped_with_its_own_version_and_audited(s):
    overview.narrative_save(
        target=s["target"], narrative="  青山县党建工作亮点纷呈。 ", version=1, user=s["member"]
    )

    row = target(s)
    assert row.narrative == "青山县党建工作亮点纷呈。"
    assert (row.narrative_version, row.narrative_updated_by) == (2, s["member"])
    assert row.narrative_updated_at is not None
    entry = AuditEntry.objects.get()
    assert (entry.target, entry.actor, entry.action) == (row, s["member"], "update")
    assert (entry.model, entry.object_id, entry.label) == ("assessment.target", row.pk, "工作情况")
    assert entry.before == {"narrative": ""}
    assert entry.after == {"narrative": "青山县党建工作亮点纷呈。"}


def test_saving_an_unchanged_narrative_writes_nothing(s):
    overview.narrative_save(target=s["target"], narrative="亮点纷呈", version=1, user=s["member"])
    overview.narrative_save(target=s["target"], narrative=" 亮点纷呈 ", version=2, user=s["leader"])
    row = target(s)
    assert (row.narrative_version, row.narrative_updated_by) == (2, s["member"])
    assert AuditEntry.objects.count() == 1


def test_the_later_narrative_save_from_an_outdated_version_is_refused(s):
    overview.narrative_save(target=s["target"], narrative="李组员的稿子", version=1, user=s["member"])
    Target.objects.filter(pk=s["target"].pk).update(narrative_updated_at=SAVED_AT)

    with pytest.raises(EditConflict) as exc:
        overview.narrative_save(target=s["target"], narrative=" 钱组长的稿子 ", version=1, user=s["leader"])

    assert str(exc.value) == CONFLICT_BY_MEMBER
    assert exc.value.current.pk == s["target"].pk
    assert exc.value.current.narrative == "李组员的稿子"
    assert exc.value.current.narrative_version == 2
    assert exc.value.mine == {"narrative": "钱组长的稿子"}
    row = target(s)
    assert (row.narrative, row.narrative_version, row.narrative_updated_by) == (
        "李组员的稿子",
        2,
        s["member"],
    )
    assert AuditEntry.objects.count() == 1


def test_the_narrative_version_is_not_moved_by_other_edits_of_the_target(s):
    findings.problem_create(target=s["target"], item=s["item"], text="台账不全", user=s["member"])
    example(s)
    overview.narrative_save(target=s["target"], narrative="亮点纷呈", version=1, user=s["leader"])
    assert target(s).narrative_version == 2


# --- typical examples ------------------------------------------------------------------------------


def test_typical_example_is_created_in_order_and_audited(s):
    town = unit_in(s, "城关镇")
    first = example(s, "  “党建+积分”管理 ", " 以积分激发党员活力 ", unit=town)
    second = example(s, "红色物业")

    assert list(TypicalExample.objects.values_list("title", "body", "unit", "position")) == [
        ("“党建+积分”管理", "以积分激发党员活力", town.pk, 0),
        ("红色物业", "", None, 1),
    ]
    assert (first.version, first.updated_by) == (1, s["member"])
    entry = AuditEntry.objects.get(object_id=first.pk)
    assert (entry.action, entry.model, entry.label) == (
        "create",
        "assessment.typicalexample",
        "典型：“党建+积分”管理",
    )
    assert entry.before is None
    assert entry.after == {
        "title": "“党建+积分”管理",
        "body": "以积分激发党员活力",
        "unit": {"id": town.pk, "label": "城关镇"},
        "position": 0,
    }
    assert AuditEntry.objects.filter(object_id=second.pk, action="create").exists()


def test_typical_example_needs_a_title(s):
    with pytest.raises(ValidationError) as exc:
        example(s, "   ")
    assert exc.value.message_dict == {"title": ["请填写典型标题。"]}
    assert not TypicalExample.objects.exists()
    assert not AuditEntry.objects.exists()


def test_typical_example_at_a_unit_outside_the_county_is_refused(s):
    with pytest.raises(ValidationError) as exc:
        example(s, unit=unit_in(s, "城关镇", "lvshui"))
    assert exc.value.message_dict == {"unit": ["“城关镇”不是青山县的单位。"]}
    assert not TypicalExample.objects.exists()
    assert not AuditEntry.objects.exists()


def test_typical_example_update_and_delete_record_before_and_after(s):
    created = example(s, "红色物业", "初稿")
    village = unit_in(s, "新村")
    overview.example_update(
        example=created, version=1, title="红色物业联盟", body="定稿", unit=village, user=s["leader"]
    )

    row = TypicalExample.objects.get()
    assert (row.title, row.body, row.unit, row.version, row.updated_by) == (
        "红色物业联盟",
        "定稿",
        village,
        2,
        s["leader"],
    )
    update = AuditEntry.objects.get(action="update")
    assert update.before == {"title": "红色物业", "body": "初稿", "unit": None, "position": 0}
    assert update.after == {
        "title": "红色物业联盟",
        "body": "定稿",
        "unit": {"id": village.pk, "label": "新村"},
        "position": 0,
    }

    overview.example_delete(example=row, version=2, user=s["leader"])
    assert not TypicalExample.objects.exists()
    delete = AuditEntry.objects.get(action="delete")
    assert (delete.object_id, delete.before, delete.after) == (created.pk, update.after, None)


def test_typical_example_update_to_a_unit_outside_the_county_is_refused(s):
    created = example(s, "红色物业")
    with pytest.raises(ValidationError):
        overview.example_update(
            example=created, version=1, title="红色物业", body="", unit=s["lvshui"], user=s["leader"]
        )
    assert TypicalExample.objects.get().version == 1
    assert AuditEntry.objects.count() == 1


def test_moving_a_typical_example_renumbers_positions(s):
    a, b, c = example(s, "甲"), example(s, "乙"), example(s, "丙")
    overview.example_delete(example=a, version=1, user=s["member"])
    overview.example_move(example=c, up=True, version=c.version, user=s["leader"])
    assert list(TypicalExample.objects.order_by("position").values_list("title", "position")) == [
        ("丙", 0),
        ("乙", 1),
    ]
    entry = AuditEntry.objects.order_by("pk").last()
    assert (entry.action, entry.object_id, entry.before["position"], entry.after["position"]) == (
        "update",
        c.pk,
        2,
        0,
    )

    count = AuditEntry.objects.count()
    overview.example_move(example=c, up=True, version=c.version, user=s["leader"])
    assert AuditEntry.objects.count() == count
    assert b.pk == TypicalExample.objects.get(position=1).pk


# --- recommendations --------------------------------------------------------------------------------


def test_recommendation_is_created_in_order_and_audited(s):
    first = recommendation(s, "  进一步强化工作统筹 ", " 压实责任 ")
    second = recommendation(s, "进一步夯实基层基础")
    assert list(Recommendation.objects.values_list("headline", "body", "position")) == [
        ("进一步强化工作统筹", "压实责任", 0),
        ("进一步夯实基层基础", "", 1),
    ]
    entry = AuditEntry.objects.get(object_id=first.pk, model="assessment.recommendation")
    assert (entry.action, entry.label, entry.before) == ("create", "建议：进一步强化工作统筹", None)
    assert entry.after == {"headline": "进一步强化工作统筹", "body": "压实责任", "position": 0}
    assert second.position == 1


def test_recommendation_drops_a_typed_yi_shi(s):
    recommendation(s, "一是 进一步强化工作统筹")
    assert Recommendation.objects.get().headline == "进一步强化工作统筹"


def test_recommendation_needs_a_headline(s):
    with pytest.raises(ValidationError) as exc:
        recommendation(s, "  ")
    assert exc.value.message_dict == {"headline": ["请填写建议。"]}
    assert not Recommendation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_recommendation_of_only_yi_shi_needs_a_headline(s):
    # "一是" alone is no headline: the report numbers recommendations itself.
    with pytest.raises(ValidationError) as exc:
        recommendation(s, "一是")
    assert exc.value.message_dict == {"headline": ["请填写建议。"]}
    assert not Recommendation.objects.exists()


def test_recommendation_update_and_delete_record_before_and_after(s):
    created = recommendation(s, "强化统筹", "初稿")
    overview.recommendation_update(
        recommendation=created, version=1, headline="一是进一步强化统筹", body="定稿", user=s["leader"]
    )
    row = Recommendation.objects.get()
    assert (row.headline, row.body, row.version, row.updated_by) == ("进一步强化统筹", "定稿", 2, s["leader"])
    update = AuditEntry.objects.get(action="update")
    assert update.before == {"headline": "强化统筹", "body": "初稿", "position": 0}
    assert update.after == {"headline": "进一步强化统筹", "body": "定稿", "position": 0}

    overview.recommendation_delete(recommendation=row, version=2, user=s["leader"])
    assert not Recommendation.objects.exists()
    delete = AuditEntry.objects.get(action="delete")
    assert (delete.object_id, delete.before, delete.after) == (created.pk, update.after, None)


def test_recommendation_update_needs_a_headline(s):
    created = recommendation(s)
    with pytest.raises(ValidationError) as exc:
        overview.recommendation_update(
            recommendation=created, version=1, headline="", body="x", user=s["leader"]
        )
    assert exc.value.message_dict == {"headline": ["请填写建议。"]}
    assert Recommendation.objects.get().version == 1
    assert AuditEntry.objects.count() == 1


def test_moving_a_recommendation_down_renumbers_positions(s):
    a, b = recommendation(s, "甲"), recommendation(s, "乙")
    overview.recommendation_move(recommendation=a, up=False, version=a.version, user=s["leader"])
    assert list(Recommendation.objects.order_by("position").values_list("headline", "position")) == [
        ("乙", 0),
        ("甲", 1),
    ]
    entry = AuditEntry.objects.order_by("pk").last()
    assert (entry.object_id, entry.actor, entry.before["position"], entry.after["position"]) == (
        a.pk,
        s["leader"],
        0,
        1,
    )

    count = AuditEntry.objects.count()
    overview.recommendation_move(recommendation=a, up=False, version=a.version, user=s["leader"])
    assert AuditEntry.objects.count() == count
    assert Recommendation.objects.get(pk=b.pk).position == 0


def test_locking_an_example_or_a_recommendation_works(s):
    # Examples and recommendations lock without joining their nullable relations (PostgreSQL).
    first, second = example(s, "甲"), example(s, "乙")
    overview.example_update(example=first, version=1, title="甲改", body="", unit=None, user=s["leader"])
    overview.example_move(example=second, up=True, version=second.version, user=s["leader"])
    advice = recommendation(s, "强化统筹")
    overview.recommendation_update(
        recommendation=advice, version=1, headline="强化", body="", user=s["leader"]
    )
    overview.recommendation_delete(recommendation=advice, version=2, user=s["leader"])
    assert AuditEntry.objects.filter(actor=s["leader"]).count() == 5  # the move: both examples


# --- concurrent edits ----------------------------------------------------------------------------------

CONFLICTS = {
    "example-update": (
        lambda s: example(s, "初稿典型"),
        lambda s, obj, v: overview.example_update(
            example=obj, version=v, title="他人的典型", body="", unit=None, user=s["member"]
        ),
        lambda s, obj, v: overview.example_update(
            example=obj, version=v, title="我的典型", body="我的内容", unit=None, user=s["leader"]
        ),
        {"title": "我的典型", "body": "我的内容", "unit": None},
    ),
    "example-delete": (
        lambda s: example(s, "初稿典型"),
        lambda s, obj, v: overview.example_update(
            example=obj, version=v, title="他人的典型", body="", unit=None, user=s["member"]
        ),
        lambda s, obj, v: overview.example_delete(example=obj, version=v, user=s["leader"]),
        {},
    ),
    "recommendation-update": (
        lambda s: recommendation(s, "初稿建议"),
        lambda s, obj, v: overview.recommendation_update(
            recommendation=obj, version=v, headline="他人的建议", body="", user=s["member"]
        ),
        lambda s, obj, v: overview.recommendation_update(
            recommendation=obj, version=v, headline="我的建议", body="我的内容", user=s["leader"]
        ),
        {"headline": "我的建议", "body": "我的内容"},
    ),
    "recommendation-delete": (
        lambda s: recommendation(s, "初稿建议"),
        lambda s, obj, v: overview.recommendation_update(
            recommendation=obj, version=v, headline="他人的建议", body="", user=s["member"]
        ),
        lambda s, obj, v: overview.recommendation_delete(recommendation=obj, version=v, user=s["leader"]),
        {},
    ),
}


@pytest.mark.parametrize("case", CONFLICTS.values(), ids=CONFLICTS.keys())
def test_the_later_save_from_an_outdated_version_is_refused_and_nothing_is_written(s, case):
    make, theirs, mine, expected_mine = case
    obj = make(s)
    model = type(obj)
    theirs(s, model.objects.get(pk=obj.pk), 1)
    model.objects.filter(pk=obj.pk).update(updated_at=SAVED_AT)
    saved = model.objects.get(pk=obj.pk)
    audit_count = AuditEntry.objects.count()

    with pytest.raises(EditConflict) as exc:
        mine(s, obj, 1)

    assert str(exc.value) == CONFLICT_BY_MEMBER
    assert exc.value.current.pk == obj.pk
    assert exc.value.current.version == 2
    assert exc.value.current.audit_snapshot() == saved.audit_snapshot()
    assert exc.value.mine == expected_mine
    row = model.objects.get(pk=obj.pk)
    assert row.version == 2
    assert row.audit_snapshot() == saved.audit_snapshot()
    assert AuditEntry.objects.count() == audit_count


# --- the audit's transaction -----------------------------------------------------------------------------


def test_an_overview_change_whose_audit_fails_is_undone(s, monkeypatch):
    real = overview.audit

    def audit_then_fail(**kwargs):
        real(**kwargs)
        raise RuntimeError("写入失败")

    monkeypatch.setattr(overview, "audit", audit_then_fail)  # the narrative's
    monkeypatch.setattr(editing, "audit", audit_then_fail)  # the records' skeleton
    with pytest.raises(RuntimeError):
        overview.narrative_save(target=s["target"], narrative="亮点纷呈", version=1, user=s["member"])
    with pytest.raises(RuntimeError):
        recommendation(s, "进一步强化工作统筹")
    row = target(s)
    assert (row.narrative, row.narrative_version, row.narrative_updated_by) == ("", 1, None)
    assert not Recommendation.objects.exists()
    assert not AuditEntry.objects.exists()
