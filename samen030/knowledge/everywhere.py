"""One search box for the whole site: the social map (activities and services, organisations, wijken and buurten)
and the knowledge library, each with its first results and a link to its own search with all filters.

Each part asks the search of its own app, so the answers here are the answers there: activities through
`activities.search.search_activities` (the `/zoeken/` page), library items through `knowledge.search.find`
on the items this person may see (members-only items stay hidden from others), organisations by their folded name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from samen030.activities.search import ActivitySearchForm, search_activities
from samen030.core.page_cache import cached_for_visitors
from samen030.core.search import fold, parse_query
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt, Wijk

from . import search
from .models import Item

FIRST = 5  # results shown per part; the part's own page has the rest


class EverywhereForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search SAMEN030"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Activities, organisations, wijken and buurten, and the knowledge network."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )


@dataclass
class Part:
    """One kind of result: how many there are, the first few, and where to see them all."""

    key: str
    heading: str
    count: int
    first: list[Any] = field(default_factory=list)
    more_url: str = ""
    more_label: str = ""

    @property
    def rest(self) -> int:
        return self.count - len(self.first)


def _activities(query: str) -> Part:
    form = ActivitySearchForm({"q": query})
    found = search_activities(form.cleaned_data).for_listing() if form.is_valid() else None
    count = found.count() if found is not None else 0
    return Part(
        "activities",
        _("Activities and services"),
        count,
        list(found[:FIRST]) if found is not None and count else [],
        f"{reverse('activity-search')}?{urlencode({'q': query})}",
        _("All activities and services for “%(query)s”, with filters") % {"query": query},
    )


def _organisations(query: str) -> Part:
    found = (
        Organisation.objects.published()
        .search(query)
        .order_by("name")
        .only("name", "slug", "kind", "description", "citywide")
        .prefetch_related("wijken", "buurten")
    )
    count = found.count()
    return Part("organisations", _("Organisations"), count, list(found[:FIRST]) if count else [])


def _places(query: str) -> Part:
    wanted = fold(query.strip())
    places: list[tuple[str, Wijk | Buurt]] = []
    places += [(_("Wijk"), wijk) for wijk in Wijk.objects.only("code", "name").order_by("name")]
    places += [(_("Buurt"), buurt) for buurt in Buurt.objects.only("code", "name", "wijk_id").order_by("name")]
    found = [
        {"label": label, "name": place.name, "url": place.get_absolute_url()}
        for label, place in places
        if wanted in fold(place.name)
    ]
    return Part("places", _("Wijken and buurten"), len(found), found[:FIRST])


def _library(request: HttpRequest, query: str) -> Part:
    found, _facets = search.find(Item.objects.visible_to(request.user), query)  # the library page's own search
    return Part(
        "library",
        _("Knowledge network"),
        len(found),
        list(found[:FIRST]),
        f"{reverse('knowledge-list')}?{urlencode({'q': query})}",
        _("All items in the knowledge network for “%(query)s”, with filters") % {"query": query},
    )


@require_GET
@cached_for_visitors
def search_everything(request: HttpRequest) -> HttpResponse:
    form = EverywhereForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_bound and form.is_valid() else ""
    if query and not parse_query(query):
        form.add_error("q", _("Type at least one word with letters or digits."))
        query = ""
    parts = [_activities(query), _organisations(query), _places(query), _library(request, query)] if query else []
    context = {
        "form": form,
        "query": query,
        "parts": parts,
        "total": sum(part.count for part in parts),
        "breadcrumbs": [(None, _("Search"))],
    }
    return render(request, "knowledge/everywhere.html", context, status=400 if form.errors else 200)
