"""A visitor pages through a fund's bookings with "Oudere boekingen" and "Nieuwere boekingen". Every page passes
axe-core."""

from __future__ import annotations

import pytest

from samen030.funds import services, views
from samen030.funds.models import Fund

pytestmark = pytest.mark.browser


def test_paging_through_the_bookings_by_keyboard_links(browse, places, monkeypatch):
    monkeypatch.setattr(views, "TRANSACTIONS_PER_PAGE", 3)
    fund = Fund.objects.create(slug="wijkbudget-west", name="Wijkbudget West", kind=Fund.Kind.WIJKBUDGET)
    for number in range(7):
        services.record_income(fund=fund, source="gemeente", amount=100, description=f"Gift {number}", actor=None)

    browse.goto("/fondsen/wijkbudget-west/")
    page = browse.page
    assert page.get_by_text("Gift 6").is_visible()
    assert page.get_by_role("link", name="Nieuwere boekingen").count() == 0
    browse.follow(page.get_by_role("link", name="Oudere boekingen"))
    assert page.get_by_text("Gift 3").is_visible()
    assert page.get_by_text("Gift 6").count() == 0
    browse.follow(page.get_by_role("link", name="Oudere boekingen"))
    assert page.get_by_text("Gift 0").is_visible()
    assert page.get_by_role("link", name="Oudere boekingen").count() == 0
    browse.follow(page.get_by_role("link", name="Nieuwere boekingen"))
    browse.follow(page.get_by_role("link", name="Nieuwere boekingen"))
    assert page.get_by_text("Gift 6").is_visible()
    assert page.get_by_role("link", name="Nieuwere boekingen").count() == 0
