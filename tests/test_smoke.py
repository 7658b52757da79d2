import pytest


@pytest.mark.parametrize("url", ["/", "/wijken/", "/leden/", "/toegankelijkheid/", "/privacy/", "/lid-worden/"])
def test_public_pages_answer(client, places, url):
    assert client.get(url).status_code == 200
