"""党组织类型 as rosters write it (units.domain.org_types): kin accepted, what is not a party organization refused."""

import pytest

from units.domain.org_types import org_type_of, refusal
from units.models import OrgType


@pytest.mark.parametrize(
    ("written", "org_type"),
    [
        # The seven types by their names.
        *((str(t.label), t.value) for t in OrgType),
        # Local party committees: a city's, a county's, a district's, a banner's, a prefecture's, a league's.
        ("市委", OrgType.COMMITTEE),
        ("县委", OrgType.COMMITTEE),
        ("区委", OrgType.COMMITTEE),
        ("旗委", OrgType.COMMITTEE),
        ("州委", OrgType.COMMITTEE),
        ("盟委", OrgType.COMMITTEE),
        ("地委", OrgType.COMMITTEE),
        ("自治县委", OrgType.COMMITTEE),
        ("青山县委", OrgType.COMMITTEE),
        ("中共青山县委员会", OrgType.COMMITTEE),
        ("镇委", OrgType.COMMITTEE),
        # Where a type is, or how it was formed, before its name.
        ("镇党委", OrgType.COMMITTEE),
        ("乡党委", OrgType.COMMITTEE),
        ("社区党委", OrgType.COMMITTEE),
        ("县人民医院党委", OrgType.COMMITTEE),
        ("党的委员会", OrgType.COMMITTEE),
        ("党委（党组）", OrgType.COMMITTEE),
        ("党委(党组)", OrgType.COMMITTEE),
        ("党组（党委）", OrgType.LEADING_GROUP),
        ("分党组", OrgType.LEADING_GROUP),
        ("街道党工委", OrgType.WORKING_COMMITTEE),
        ("县直机关工委", OrgType.WORKING_COMMITTEE),
        ("党总支部", OrgType.GENERAL_BRANCH),
        ("党总支部委员会", OrgType.GENERAL_BRANCH),
        ("总支", OrgType.GENERAL_BRANCH),
        ("机关党总支", OrgType.GENERAL_BRANCH),
        ("党支部委员会", OrgType.BRANCH),
        ("联合党支部", OrgType.BRANCH),
        ("临时党支部", OrgType.BRANCH),
        ("功能型党支部", OrgType.BRANCH),
        ("村党支部", OrgType.BRANCH),
        ("非公企业党支部", OrgType.BRANCH),
        ("联合党支部（3个单位）", OrgType.BRANCH),
        ("支部", OrgType.BRANCH),
        ("机关支部", OrgType.ORGAN_BRANCH),
        ("机关党支部委员会", OrgType.ORGAN_BRANCH),
        # Spaces, full-width letters and a stop do not matter.
        ("党 委", OrgType.COMMITTEE),
        (" 县委。", OrgType.COMMITTEE),
        # No party organization: blank.
        ("无", ""),
        ("暂无", ""),
        ("未建立党组织", ""),
        ("未单独建立", ""),
        ("/", ""),
        ("—", ""),
        ("", ""),
    ],
)
def test_what_rosters_write_is_read_as_its_type(written, org_type):
    assert org_type_of(written) == org_type


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("团委", "共青团组织不是党组织"),
        ("团县委", "共青团组织不是党组织"),
        ("团支部", "共青团组织不是党组织"),
        ("村委会", "群众自治组织"),
        ("居委会", "群众自治组织"),
        ("党小组", "党小组是党支部的组成部分"),
        ("纪委", "纪检机构"),
        ("工会", "群团组织"),
        ("县委组织部", "无法识别“县委组织部”"),
        ("党员", "无法识别“党员”"),
        ("委员会", "无法识别“委员会”"),
        ("市教委", "无法识别“市教委”"),
        ("党支部书记", "无法识别“党支部书记”"),
        ("是", "无法识别“是”"),
    ],
)
def test_what_is_not_a_party_organization_is_refused_saying_why(written, why):
    assert org_type_of(written) is None
    assert why in refusal(written)
