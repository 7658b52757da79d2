"""The social map in a real browser: an editor adds an activity, and a resident finds it.

Every page visited is checked with axe-core by the `browse` fixture.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from samen030.activities.forms import ActivityForm
from samen030.activities.models import Activity, Theme
from samen030.places.models import Postcode
from tests.browser.conftest import nl

pytestmark = pytest.mark.browser


def label(name: str) -> re.Pattern[str]:
    """The accessible name of an ActivityForm field in Dutch; optional fields add "(optional)"."""
    with translation.override("nl"):
        field = ActivityForm.base_fields.get(name)
        if field is not None and field.label:
            text = str(field.label)
        else:
            text = str(Activity._meta.get_field(name).verbose_name)
    return re.compile(rf"^{re.escape(text)}( \(.+\))?$", re.IGNORECASE)


def choice_label(model_choices, value: str) -> str:
    with translation.override("nl"):
        return str(dict(model_choices.choices)[value])


def test_editor_adds_a_weekly_activity(browse, log_in, stemlid_editor, stemlid_org, lombok):
    Postcode.objects.create(pc6="3531AB", buurt=lombok)
    page = browse.page
    log_in(browse, stemlid_editor)
    browse.goto(stemlid_org.get_absolute_url())
    browse.follow(page.get_by_role("main").get_by_role("link", name=nl("Add an activity or service")))
    assert browse.path == f"/organisaties/{stemlid_org.slug}/activiteiten/nieuw/"

    form = page.locator("main form")
    form.get_by_label(label("title")).fill("Koffieochtend in de Kanaalstraat")
    form.get_by_role("group", name=label("kind")).get_by_label(
        choice_label(Activity.Kind, Activity.Kind.ACTIVITY), exact=True
    ).check()
    form.get_by_label(label("description")).fill("Elke dinsdag koffie en een praatje. **Iedereen** is welkom.")
    with translation.override("nl"):
        meeting = Theme.objects.get(slug="ontmoeting").name
    form.get_by_role("group", name=label("themes")).get_by_label(meeting, exact=True).check()
    next_tuesday = timezone.localdate() + dt.timedelta(days=(1 - timezone.localdate().weekday()) % 7 or 7)
    form.get_by_label(label("date")).fill(next_tuesday.isoformat())
    form.get_by_label(label("start_time")).fill("10:00")
    form.get_by_label(label("end_time")).fill("11:30")
    with translation.override("nl"):
        weekly = str(dict(ActivityForm.base_fields["repeat"].choices)["weekly"])
    form.get_by_role("group", name=label("repeat")).get_by_label(weekly, exact=True).check()
    form.get_by_label(label("venue")).fill("Buurthuis Lombok")
    form.get_by_label(label("street")).fill("Kanaalstraat")
    form.get_by_label(label("house_number")).fill("12")
    form.get_by_label(label("postcode")).fill("3531 AB")
    browse.submit(form.get_by_role("button", name=nl("Save")))

    activity = Activity.objects.get(title="Koffieochtend in de Kanaalstraat")
    assert browse.path == activity.get_absolute_url()
    assert activity.location_buurt == lombok
    assert activity.rrule.startswith("FREQ=WEEKLY")
    expect(page.get_by_role("heading", level=1)).to_have_text("Koffieochtend in de Kanaalstraat")
    expect(page.get_by_role("main").locator("strong", has_text="Iedereen")).to_be_visible()

    # The buurt's what's-on page lists it, at 10:00 on the coming Tuesdays.
    browse.goto(f"/buurten/{lombok.code}/activiteiten/")
    listing = page.get_by_role("main").get_by_role("link", name="Koffieochtend in de Kanaalstraat")
    expect(listing.first).to_be_visible()
    assert listing.count() >= 2, "a weekly activity shows several dates in the coming weeks"
