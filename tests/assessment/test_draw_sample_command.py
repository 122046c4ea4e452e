"""``manage.py draw_sample``: the public draw meeting."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessment.models import Deduction, SampleDraw, SampledUnit
from assessment.services.sampling import current_draw, sample_add_manual, sampling_plan_set
from tests.assessment.test_sampling_services import build_county
from tests.factories import ChecklistItemFactory, GroupFactory, UserFactory, add_target, city

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", name="超级管理员", is_staff=True, is_superuser=True)


@pytest.fixture
def campaign_setup(db) -> dict:
    c = city()
    group = GroupFactory()
    qs = add_target(group, build_county(c, "青山县"))
    lv = add_target(group, build_county(c, "绿水县", organs=2, institutions=0, townships=3, villages=2))
    return {"campaign": group.campaign, "qingshan": qs, "lvshui": lv}


def run(*args) -> str:
    out = StringIO()
    call_command("draw_sample", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_json_output_of_one_target(campaign_setup, superuser):
    campaign = campaign_setup["campaign"]
    out = run("--campaign", campaign.title, "--target", "青山县", "--seed", "20220110", "--json")
    data = json.loads(out)
    assert list(data) == ["青山县"]
    listing = data["青山县"]
    assert list(listing) == ["县直机关单位", "县直事业单位", "乡镇（街道）", "村（社区）", "乡镇机关事业单位"]
    assert [len(v) for v in listing.values()] == [6, 3, 4, 12, 4]
    assert all(name.split("/")[0] in listing["乡镇（街道）"] for name in listing["村（社区）"])
    assert "青山县" in out  # not \u escapes
    draw = current_draw(campaign_setup["qingshan"])
    assert (draw.seed, draw.drawn_by) == (20220110, superuser)
    saved = [s.unit.name for s in draw.units.filter(stratum="county_organ").order_by("position")]
    assert saved == listing["县直机关单位"]


def test_same_seed_same_json(campaign_setup, superuser):
    args = ("--campaign", str(campaign_setup["campaign"].pk), "--all", "--seed", "5", "--json", "--dry-run")
    assert run(*args) == run(*args)


def test_dry_run_saves_nothing(campaign_setup, superuser):
    campaign = campaign_setup["campaign"]
    out = run("--campaign", campaign.title, "--all", "--seed", "3", "--dry-run")
    assert not SampleDraw.objects.exists() and not SampledUnit.objects.exists()
    assert out.count("预览，未保存") == 2
    assert "随机种子 3" in out
    assert (
        "工作概况：考核组抽查了6个县直机关单位、3个县直事业单位、4个乡镇，每个乡镇抽查3个村、1个机关事业单位。"
        in out
    )


def test_dry_run_needs_no_superuser(campaign_setup):
    out = run(
        "--campaign", campaign_setup["campaign"].title, "--target", "绿水县", "--seed", "3", "--dry-run"
    )
    assert "绿水县" in out
    with pytest.raises(CommandError, match="超级管理员"):
        run("--campaign", campaign_setup["campaign"].title, "--target", "绿水县", "--seed", "3")


def test_all_targets(campaign_setup, superuser):
    campaign = campaign_setup["campaign"]
    data = json.loads(run("--campaign", str(campaign.pk), "--all", "--seed", "8", "--json"))
    assert list(data) == sorted(["青山县", "绿水县"])
    assert data["绿水县"]["县直事业单位"] == []
    assert len(data["绿水县"]["县直机关单位"]) == 2
    assert SampleDraw.objects.filter(target__campaign=campaign).count() == 2


def test_readable_listing_shows_shortfalls(campaign_setup, superuser):
    out = run("--campaign", campaign_setup["campaign"].title, "--target", "绿水县", "--seed", "8")
    assert f"已保存，抽取人：{superuser}" in out
    assert "县直机关单位（2个）" in out
    assert "抽取不足：" in out
    assert "绿水县只有2个县直机关单位，已全部抽取（方案为6个）" in out
    assert "绿水县没有县直事业单位，未能抽取（方案为3个）" in out
    assert "绿水县只有3个乡镇（街道），已全部抽取（方案为4个）" in out
    assert "只有2个村（社区），已全部抽取（方案为3个）" in out
    assert "工作概况：考核组抽查了2个县直机关单位、3个乡镇，每个乡镇抽查2个村、1个机关事业单位。" in out


def test_user_option_and_hand_picked_units(campaign_setup, superuser):
    target = campaign_setup["qingshan"]
    inspector = UserFactory(username="zuzhang", name="组长")
    sampling_plan_set(campaign=target.campaign, target=target, counts={"townships": 0}, user=superuser)
    run("--campaign", target.campaign.title, "--target", "青山县", "--seed", "1", "--user", "zuzhang")
    assert current_draw(target).drawn_by == inspector
    drawn = current_draw(target).units.values("unit_id")
    organ = target.unit.children.filter(kind="county_organ").exclude(pk__in=drawn).first()
    sample_add_manual(target=target, unit=organ, reason="线索核查", user=inspector)
    out = run("--campaign", target.campaign.title, "--target", "青山县", "--seed", "1", "--dry-run")
    assert f"1. {organ.name}（线索核查）" in out
    data = json.loads(run("--campaign", target.campaign.title, "--target", "青山县", "--seed", "1", "--json"))
    assert data["青山县"]["专项抽查"] == [organ.name]
    assert data["青山县"]["乡镇（街道）"] == []
    with pytest.raises(CommandError, match="找不到用户"):
        run("--campaign", target.campaign.title, "--target", "青山县", "--seed", "1", "--user", "nobody")


def test_locked_sample_needs_admin_and_reason(campaign_setup, superuser):
    campaign = campaign_setup["campaign"]
    target = campaign_setup["qingshan"]
    run("--campaign", campaign.title, "--all", "--seed", "1")
    unit = current_draw(target).units.first().unit
    Deduction.objects.create(
        target=target,
        item=ChecklistItemFactory(campaign=campaign),
        unit=unit,
        points=Decimal("2"),
        reason="记录不全",
        created_by=superuser,
    )
    with pytest.raises(CommandError, match="青山县：已有考核记录引用了抽查单位"):
        run("--campaign", campaign.title, "--all", "--seed", "2")
    # All or nothing: 绿水县 (drawn before 青山县: targets go in code point order of their names)
    # was not redrawn either.
    assert SampleDraw.objects.count() == 2
    # A preview is still allowed.
    run("--campaign", campaign.title, "--target", "青山县", "--seed", "2", "--dry-run")
    out = run(
        "--campaign", campaign.title, "--target", "青山县", "--seed", "2", "--reason", "名册更新后重新抽取"
    )
    assert "由管理员重新抽取。原因：名册更新后重新抽取" in out
    assert current_draw(target).reason == "名册更新后重新抽取"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--campaign", "不存在的考核", "--all", "--seed", "1"), "找不到考核工作"),
        (("--campaign", "999999", "--all", "--seed", "1"), "找不到考核工作"),
        (("--target", "白云县", "--seed", "1"), "没有名为“白云县”的考核对象"),
        (("--all", "--seed", "-5"), "随机种子"),
    ],
)
def test_errors(campaign_setup, superuser, args, message):
    if args[0] != "--campaign":
        args = ("--campaign", campaign_setup["campaign"].title, *args)
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not SampleDraw.objects.exists()


def test_campaign_without_targets(superuser):
    campaign = GroupFactory().campaign
    with pytest.raises(CommandError, match="还没有考核对象"):
        run("--campaign", campaign.title, "--all", "--seed", "1")


def test_a_county_handed_in_keeps_its_sample_and_nothing_is_saved(campaign_setup, superuser):
    from assessment.models import Target

    Target.objects.filter(pk=campaign_setup["lvshui"].pk).update(status=Target.Status.SUBMITTED)
    campaign = campaign_setup["campaign"]
    with pytest.raises(CommandError) as exc:
        run("--campaign", campaign.title, "--all", "--seed", "5")
    assert str(exc.value) == "绿水县已提交审核，抽查名单不能修改；如需修改请先由管理员重新打开。"
    assert not SampleDraw.objects.exists()  # the whole draw meeting is one transaction
    assert "绿水县" in run(
        "--campaign", campaign.title, "--all", "--seed", "5", "--dry-run"
    )  # a preview is fine
