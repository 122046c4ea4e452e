"""The results tests' world: a campaign of three counties, two items of 50, its people."""

from decimal import Decimal as D

import pytest

from tests.factories import (
    AdminFactory,
    ChecklistItemFactory,
    GroupFactory,
    UserFactory,
    add_member,
    add_target,
    city,
    county,
)


@pytest.fixture
def world():
    yunshan = city("云山市")
    group = GroupFactory(name="市委第一考核组")
    campaign = group.campaign
    items = [ChecklistItemFactory(campaign=campaign, full_score=D(50)) for _ in range(2)]
    targets = {name: add_target(group, county(yunshan, name)) for name in ("青山县", "绿水县", "白石区")}
    admin = AdminFactory(username="guanli")
    reviewer = UserFactory(username="shenhe")
    campaign.reviewer_links.create(user=reviewer)
    leader = UserFactory(username="zuzhang")
    add_member(group, leader, role="leader")
    return {
        "campaign": campaign,
        "items": items,
        "targets": targets,
        "admin": admin,
        "reviewer": reviewer,
        "leader": leader,
    }
