"""Fixtures for the funds: a wijkbudget for West with two treasurers, and a board member who is not one."""

from __future__ import annotations

import pytest

from samen030.funds import services
from samen030.funds.models import Fund
from tests.factories import UserFactory


@pytest.fixture
def treasurer(db):
    return UserFactory(name="Tessa", email="tessa@example.nl")


@pytest.fixture
def second_treasurer(db):
    return UserFactory(name="Omar", email="omar@example.nl")


@pytest.fixture
def third_treasurer(db):
    return UserFactory(name="Lieke", email="lieke@example.nl")


@pytest.fixture
def fund(places, treasurer, second_treasurer, third_treasurer):
    fund = Fund.objects.create(
        slug="wijkbudget-west",
        name="Wijkbudget West",
        kind=Fund.Kind.WIJKBUDGET,
        wijk_id="WK034401",
        description="Voor bewonersinitiatieven in West.",
        four_eyes_threshold=100_000,
    )
    fund.treasurers.set([treasurer, second_treasurer, third_treasurer])
    return fund


@pytest.fixture
def funded(fund):
    """The fund with € 5.000,00 from the gemeente in the bank."""
    services.record_income(
        fund=fund, source="gemeente", amount=500_000, description="Wijkbudget 2026, eerste deel", actor=None
    )
    return fund
