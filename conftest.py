"""Shared fixtures: Utrecht's geography and the personas every test speaks of.

Personas: a stranger (anonymous), a resident (verified account), the editor of a voting member (stemlid),
the editor of a supporting member (steunlid), a board member and a platform admin.
"""

from __future__ import annotations

import os

os.environ.setdefault("SAMEN030_TESTING", "1")

import pytest
from django.test import Client

from tests.factories import PASSWORD, EditorFactory, MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def places(db):
    """The gemeente, 10 wijken and 111 buurten, loaded the way `make run` does."""
    from samen030.places.services import load_indeling

    load_indeling()


@pytest.fixture
def lombok(places):
    from samen030.places.models import Buurt

    return Buurt.objects.get(code="BU03440121")


@pytest.fixture
def resident(db):
    return UserFactory(name="Rasida", email="rasida@example.nl")


@pytest.fixture
def board_member(db):
    return UserFactory(name="Bram", email="bram@example.nl", is_board=True)


@pytest.fixture
def platform_admin(db):
    return UserFactory(name="Ada", email="ada@example.nl", is_staff=True, is_superuser=True)


@pytest.fixture
def stemlid_org(lombok):
    organisation = OrganisationFactory(name="Buurthuis Lombok", slug="buurthuis-lombok", buurten=[lombok])
    MembershipFactory(organisation=organisation, type="stemlid")
    return organisation


@pytest.fixture
def steunlid_org(lombok):
    organisation = OrganisationFactory(
        name="Fietsenmaker Kanaalstraat", slug="fietsenmaker-kanaalstraat", kind="ondernemer", buurten=[lombok]
    )
    MembershipFactory(organisation=organisation, type="steunlid")
    return organisation


@pytest.fixture
def stemlid_editor(stemlid_org):
    return EditorFactory(organisation=stemlid_org, user=UserFactory(name="Sanne", email="sanne@example.nl")).user


@pytest.fixture
def steunlid_editor(steunlid_org):
    return EditorFactory(organisation=steunlid_org, user=UserFactory(name="Karim", email="karim@example.nl")).user


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def login():
    """login(user) -> a test client logged in as that user (None: a stranger)."""
    return client_for


@pytest.fixture
def password():
    return PASSWORD
