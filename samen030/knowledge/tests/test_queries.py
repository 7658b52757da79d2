"""The library pages run a fixed number of queries, however many items, files and themes there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samen030.knowledge import samples, services
from samen030.knowledge.files import check_bytes

pytestmark = pytest.mark.django_db


def queries(client, path, **params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"q": "buurtkeuken"}], ids=["list", "search"])
def test_the_library_list_does_not_grow_with_the_items(login, make_item, params, places):
    client = login(None)
    make_item(title="Buurtkeuken 0", themes=("eten", "taal")).wijken.add("WK034401")
    few = queries(client, "/kennis/", **params)
    for number in range(1, 15):
        make_item(title=f"Buurtkeuken {number}", themes=("eten", "ontmoeting")).buurten.add("BU03440121")
    assert queries(client, "/kennis/", **params) == few


def test_an_item_page_does_not_grow_with_its_files_and_questions(login, make_item, resident):
    item = make_item()
    client = login(resident)
    services.add_file(item=item, checked=check_bytes(samples.pdf(), name="a.pdf"), alt_text="", by=None)
    first = services.ask_question(item=item, author=resident, text="Vraag?")
    services.answer_question(question=first, author=resident, text="Antwoord.")
    few = queries(client, item.get_absolute_url())
    for number in range(4):
        document = services.add_file(
            item=item, checked=check_bytes(samples.docx(), name=f"{number}.docx"), alt_text="", by=None
        )
        services.add_version(
            document=document, checked=check_bytes(samples.docx("v2"), name="v2.docx"), alt_text="", by=resident
        )
        question = services.ask_question(item=item, author=resident, text=f"Vraag {number}?")
        services.answer_question(question=question, author=resident, text="Antwoord.")
    assert queries(client, item.get_absolute_url()) == few


def test_the_library_list_never_reads_the_wijk_boundaries(login, make_item, places):
    make_item(title="Buurtkeuken").wijken.add("WK034401")
    with CaptureQueriesContext(connection) as captured:
        assert login(None).get("/kennis/", {"q": "buurtkeuken", "wijk": "WK034401"}).status_code == 200
    assert not [query["sql"] for query in captured if "geometry" in query["sql"]]
