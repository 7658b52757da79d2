"""A stranger finds the open data from the footer, reads what is in the files, and downloads one."""

from __future__ import annotations

import csv

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import nl
from tests.factories import ActivityFactory

pytestmark = pytest.mark.browser


def test_stranger_downloads_the_activities_from_the_footer(browse, stemlid_org, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    ActivityFactory(title="Koffieochtend Lombok", slug="koffieochtend-lombok", organisations=[stemlid_org])
    page = browse.page
    browse.goto("/")
    browse.follow(page.get_by_role("contentinfo").get_by_role("link", name=nl("Open data"), exact=True))
    assert browse.path == "/open-data/"
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Open data"))
    expect(page.get_by_role("link", name="Creative Commons Attribution 4.0 International")).to_be_visible()
    with page.expect_download() as waiting:
        page.get_by_role("link", name=nl("Only the activities (CSV)")).click()
    with open(waiting.value.path(), encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["title"] for row in rows] == ["Koffieochtend Lombok"]
