from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samen030.knowledge.models import Item


@pytest.fixture
def upload():
    def make(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, data, content_type=content_type)

    return make


@pytest.fixture
def item_data():
    """A valid library-item form submission; tests change what they need."""

    def make(**changes):
        data = {
            "kind": Item.Kind.IDEA,
            "title": "Buurtkeuken in het buurthuis",
            "summary": "Elke week samen koken voor buren.",
            "body": "We koken **samen**.",
            "themes": ["eten"],
            "licence": Item.Licence.CC_BY,
            "language": "nl",
            "audience": Item.Audience.PUBLIC,
            "alt_text": "",
            "deadlines_text": "",
        }
        data.update(changes)
        return {key: value for key, value in data.items() if value is not None}

    return make


@pytest.fixture
def make_item(db):
    def make(*, author=None, themes=("eten",), **fields):
        from samen030.activities.models import Theme

        defaults = {
            "kind": Item.Kind.IDEA,
            "title": "Repair Café starten",
            "summary": "Zo begin je een Repair Café.",
            "body": "Vrijwilligers repareren spullen.",
        }
        defaults.update(fields)
        item = Item.objects.create(slug=Item.unique_slug(defaults["title"]), author=author, **defaults)
        item.themes.set(Theme.objects.filter(slug__in=themes))
        from samen030.knowledge.services import reindex

        reindex(item)
        return item

    return make
