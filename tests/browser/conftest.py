"""The browser tier: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page a test visits is checked with axe-core (WCAG 2.0/2.1 A and AA). Tests navigate through a `Browsing`
object: its `goto`, `follow` (click a link) and `submit` (press a submit button) run axe on the page they arrive at.
Every main-frame navigation is recorded, and at teardown the fixture fails the test if a page was visited that axe
did not check, so a test cannot quietly skip the accessibility check by navigating some other way.

Database: every test here uses `live_server` (through `open_page`), and pytest-django then runs the whole test as a
TransactionTestCase, also when it asks for `db`-based fixtures like `places`; so the server thread sees the test's data.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

# Playwright's sync API runs an asyncio event loop in this thread; Django would refuse ORM calls from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("SAMEN030_CHROMIUM", "/usr/bin/chromium"))  # Debian's package; never downloaded
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 10_000

# Runs in the page: axe's result, reduced to what a failure message needs.
AXE_RUN = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this directory is in the browser tier, even if its module forgets `pytestmark`."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)


def browser_required() -> bool:
    return os.environ.get("SAMEN030_REQUIRE_BROWSER", "") == "1"


def _missing(what: str) -> None:
    message = f"{what} The browser tier cannot run."
    if browser_required():
        pytest.fail(f"{message} SAMEN030_REQUIRE_BROWSER=1 is set, so this is an error (try `make chromium`).")
    pytest.skip(message)


def nl(message: str) -> str:
    """The text the site shows for `message` in Dutch, its default language (the msgid until it is translated)."""
    with translation.override("nl"):
        return translation.gettext(message)


def en(message: str) -> str:
    with translation.override("en"):
        return translation.gettext(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing (Debian package `chromium`).")
    if not AXE_SCRIPT.exists():
        _missing(f"{AXE_SCRIPT} is missing (run `npm ci`).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Navigation:
    url: str
    checked: bool = False


@dataclass
class Browsing:
    """One browser tab. Navigate with goto/follow/submit so that axe checks every page you arrive at."""

    page: Any
    base_url: str
    context_options: dict[str, Any] = field(default_factory=dict)
    navigations: list[Navigation] = field(default_factory=list)
    axe_reports: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.on("framenavigated", self._navigated)

    def _navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame and frame.url != "about:blank":
            self.navigations.append(Navigation(frame.url))

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def path(self) -> str:
        """The current path and query string, without the #fragment (browsers keep that across redirects)."""
        return self.page.url.removeprefix(self.base_url).split("#", 1)[0]

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.url(path))
        assert response is not None
        assert response.ok, f"GET {path} answered {response.status}"
        self.check_accessibility()
        return response

    def follow(self, locator: Any) -> None:
        """Click a link (or a submit button) and wait for the page it leads to; then check that page."""
        locator.wait_for(state="visible")
        with self.page.expect_navigation():
            locator.click()
        self.check_accessibility()

    submit = follow

    def press(self, locator: Any, key: str) -> None:
        """Press a key that navigates (Enter on a link or button) and check the page it leads to."""
        with self.page.expect_navigation():
            locator.press(key)
        self.check_accessibility()

    def check_accessibility(self) -> None:
        """Run axe-core on the current page; fail on any serious or critical WCAG 2.0/2.1 A/AA violation."""
        self.page.wait_for_load_state("load")
        if self.context_options.get("java_script_enabled", True):
            violations = run_axe(self.page)
        else:
            # axe.run() never settles in a page whose scripts are disabled (its timers do not fire). The pages are
            # server-rendered, so check the same URL, with the same cookies, in a tab that may run scripts.
            options = {**self.context_options, "java_script_enabled": True}
            context = self.page.context.browser.new_context(**options, storage_state=self.page.context.storage_state())
            try:
                twin = context.new_page()
                response = twin.goto(self.page.url)
                assert response is not None, f"the axe twin of {self.page.url} did not load"
                assert response.ok, f"the axe twin of {self.page.url} answered {response.status}"
                violations = run_axe(twin)
            finally:
                context.close()
        if self.navigations:
            self.navigations[-1].checked = True
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        report = format_violations(self.page.url, violations)
        if violations:
            self.axe_reports.append(report)
        assert not failing, report

    def unchecked(self) -> list[str]:
        return [navigation.url for navigation in self.navigations if not navigation.checked]


def run_axe(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN, AXE_TAGS)
    return violations


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        lines.extend(
            f"    {node['target']}: {(node['summary'] or '').splitlines()[-1:]}" for node in violation["nodes"]
        )
    return "\n".join(lines)


@pytest.fixture(autouse=True)
def _managed_lists(request: pytest.FixtureRequest) -> None:
    """Seed the themes and target groups again, as their data migration does.

    Every test here is a TransactionTestCase (through `live_server`), which empties all tables after each test, so
    rows that a migration created exist only for the first test of a run."""
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    seeding = importlib.import_module("samen030.activities.migrations.0002_seed_themes_and_target_groups")
    seeding.seed(apps, None)


@pytest.fixture
def open_page(browser, live_server) -> Iterator[Callable[..., Browsing]]:
    """open_page(**context_options) -> a new tab in a fresh browser context (no cookies shared with others)."""
    contexts: list[Any] = []
    tabs: list[Browsing] = []

    def opener(**options: Any) -> Browsing:
        options.setdefault("locale", "nl-NL")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        contexts.append(context)
        tab = Browsing(context.new_page(), live_server.url, context_options=options)
        tabs.append(tab)
        return tab

    yield opener
    try:
        for tab in tabs:
            for report in tab.axe_reports:
                print(report)  # moderate and minor findings: visible with -rP, they do not fail the test
        unchecked = [url for tab in tabs for url in tab.unchecked()]
        assert not unchecked, f"these pages were visited but never checked with axe-core: {unchecked}"
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def browse(open_page) -> Browsing:
    """A tab in a fresh browser context at desktop size, in Dutch."""
    return open_page()


@pytest.fixture
def log_in() -> Callable[[Browsing, Any], None]:
    """log_in(tab, user): log in through the real login form, as a person would."""
    from tests.factories import PASSWORD

    def do_log_in(tab: Browsing, user: Any) -> None:
        tab.goto("/account/login/")
        form = tab.page.locator("main form")
        form.get_by_label(nl("Email"), exact=True).fill(user.email)
        form.get_by_label(nl("Password"), exact=True).fill(PASSWORD)
        tab.submit(form.get_by_role("button", name=nl("Sign In")))
        assert not tab.path.startswith("/account/login/"), "the login form did not accept the persona's password"

    return do_log_in


def _buurt(code: str) -> Any:
    from samen030.places.models import Buurt

    return Buurt.objects.get(code=code)


@pytest.fixture
def member_elsewhere(places):
    """A member in Overvecht, so that the wijk filter has something to leave out."""
    from tests.factories import MembershipFactory, OrganisationFactory

    organisation = OrganisationFactory(
        name="Repair Café Overvecht", slug="repair-cafe-overvecht", buurten=[_buurt(code="BU03440311")]
    )
    MembershipFactory(organisation=organisation)
    return organisation
