import pytest

from ballots.services import setup
from tests.factories import AdminFactory, CampaignFactory, UserFactory, city, county, township


@pytest.fixture
def ballot_world(db):
    """A county-level campaign's ballot of three subjects, three categories (0.3 / 0.4 / 0.3,
    应到 3 / 2 / 2), not yet open."""
    qs = county(city(), "青山县")
    units = [township(qs, "城关镇"), township(qs, "河口乡"), township(qs, "县教育局")]
    admin = AdminFactory(username="ballot_admin")
    campaign = CampaignFactory()
    ballot = setup.ballot_create(
        campaign=campaign,
        user=admin,
        subjects=[(u, f"书记{n}", f"{u.name}党委书记") for n, u in enumerate(units, start=1)],
    )
    for category, expected in zip(ballot.categories.all(), (3, 2, 2), strict=True):
        category.expected = expected
        category.save()
    return {
        "ballot": ballot,
        "admin": admin,
        "campaign": campaign,
        "units": units,
        "subjects": list(ballot.subjects.all()),
        "categories": list(ballot.categories.all()),
        "outsider": UserFactory(username="outsider"),
    }


@pytest.fixture
def open_ballot(ballot_world):
    setup.ballot_open(ballot=ballot_world["ballot"], user=ballot_world["admin"])
    ballot_world["ballot"].refresh_from_db()
    return ballot_world
