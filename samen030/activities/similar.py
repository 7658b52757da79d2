"""Organisations that do similar work in other buurten, for the organisation and activity pages.

Similar means: the candidate's public activities share themes with the reference (an organisation's public
activities, or one activity), with a small bonus for offering the same kind (activity or service) and for being
the same kind of organisation. Other buurten means: the candidate does not work in any of the reference's buurten
(through its buurten, its whole wijken or its address). City-wide organisations count as working elsewhere too: a
city-wide network is exactly what a buurt initiative looks for. Ranking runs in one query; the themes in common
for the handful shown take one more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, Value, When

from samen030.organisations.models import Organisation

from .models import Activity, Theme

SIMILAR_SHOWN = 5
THEME_WEIGHT = 3


@dataclass(frozen=True)
class Similar:
    organisation: Organisation
    themes: list[Theme]


def _similar(
    *,
    theme_ids: Collection[int],
    kinds: Collection[str],
    organisation_kinds: Collection[str],
    buurt_ids: Collection[str],
    exclude: Collection[int],
    limit: int,
) -> list[Similar]:
    if not theme_ids:
        return []
    public = Q(activities__is_paused=False, activities__hidden_at__isnull=True)
    area = Q(pk__in=Organisation.buurten.through.objects.filter(buurt_id__in=buurt_ids).values("organisation_id"))
    area |= Q(pk__in=Organisation.wijken.through.objects.filter(wijk__buurten__in=buurt_ids).values("organisation_id"))
    area |= Q(visiting_buurt_id__in=buurt_ids)
    candidates = (
        Organisation.objects.published()
        .exclude(pk__in=exclude)
        .exclude(area)
        .annotate(
            shared_themes=Count(
                "activities__themes", filter=public & Q(activities__themes__in=theme_ids), distinct=True
            ),
            same_kind=Count("activities", filter=public & Q(activities__kind__in=kinds), distinct=True),
        )
        .filter(shared_themes__gt=0)
        .annotate(
            score=F("shared_themes") * THEME_WEIGHT
            + Case(When(same_kind__gt=0, then=Value(1)), default=Value(0), output_field=IntegerField())
            + Case(When(kind__in=organisation_kinds, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .order_by("-score", "name")[:limit]
    )
    found = list(candidates)
    if not found:
        return []
    pairs = (
        Activity.themes.through.objects.filter(
            activity__organisations__in=found,
            activity__is_paused=False,
            activity__hidden_at__isnull=True,
            theme_id__in=theme_ids,
        )
        .values_list("activity__organisations", "theme_id")
        .distinct()
    )
    themes = Theme.objects.in_bulk(theme_ids)
    by_organisation: dict[int, list[Theme]] = defaultdict(list)
    for organisation_id, theme_id in pairs:
        by_organisation[organisation_id].append(themes[theme_id])
    return [
        Similar(organisation, sorted(by_organisation[organisation.pk], key=lambda t: (t.position, t.name)))
        for organisation in found
    ]


def similar_to_organisation(organisation: Organisation, *, limit: int = SIMILAR_SHOWN) -> list[Similar]:
    """Organisations doing what this organisation's public activities do, in other buurten."""
    offered = Activity.objects.public().of_organisation(organisation).values_list("kind", "themes")
    kinds = {kind for kind, _theme in offered}
    theme_ids = {theme for _kind, theme in offered if theme is not None}
    buurt_ids = set(organisation.buurten.values_list("code", flat=True))
    whole_wijken = Organisation.wijken.through.objects.filter(organisation=organisation)
    buurt_ids |= {code for code in whole_wijken.values_list("wijk__buurten", flat=True) if code}
    if organisation.visiting_buurt_id:
        buurt_ids.add(organisation.visiting_buurt_id)
    return _similar(
        theme_ids=theme_ids,
        kinds=kinds,
        organisation_kinds=[organisation.kind],
        buurt_ids=buurt_ids,
        exclude=[organisation.pk],
        limit=limit,
    )


def similar_to_activity(
    activity: Activity, organisations: list[Organisation], *, limit: int = SIMILAR_SHOWN
) -> list[Similar]:
    """Organisations offering activities like this one (its themes and kind) outside the buurten it is in and
    serves; its own organisations are left out."""
    buurt_ids = set(activity.buurten.values_list("code", flat=True))
    if activity.location_buurt_id:
        buurt_ids.add(activity.location_buurt_id)
    return _similar(
        theme_ids=set(activity.themes.values_list("pk", flat=True)),
        kinds=[activity.kind],
        organisation_kinds={organisation.kind for organisation in organisations},
        buurt_ids=buurt_ids,
        exclude=[organisation.pk for organisation in organisations],
        limit=limit,
    )
