"""Voting with the code from the letter on a phone (360 px wide), then opening the receipt after the close."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import nl

pytestmark = pytest.mark.browser


@pytest.fixture
def vote_with_codes(places, board_member):
    from samen030.budgeting import services
    from samen030.budgeting.models import Phase
    from samen030.budgeting.tests.conftest import add_plan, make_burgerbegroting, set_phase

    bb = make_burgerbegroting()
    set_phase(bb, Phase.VOTING)
    add_plan(bb, "Bankjes langs het water", 3000)
    add_plan(bb, "Speeltuin opknappen", 6000)
    add_plan(bb, "Zomerfeest", 2000)
    _batch, plain = services.generate_codes(burgerbegroting=bb, official=board_member, count=2)
    return bb, plain


def no_sideways_scrolling(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px screen"


def test_a_resident_votes_with_a_code_on_a_phone_and_opens_the_receipt(
    open_page, vote_with_codes, board_member, lombok
):
    from samen030.budgeting import services
    from samen030.budgeting.models import Ballot

    bb, plain = vote_with_codes
    phone = open_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = phone.page
    phone.goto("/burgerbegroting/")
    no_sideways_scrolling(page)
    phone.follow(page.get_by_role("main").get_by_role("link", name=bb.title))
    phone.follow(page.get_by_role("link", name=nl("Vote with a code from your letter")))
    no_sideways_scrolling(page)
    page.get_by_label(nl("Your vote code")).fill(plain[0].lower())
    phone.submit(page.get_by_role("button", name=nl("Continue")))
    assert phone.path == f"/burgerbegroting/{bb.slug}/stemmen/"
    no_sideways_scrolling(page)

    # the live total (progressive JavaScript) warns before the server would refuse
    page.get_by_label("Bankjes langs het water").check()
    page.get_by_label("Speeltuin opknappen").check()
    page.get_by_label("Zomerfeest").check()
    expect(page.locator("#ballot-total")).to_contain_text("11.000")
    expect(page.locator("#ballot-total")).to_have_class("utrecht-paragraph samen030-total samen030-total--over")
    page.get_by_label(nl("The buurt you live in")).select_option(lombok.pk)
    page.get_by_role("checkbox", name="12").check()
    phone.submit(page.get_by_role("button", name=nl("Vote")))
    expect(page.locator("#ballot-errors")).to_be_visible()  # the server checks the budget too
    assert not Ballot.objects.exists()

    page.get_by_label("Zomerfeest").uncheck()
    expect(page.locator("#ballot-total")).to_contain_text("9.000")
    page.get_by_label(nl("The buurt you live in")).select_option(lombok.pk)
    page.get_by_role("checkbox", name="12").check()
    phone.submit(page.get_by_role("button", name=nl("Vote")))
    stored = "Your vote is stored. You can change it until the vote closes; the last ballot counts."
    expect(page.get_by_role("status")).to_contain_text(nl(stored))
    assert Ballot.objects.get().vote_code is not None

    services.close_vote(burgerbegroting=bb, official=board_member)
    phone.goto(f"/burgerbegroting/{bb.slug}/uitslag/")
    no_sideways_scrolling(page)
    phone.follow(page.get_by_role("link", name=nl("See how your vote was used")))
    no_sideways_scrolling(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Your vote"))
    expect(page.get_by_role("main")).to_contain_text("Bankjes langs het water")
    expect(page.get_by_role("main")).to_contain_text(nl("How your share was spent"))


def test_the_board_changes_the_voting_dates_on_a_phone_and_residents_see_the_schedule(
    open_page, log_in, places, board_member
):
    import datetime as dt

    from django.utils import timezone

    from samen030.budgeting.models import Burgerbegroting, Phase
    from samen030.budgeting.tests.conftest import add_plan, make_burgerbegroting

    bb = make_burgerbegroting(phase=Phase.CHECK)
    add_plan(bb, "Bankjes langs het water", 3000)
    phone = open_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = phone.page
    log_in(phone, board_member)
    phone.goto(f"/burgerbegroting/{bb.slug}/beheer/")
    no_sideways_scrolling(page)
    # the start of the check has passed: read-only; voting has not started: it can move
    expect(page.get_by_label(nl("The feasibility check starts"))).to_have_attribute("readonly", "")
    opens = timezone.localtime(bb.voting_start) + dt.timedelta(days=2)
    page.get_by_label(nl("Voting starts")).fill(opens.strftime("%Y-%m-%dT%H:%M"))
    phone.submit(page.get_by_role("button", name=nl("Save the dates")))
    expect(page.get_by_role("status")).to_contain_text(nl("The dates are saved."))
    assert Burgerbegroting.objects.get(pk=bb.pk).voting_start == opens

    # a close before the opening is refused with a message next to the form, by keyboard too
    page.get_by_label(nl("The vote closes")).fill(opens.strftime("%Y-%m-%dT08:00"))
    page.get_by_role("button", name=nl("Save the dates")).focus()
    phone.press(page.get_by_role("button", name=nl("Save the dates")), "Enter")
    expect(page.get_by_role("alert").first).to_be_visible()
    no_sideways_scrolling(page)

    phone.goto(bb.get_absolute_url())
    no_sideways_scrolling(page)
    current = page.locator('[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text(nl("feasibility check").capitalize())
