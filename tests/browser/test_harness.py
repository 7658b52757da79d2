"""The harness itself: axe fails a test on a serious violation, and a page that axe never saw is noticed."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.usefixtures("places")
def test_axe_fails_on_a_serious_violation_and_names_the_rule_and_node(browse):
    browse.goto("/")
    browse.page.evaluate(
        """() => {
          const img = document.createElement("img");
          img.id = "unnamed-image";
          img.src = "/static/samen030/does-not-exist.png";
          document.querySelector("main").append(img);
        }"""
    )
    with pytest.raises(AssertionError) as failure:
        browse.check_accessibility()
    message = str(failure.value)
    assert "[critical] image-alt" in message
    assert "#unnamed-image" in message


@pytest.mark.usefixtures("places")
def test_a_page_visited_without_axe_is_noticed(browse):
    browse.goto("/")
    assert browse.unchecked() == []
    browse.page.goto(browse.url("/wijken/"))  # straight through Playwright: axe did not run
    assert browse.unchecked() == [browse.url("/wijken/")]
    browse.check_accessibility()
    assert browse.unchecked() == []
