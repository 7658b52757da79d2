"""A resident writes to an organisation without seeing its editors' addresses; an editor confirms a listing from
the reminder's link without logging in. Both pages are checked with axe-core, honeypot field included."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import nl

pytestmark = pytest.mark.browser


def test_a_resident_sends_an_organisation_a_message(browse, stemlid_org, stemlid_editor, mailoutbox):
    page = browse.page
    browse.goto(stemlid_org.get_absolute_url())
    title = nl("Send %(name)s a message") % {"name": stemlid_org.name}
    browse.follow(page.get_by_role("link", name=title))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert stemlid_editor.email not in page.content()
    form = page.locator("main form")
    form.get_by_label(nl("Your name")).fill("Fatima")
    form.get_by_label(nl("Your email address")).fill("fatima@example.org")
    form.get_by_label(nl("Your message")).fill("Mag ik meedoen met de koffieochtend?")
    expect(form.get_by_label(nl("Leave this field empty"))).not_to_be_in_viewport()
    page.wait_for_timeout(3200)  # people take longer than the form's minimum of 3 seconds
    browse.submit(form.get_by_role("button", name=nl("Send message")))
    assert browse.path == stemlid_org.get_absolute_url()
    expect(page.get_by_role("status")).to_contain_text(stemlid_org.name)
    assert sorted(mail.to[0] for mail in mailoutbox) == ["fatima@example.org", stemlid_editor.email]


def test_an_editor_confirms_a_listing_from_the_reminder_link(browse, stemlid_org):
    from django.urls import reverse
    from django.utils import timezone

    from samen030.activities.tokens import confirm_token
    from tests.factories import ActivityFactory

    activity = ActivityFactory(
        title="Koffieochtend Lombok", organisations=[stemlid_org], confirmed_at=timezone.now() - dt.timedelta(days=400)
    )
    page = browse.page
    browse.goto(reverse("activity-confirm-link", args=[confirm_token(activity)]))
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Confirm a listing"))
    activity.refresh_from_db()
    assert activity.is_stale, "opening the link alone confirms nothing"
    browse.submit(page.get_by_role("button", name=nl("Yes, it is still right")))
    assert browse.path == activity.get_absolute_url()
    activity.refresh_from_db()
    assert not activity.is_stale
