import sys

import pytest
from django.test import Client

from assessment.models import CampaignReviewer, GroupMember
from tests.factories import (
    AdminFactory,
    CampaignFactory,
    ChecklistItemFactory,
    CriterionFactory,
    GroupFactory,
    UnitFactory,
    UserFactory,
    add_member,
    add_target,
    city,
    county,
    township,
    village,
)
from units.models import Unit


@pytest.fixture
def user(db):
    return UserFactory(username="zhangsan", name="张三")


@pytest.fixture
def admin_user(db):
    return AdminFactory(username="guanli", name="管理员甲")


@pytest.fixture
def user_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def roster(db) -> dict:
    """A small tree: 云山市 › 青山县 › 城关镇 › 新村, and 绿水县 › 城关镇 › 新村 (names repeat)."""
    c = city()
    qs = county(c, "青山县")
    lv = county(c, "绿水县")
    qs_town = township(qs, "城关镇")
    lv_town = township(lv, "城关镇")
    return {
        "city": c,
        "qingshan": qs,
        "lvshui": lv,
        "qs_town": qs_town,
        "lv_town": lv_town,
        "qs_village": village(qs_town, "新村"),
        "lv_village": village(lv_town, "新村"),
    }


@pytest.fixture
def setup(db) -> dict:
    """A campaign with two groups: 第五组 (leader 钱组长, member 李组员) assesses 青山县,
    第六组 (member 孙组员) assesses 绿水县; 赵审核 reviews; a checklist of one item."""
    c = city("云山市")
    qs, lv = county(c, "青山县"), county(c, "绿水县")
    for county_unit in (qs, lv):
        for i in range(3):
            UnitFactory(name=f"{county_unit.name}第{i}局", kind=Unit.Kind.COUNTY_ORGAN, parent=county_unit)
        town = township(county_unit, "城关镇")
        for name in ("新村", "东村", "西村"):
            village(town, name)
    campaign = CampaignFactory(title="2021年度党建工作年终考核", year=2021)
    item = ChecklistItemFactory(campaign=campaign, order=1, title="老干部工作")
    CriterionFactory(item=item)
    fifth = GroupFactory(campaign=campaign, name="市委第五考核组")
    sixth = GroupFactory(campaign=campaign, name="市委第六考核组")
    people = {
        "admin": AdminFactory(username="boss", name="管理员"),
        "reviewer": UserFactory(username="reviewer", name="赵审核"),
        "leader": UserFactory(username="leader", name="钱组长"),
        "member": UserFactory(username="member", name="李组员"),
        "other": UserFactory(username="other", name="孙组员"),
        "outsider": UserFactory(username="outsider", name="无关人员"),
    }
    CampaignReviewer.objects.create(campaign=campaign, user=people["reviewer"])
    add_member(fifth, people["leader"], role=GroupMember.Role.LEADER)
    add_member(fifth, people["member"])
    add_member(sixth, people["other"])
    return {
        "campaign": campaign,
        "item": item,
        "fifth": fifth,
        "sixth": sixth,
        "qingshan": qs,
        "lvshui": lv,
        "qs_target": add_target(fifth, qs),
        "lv_target": add_target(sixth, lv),
        **people,
    }


@pytest.fixture
def login(client):
    def as_(user):
        client.force_login(user)
        return client

    return as_


# --- the security audit trail: no bulk write around it ----------------------------------------
#
# Bulk writes (QuerySet.update, bulk_create, bulk_update) send no signals, so accounts.model_audit
# would not see them. Throughout the suite, one made from the application's own code to an audited
# model fails unless it goes through model_audit's helpers (or touches only columns the trail
# does not keep); see accounts/model_audit.py.

APP_PACKAGES = {
    "accounts",
    "core",
    "units",
    "assessment",
    "meetings",
    "ballots",
    "liaison",
    "rectification",
    "reports",
    "results",
    "people",
    "guide",
}


def _caller_package() -> str:
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if not module.startswith("django.") and module != __name__:
            return module.split(".", 1)[0]
        frame = frame.f_back
    return ""


@pytest.fixture(autouse=True, scope="session")
def _bulk_writes_are_audited():
    from django.db.models import QuerySet

    from accounts import model_audit

    originals = {name: getattr(QuerySet, name) for name in ("update", "bulk_create", "bulk_update")}

    def guarded(name, action, fields_of):
        original = originals[name]

        def method(self, *args, **kwargs):
            if _caller_package() in APP_PACKAGES and not model_audit.bulk_write_allowed(
                self.model, fields_of(args, kwargs), action
            ):
                raise AssertionError(
                    f"{name}() on {self.model._meta.label} bypasses the security audit trail: "
                    "use accounts.model_audit (update, bulk_create, tracked)"
                )
            return original(self, *args, **kwargs)

        return method

    QuerySet.update = guarded("update", "update", lambda args, kwargs: list(kwargs))
    QuerySet.bulk_create = guarded("bulk_create", "create", lambda args, kwargs: None)
    QuerySet.bulk_update = guarded(
        "bulk_update", "update", lambda args, kwargs: list(args[1] if len(args) > 1 else kwargs["fields"])
    )
    yield
    for name, original in originals.items():
        setattr(QuerySet, name, original)
