"""Fixtures shared with other test packages live in tests/conftest.py (setup, login)."""

import pytest


@pytest.fixture
def s(setup):
    """The setup of the findings-services tests, with the item's criterion and the 青山县 target.

    test_workflow.py and test_overview_services.py define their own `s`, which overrides this one.
    """
    setup["criterion"] = setup["item"].criteria.get()
    setup["target"] = setup["qs_target"]
    return setup
