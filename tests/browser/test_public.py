"""What a stranger does: browse by links, on a phone, by keyboard, without JavaScript and in English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from samen030.memberships.forms import MemberFilterForm
from tests.browser.conftest import en, nl

pytestmark = pytest.mark.browser

MENU = ["What's on", "Map", "Wijken and buurten", "Our members", "Knowledge network", "Become a member", "Log in"]


def breadcrumbs(browse) -> list[str]:
    trail = browse.page.get_by_role("navigation", name=nl("You are here"))
    current = trail.locator("[aria-current=page]")
    expect(current).to_have_count(1)
    items = trail.get_by_role("listitem").all_inner_texts()
    assert items[-1] == current.inner_text(), "the current page is the last crumb"
    return items


def menu(browse):
    """The main menu, by its accessible name in whichever language the page is in."""
    return browse.page.get_by_role("navigation", name=re.compile(f"^({nl('Main menu')}|{en('Main menu')})$"))


@pytest.mark.usefixtures("steunlid_org")
def test_stranger_browses_from_home_to_a_member(browse, stemlid_org, lombok):
    page = browse.page
    browse.goto("/")
    expect(page.get_by_role("navigation", name=nl("You are here"))).to_have_count(0)
    browse.follow(page.get_by_role("main").get_by_role("link", name=nl("Wijken and buurten"), exact=True))
    assert browse.path == "/wijken/"
    assert breadcrumbs(browse) == [nl("Home"), nl("Wijken and buurten")]

    wijken = page.get_by_role("table")
    expect(wijken.get_by_role("row")).to_have_count(11)  # a header row and the 10 wijken
    browse.follow(wijken.get_by_role("link", name="West", exact=True))
    assert browse.path == "/wijken/WK034401/"
    expect(page.get_by_role("heading", level=1)).to_contain_text("West")
    assert breadcrumbs(browse) == [nl("Home"), nl("Wijken and buurten"), "West"]

    browse.follow(page.get_by_role("main").get_by_role("link", name=lombok.name, exact=True))
    assert browse.path == f"/buurten/{lombok.code}/"
    assert breadcrumbs(browse) == [nl("Home"), nl("Wijken and buurten"), "West", lombok.name]
    members = page.get_by_role("main").locator(".samen030-card h3")
    expect(members).to_have_text(["Buurthuis Lombok", "Fietsenmaker Kanaalstraat"])

    browse.follow(page.get_by_role("main").get_by_role("link", name=stemlid_org.name, exact=True))
    assert browse.path == f"/organisaties/{stemlid_org.slug}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(stemlid_org.name)
    assert breadcrumbs(browse) == [nl("Home"), nl("Our members"), stemlid_org.name]
    # Back up the trail to the wijk through the organisation's own list of where it works.
    browse.follow(page.get_by_role("main").get_by_role("link", name=lombok.name, exact=True))
    assert browse.path == f"/buurten/{lombok.code}/"


@pytest.mark.parametrize(
    "path", ["/", "/wijken/", "/wijken/WK034401/", "/leden/", "/organisaties/buurthuis-lombok/", "/lid-worden/"]
)
@pytest.mark.usefixtures("stemlid_org", "steunlid_org", "member_elsewhere")
def test_phone_width_has_no_horizontal_scrolling(open_page, path):
    phone = open_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    phone.goto(path)  # axe runs at this width too
    width = phone.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width}px wide at a 360px viewport: content scrolls sideways"


@pytest.mark.usefixtures("places")
def test_phone_width_application_form(open_page, log_in, resident):
    """The longest form, with the buurten of all wijken, also fits a phone."""
    phone = open_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    log_in(phone, resident)
    phone.goto("/lid-worden/")
    expect(phone.page.get_by_role("checkbox", name="Lombok-Oost", exact=True)).to_be_visible()
    width = phone.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the application form is {width}px wide at a 360px viewport"


def focused(page) -> dict[str, str]:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return {tag: el.tagName, id: el.id, href: el.getAttribute("href") || "", text: el.innerText.trim(),
                  outline: getComputedStyle(el).outlineStyle, inMenu: !!el.closest("nav.samen030-nav")};
        }"""
    )


@pytest.mark.usefixtures("places")
def test_keyboard_skip_link_and_main_menu(browse):
    page = browse.page
    browse.goto("/")
    skip = page.get_by_role("link", name=nl("Skip to content"))
    expect(skip).not_to_be_in_viewport()  # hidden until it gets focus
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    browse.press(skip, "Enter")
    expect(page.get_by_role("main")).to_be_focused()
    # The next Tab continues inside the main content, past the header and the menu.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")

    browse.goto("/")
    expected = menu(browse).get_by_role("link").evaluate_all("links => links.map((a) => a.getAttribute('href'))")
    assert len(expected) == len(MENU)
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["inMenu"]:
            reached.append(element["href"])
            assert element["outline"] != "none", f"no visible focus on the menu link {element['text']}"
    assert reached == expected, "every main menu link is reachable with Tab, in order"


@pytest.mark.usefixtures("stemlid_org", "member_elsewhere")
def test_without_javascript_filters_and_lists_work(open_page):
    tab = open_page(java_script_enabled=False)
    page = tab.page
    tab.goto("/")
    page.add_script_tag(content="window.scriptsRan = true;")
    assert page.evaluate("() => window.scriptsRan") is None, "the page's own scripts must not run in this tab"
    tab.follow(menu(tab).get_by_role("link", name=nl("Our members")))
    cards = page.get_by_role("main").locator(".samen030-card h3")
    expect(cards).to_have_text(["Buurthuis Lombok", "Repair Café Overvecht"])
    filters = page.get_by_role("search", name=nl("Filter members"))
    with_label = re.compile(rf"^{re.escape(str(MemberFilterForm.base_fields['wijk'].label))}")
    filters.get_by_label(with_label).select_option(label="Overvecht")
    tab.submit(filters.get_by_role("button", name=nl("Show members")))
    assert tab.path == "/leden/?q=&wijk=WK034403&buurt=&kind=&type="
    expect(cards).to_have_text(["Repair Café Overvecht"])

    tab.follow(menu(tab).get_by_role("link", name=nl("Wijken and buurten")))
    tab.follow(page.get_by_role("table").get_by_role("link", name="Overvecht", exact=True))
    buurten = (
        page.get_by_role("main").get_by_role("list").filter(has=page.get_by_role("link", name="Poldergebied Overvecht"))
    )
    expect(buurten.get_by_role("listitem")).to_have_count(10)
    expect(page.get_by_role("heading", name=re.compile(r"^10 "))).to_be_visible()


@pytest.mark.usefixtures("places")
def test_language_switch(browse):
    page = browse.page
    browse.goto("/wijken/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(menu(browse).get_by_role("link")).to_have_text([nl(text) for text in MENU])
    expect(page.get_by_role("link", name="Nederlands")).to_have_count(0)

    browse.follow(page.get_by_role("link", name="English"))
    assert browse.path == "/wijken/", "the language switch keeps you on the same page"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(menu(browse).get_by_role("link")).to_have_text([en(text) for text in MENU])
    expect(page.get_by_role("heading", level=1)).to_have_text(en("Wijken and buurten of Utrecht"))
    # The choice sticks: the next page is English too.
    browse.follow(menu(browse).get_by_role("link", name=en("Our members")))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    browse.follow(page.get_by_role("link", name="Nederlands"))
    assert browse.path == "/leden/"
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(menu(browse).get_by_role("link")).to_have_text([nl(text) for text in MENU])
    expect(page.get_by_role("link", name="English")).to_be_visible()
