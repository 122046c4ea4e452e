import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from units.demo import DEMO_ACCOUNTS, load_demo
from units.models import Unit


def test_demo_builds_a_realistic_roster_and_accounts(db):
    summary = load_demo()
    assert 300 <= summary["units"] == Unit.objects.count() <= 500
    assert set(Unit.objects.filter(kind=Unit.Kind.COUNTY).values_list("name", flat=True)) == {
        "青山县",
        "绿水县",
        "白石区",
    }
    # Names repeat across the tree on purpose, as they do in real rosters.
    assert Unit.objects.filter(name="城关镇").count() == 3
    for kind in (
        Unit.Kind.COUNTY_ORGAN,
        Unit.Kind.COUNTY_INSTITUTION,
        Unit.Kind.VILLAGE,
        Unit.Kind.TOWNSHIP_STATION,
    ):
        assert Unit.objects.filter(kind=kind).count() >= 10
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        assert User.objects.get(username=account.username).check_password(account.password)
    assert User.objects.get(username="admin").is_staff
    assert User.objects.get(username="member").home_unit.name == "青山县财政局"


def test_demo_is_idempotent(db):
    load_demo()
    snapshot = list(Unit.objects.order_by("pk").values())
    again = load_demo()
    assert again["units_created"] == 0 and again["accounts_created"] == 0
    assert list(Unit.objects.order_by("pk").values()) == snapshot


def test_demo_command_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="已拒绝载入演示数据"):
        call_command("load_demo")
    assert not Unit.objects.exists()
    out = io.StringIO()
    call_command("load_demo", force=True, stdout=out, verbosity=2)
    text = out.getvalue()
    # Each app's part (core.demo), the roster's before the campaign's.
    assert "演示数据已就绪：单位 " in text and "，考核工作“" in text
    assert text.index("账户 admin") < text.index("演示数据已就绪")
    again = io.StringIO()
    call_command("load_demo", force=True, stdout=again)
    assert "考核工作" not in again.getvalue() and "（新增 0）" in again.getvalue()


def test_the_demo_loaders_are_each_apps_own_in_installed_apps_order():
    from core.demo import loaders

    assert [load.__module__ for load in loaders()] == [
        "units.demo",
        "assessment.demo",
        "meetings.demo",
        "ballots.demo",
        "rectification.demo",
        "results.demo",
    ]


def test_demo_people_have_names_and_the_draw_is_dated_within_the_campaign(db):
    import datetime as dt

    from django.utils import timezone

    from assessment.models import Campaign, GroupMember, SampleDraw

    call_command("load_demo", force=True, stdout=io.StringIO())

    User = get_user_model()
    names = [u.name for u in User.objects.exclude(username="admin")]
    assert len(names) == len(DEMO_ACCOUNTS) - 1
    for name in names:  # a person's name: a surname and a given name, not 钱组长 or 李组员
        assert len(name) in (2, 3) and not name.endswith(("组长", "组员", "审核")), name
    leaders = GroupMember.objects.filter(role=GroupMember.Role.LEADER, group__campaign__year=2021)
    by_campaign = {
        title: sorted(m.user.name for m in leaders if m.group.campaign.title == title)
        for title in leaders.values_list("group__campaign__title", flat=True)
    }
    assert by_campaign == {
        "2021年度党建工作年终考核": ["吴海峰", "周建华", "钱立新"],
        "2021年度青山县党建工作年终考核": ["冯国强", "陈丽"],  # 青山县委组织部's own people
    }

    campaign = Campaign.objects.get(title="2021年度党建工作年终考核")
    draws = SampleDraw.objects.filter(target__campaign=campaign).select_related("target__group")
    assert draws.count() == 3
    for draw in draws:
        day = timezone.localtime(draw.drawn_at)
        assert campaign.period_start <= day.date() <= campaign.period_end
        assert (day.date(), day.time()) == (draw.target.group.start_date, dt.time(8, 30))
