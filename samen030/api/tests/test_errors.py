"""Errors are JSON in the request's language; the API is read-only and limits the request rate per address."""

import pytest


def test_errors_are_in_the_requests_language(client, places):
    dutch = client.get("/api/v1/buurten/", {"wijk": "WK999999"}, HTTP_ACCEPT_LANGUAGE="nl").json()
    english = client.get("/api/v1/buurten/", {"wijk": "WK999999"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english == {
        "detail": "Some parameters are not valid.",
        "errors": {"wijk": ["There is no wijk with this code."]},
    }
    assert dutch == {
        "detail": "Sommige parameters kloppen niet.",
        "errors": {"wijk": ["Er is geen wijk met deze code."]},
    }


def test_a_bad_page_size_message_names_the_maximum(client, places):
    body = client.get("/api/v1/wijken/", {"page_size": "500"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["errors"] == {"page_size": ["Give a whole number from 1 to 100."]}


def test_an_unknown_address_under_the_api_is_a_json_404(client, db):
    response = client.get("/api/v1/bestaat-niet/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no API endpoint at this address."}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, stemlid_org, method):
    response = getattr(client, method)("/api/v1/organisaties/buurthuis-lombok/", {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["detail"]


def test_logged_in_people_see_the_same_public_data(login, stemlid_editor, stemlid_org):
    stemlid_org.is_published = False
    stemlid_org.save()
    response = login(stemlid_editor).get("/api/v1/organisaties/buurthuis-lombok/")
    assert response.status_code == 404


def test_too_many_requests_from_one_address_get_a_429(client, places, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    statuses = [client.get("/api/v1/wijken/", REMOTE_ADDR="192.0.2.1").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/wijken/", REMOTE_ADDR="192.0.2.1", HTTP_ACCEPT_LANGUAGE="en")
    assert int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["detail"].lower()
    assert client.get("/api/v1/wijken/", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_the_index_links_to_every_list_and_the_schema(client, db):
    data = client.get("/api/v1/").json()
    assert data["schema"] == "http://testserver/api/v1/openapi.json"
    for name in ["wijken", "buurten", "organisations", "activities"]:
        assert client.get(data[name]).status_code == 200


def test_behind_the_proxy_requests_are_counted_by_the_forwarded_address(client, places, settings):
    settings.API_THROTTLE_RATE = "2/minute"
    settings.TRUSTED_PROXIES = {"127.0.0.1"}  # the one setting, as for the log-in and the contact form

    def get(forwarded_for, peer="127.0.0.1"):
        return client.get("/api/v1/wijken/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded_for).status_code

    # The proxy appends the address it saw; what a client puts in front of it does not count.
    assert [get("10.0.0.1, 198.51.100.7"), get("10.0.0.2, 198.51.100.7"), get("198.51.100.7")] == [200, 200, 429]
    assert get("198.51.100.8") == 200
    # A client that is not a trusted proxy cannot choose its address with the header.
    assert [get("198.51.100.9", peer="203.0.113.5"), get("198.51.100.10", peer="203.0.113.5")] == [200, 200]
    assert get("198.51.100.11", peer="203.0.113.5") == 429
