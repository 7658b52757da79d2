from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from samen030.knowledge.models import Deadline, DocumentVersion, Item

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_library_has_every_kind_with_real_files_and_runs_once(settings, client):
    settings.DEBUG = True
    call_command("load_demo", organisations=120, stdout=io.StringIO())
    assert Item.objects.count() >= 300
    assert set(Item.objects.values_list("kind", flat=True)) == set(Item.Kind.values)
    assert set(DocumentVersion.objects.values_list("format", flat=True)) == {"pdf", "docx", "odt", "xlsx", "png"}
    assert not DocumentVersion.objects.filter(extracted_text="").exclude(format="png").exists()
    assert Deadline.objects.exists()
    assert Item.objects.filter(audience=Item.Audience.MEMBERS).exists()
    # The words inside the files are found.
    assert client.get("/kennis/", {"q": "klussendienst"}).context["page_obj"].paginator.count > 0
    out = io.StringIO()
    call_command("load_demo", organisations=120, stdout=out)
    assert "nothing added" in out.getvalue()
