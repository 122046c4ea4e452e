"""Fixtures shared with other test packages live in tests/conftest.py (setup, login)."""

from decimal import Decimal

import pytest

from assessment.models import Deduction, Problem


@pytest.fixture
def s(setup):
    """The setup of the findings-services tests, with the item's criterion and the 青山县 target.

    test_workflow.py and test_overview_services.py define their own `s`, which overrides this one.
    """
    setup["criterion"] = setup["item"].criteria.get()
    setup["target"] = setup["qs_target"]
    return setup


# Evidence tests (test_evidence*.py): a scratch media folder and findings to attach files to.


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def deduction(setup) -> Deduction:
    return Deduction.objects.create(
        target=setup["qs_target"],
        item=setup["item"],
        points=Decimal("1"),
        reason="台账不全",
        created_by=setup["leader"],
    )


@pytest.fixture
def problem(setup) -> Problem:
    return Problem.objects.create(
        target=setup["qs_target"], item=setup["item"], text="会议记录缺失", created_by=setup["leader"]
    )
