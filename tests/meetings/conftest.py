import pytest

from meetings.services.meetings import meeting_create, speaker_add
from tests.factories import UnitFactory, township
from units.models import Unit


@pytest.fixture
def meeting(setup):
    """A meeting of the campaign of tests/conftest.py's ``setup``, with two speakers: 城关镇 (oral)
    and 青山县教育局 (written)."""
    qs = setup["qingshan"]
    town = Unit.objects.get(parent=qs, name="城关镇")
    bureau = UnitFactory(
        name="青山县教育局", kind=Unit.Kind.COUNTY_ORGAN, parent=qs, org_type=Unit.OrgType.LEADING_GROUP
    )
    township(qs, "东坝镇")
    m = meeting_create(
        campaign=setup["campaign"],
        user=setup["admin"],
        title="2021年度全县党组织书记抓基层党建工作述职评议会议",
    )
    speaker_add(meeting=m, unit=town, name="张三", user=setup["admin"])
    speaker_add(meeting=m, unit=bureau, name="李四", mode="written", user=setup["admin"])
    return m
