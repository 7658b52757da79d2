"""The knowledge network end to end: a member shares a PDF, a stranger finds it through the words inside the file
and reads it; someone fills in the statutes generator and downloads the draft. axe-core checks every page."""

from __future__ import annotations

import io
import re

import docx
import pytest
from django.utils import translation
from pypdf import PdfReader

from samen030.knowledge import samples
from samen030.knowledge.forms import ItemForm
from samen030.knowledge.models import Item
from samen030.knowledge.statutes import StatutesForm
from tests.browser.conftest import nl

pytestmark = pytest.mark.browser


def label(form_class, name: str) -> re.Pattern[str]:
    with translation.override("nl"):
        text = str(form_class.base_fields[name].label)
    return re.compile(rf"^{re.escape(text)}( \(.+\))?$")


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def test_a_member_shares_a_pdf_and_a_stranger_finds_and_reads_it(browse, open_page, log_in, stemlid_editor, tmp_path):
    page = browse.page
    log_in(browse, stemlid_editor)
    browse.goto("/kennis/")
    browse.follow(page.get_by_role("main").get_by_role("link", name=nl("Share something")))
    assert browse.path == "/kennis/delen/"
    form = page.locator("main form")
    with translation.override("nl"):
        idea = str(Item.Kind.IDEA.label)
    form.get_by_role("group", name=label(ItemForm, "kind")).get_by_label(idea, exact=True).check()
    form.get_by_label(label(ItemForm, "title")).fill("Wormenhotel in de binnentuin")
    form.get_by_label(label(ItemForm, "summary")).fill("Zo maakten we compost met de hele straat.")
    form.get_by_role("group", name=label(ItemForm, "themes")).get_by_label("Eten", exact=True).check()
    pdf = tmp_path / "handleiding.pdf"
    pdf.write_bytes(samples.pdf("Regenwormen eten groente-afval en maken compost"))
    form.get_by_label(label(ItemForm, "upload")).set_input_files(str(pdf))
    browse.submit(form.get_by_role("button", name=nl("Save")))
    item = Item.objects.get()
    assert browse.path == item.get_absolute_url()

    stranger = open_page()
    stranger.goto("/kennis/")
    search = stranger.page.get_by_role("search", name=nl("Search the library"))
    search.get_by_label(nl("Search"), exact=True).fill("regenwormen compost")
    stranger.submit(search.get_by_role("button", name=nl("Search")))
    stranger.follow(stranger.page.get_by_role("link", name="Wormenhotel in de binnentuin"))
    assert stranger.path == item.get_absolute_url()
    main = stranger.page.get_by_role("main")
    assert main.get_by_role("heading", level=1).inner_text() == "Wormenhotel in de binnentuin"
    download = main.get_by_role("link", name="handleiding.pdf")
    response = stranger.page.request.get(stranger.url(download.get_attribute("href")))
    assert response.ok
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert "Regenwormen" in text


def test_a_resident_searches_the_whole_site_from_the_header_on_a_phone(open_page, stemlid_org):
    from samen030.activities.models import Theme
    from samen030.knowledge.services import reindex
    from tests.factories import ActivityFactory

    ActivityFactory(title="Repair Café Lombok", slug="repair-cafe-lombok", organisations=[stemlid_org])
    item = Item.objects.create(slug="repair-cafe-starten", kind=Item.Kind.IDEA, title="Een Repair Café starten")
    item.themes.set(Theme.objects.filter(slug="eten"))
    reindex(item)
    phone = open_page(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = phone.page
    phone.goto("/")
    header_search = page.get_by_role("search", name=nl("Search the whole site"))
    box = header_search.get_by_role("searchbox", name=nl("Search SAMEN030"))
    box.fill("repair cafe")
    phone.press(box, "Enter")
    assert phone.path == "/alles-zoeken/?q=repair+cafe"
    main = page.get_by_role("main")
    assert main.get_by_role("heading", level=2, name=re.compile(nl("Activities and services"))).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing sticks out at phone width
    phone.follow(main.get_by_role("link", name="Een Repair Café starten"))
    assert phone.path == item.get_absolute_url()
    phone.goto("/alles-zoeken/?q=repair+cafe")
    phone.follow(page.get_by_role("main").get_by_role("link", name="Repair Café Lombok"))
    assert phone.path == "/activiteiten/repair-cafe-lombok/"


def test_someone_fills_in_the_statutes_generator_and_downloads_the_drafts(browse):
    page = browse.page
    browse.goto("/kennis/")
    browse.follow(page.get_by_role("main").get_by_role("link", name=nl("Statutes generator")))
    form = page.locator("main form")
    form.get_by_label(label(StatutesForm, "place")).fill("Lombok")
    form.get_by_label(label(StatutesForm, "area")).fill("de buurt Lombok in Utrecht")
    with page.expect_download() as word:
        form.get_by_role("button", name=nl("Download as Word (DOCX)")).click()
    document = docx.Document(word.value.path())
    assert document.paragraphs[0].text == "Concept-statuten Buurtcoöperatie Lombok U.A."
    with page.expect_download() as pdf:
        form.get_by_role("button", name=nl("Download as PDF")).click()
    reader = PdfReader(pdf.value.path())
    assert "notaris" in reader.pages[0].extract_text()
    # Leaving out a required answer shows the form again with the message, checked by axe.
    form.get_by_label(label(StatutesForm, "place")).fill("")
    browse.submit(form.get_by_role("button", name=nl("Download as PDF")))
    assert page.get_by_role("main").locator(".utrecht-form-field--invalid").count() >= 1
