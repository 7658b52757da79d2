from __future__ import annotations

import datetime as dt
import json
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from samen030.core.page_cache import cached_for_visitors
from samen030.organisations.access import get_organisation
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt, Wijk
from samen030.places.views import ATTRIBUTION as BOUNDARY_ATTRIBUTION

from . import downloads, schedule, services
from .access import get_activity
from .forms import ActivityForm, HideForm, ListingFilterForm
from .ical import calendar_for
from .jsonld import activity_jsonld
from .map import feature_collection
from .models import Activity, ActivityQuerySet, Theme
from .opendata import ATTRIBUTION, LICENCE_TITLE, LICENCE_URL
from .schedule import Occurrence
from .search import ActivitySearchForm, next_dates, search_activities
from .similar import similar_to_activity
from .tokens import TokenExpired, TokenInvalid, read_confirm_token

# A "what's on" page shows the coming eight weeks, fifty dates per page.
LISTING_WINDOW = dt.timedelta(weeks=8)
OCCURRENCES_PER_PAGE = 50
RESULTS_PER_PAGE = 20


def upcoming(activities: ActivityQuerySet, *, now: dt.datetime) -> list[tuple[Occurrence, int, str]]:
    """Every date in the window of every activity as (occurrence, pk, title), soonest first (recurring activities
    expanded). Only the schedule is read here, as plain values (a busy buurt has a thousand activities);
    `with_details` fetches the rest for the one page that is shown."""
    found: list[tuple[Occurrence, int, str]] = []
    end = now + LISTING_WINDOW
    rows = activities.current(now=now).values_list("pk", "title", "starts_at", "ends_at", "rrule", "exdates")
    for pk, title, starts_at, ends_at, rrule, exdates in rows:
        dates = schedule.occurrences(
            starts_at=starts_at,
            ends_at=ends_at,
            rrule=rrule,
            exdates=[dt.date.fromisoformat(value) for value in exdates],
            window_start=now,
            window_end=end,
        )
        found.extend((occurrence, pk, title) for occurrence in dates)
    found.sort(key=lambda found_date: (found_date[0].start, found_date[2]))
    return found


def with_details(dates: list[tuple[Occurrence, int, str]]) -> list[tuple[Occurrence, Activity]]:
    full = Activity.objects.for_listing().in_bulk({pk for _occurrence, pk, _title in dates})
    return [(occurrence, full[pk]) for occurrence, pk, _title in dates]


def listing(
    request: HttpRequest,
    activities: ActivityQuerySet,
    *,
    title: str,
    feed_url: str,
    context: dict[str, Any],
    map_filters: dict[str, str] | None = None,
) -> HttpResponse:
    form = ListingFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["theme"]:
            activities = activities.with_theme(form.cleaned_data["theme"])
        if form.cleaned_data["kind"]:
            activities = activities.filter(kind=form.cleaned_data["kind"])
    page = Paginator(upcoming(activities, now=timezone.now()), OCCURRENCES_PER_PAGE).get_page(request.GET.get("page"))
    shown = with_details(list(page.object_list))
    days = [(day, list(pairs)) for day, pairs in groupby(shown, key=lambda pair: pair[0].start.date())]
    query = request.GET.copy()
    query.pop("page", None)
    if map_filters is not None:
        map_filters = {
            # the listing's own filters, under the search page's names
            **{new: request.GET[old] for old, new in (("theme", "thema"), ("kind", "soort")) if request.GET.get(old)},
            **map_filters,
        }
    return render(
        request,
        "activities/activity_list.html",
        {
            "map_url": f"{reverse('activity-map')}?{urlencode(map_filters)}" if map_filters is not None else "",
            "title": title,
            "feed_url": feed_url,
            "form": form,
            "page_obj": page,
            "days": days,
            "querystring_without_page": f"{query.urlencode()}&" if query else "",
            "window_weeks": LISTING_WINDOW.days // 7,
            **context,
        },
    )


@cached_for_visitors
def buurt_activities(request: HttpRequest, code: str) -> HttpResponse:
    buurt = get_object_or_404(Buurt.objects.select_related("wijk"), code=code.upper())
    return listing(
        request,
        Activity.objects.public().serving_buurt(buurt),
        title=_("What's on in %(name)s") % {"name": buurt.name},
        feed_url=reverse("buurt-activities-feed", args=[buurt.code]),
        map_filters={"buurt": buurt.code},
        context={
            "place": buurt,
            "breadcrumbs": [
                (reverse("wijk-list"), _("Wijken and buurten")),
                (buurt.wijk.get_absolute_url(), buurt.wijk.name),
                (buurt.get_absolute_url(), buurt.name),
                (None, _("What's on")),
            ],
        },
    )


@cached_for_visitors
def wijk_activities(request: HttpRequest, code: str) -> HttpResponse:
    wijk = get_object_or_404(Wijk, code=code.upper())
    return listing(
        request,
        Activity.objects.public().serving_wijk(wijk),
        title=_("What's on in %(name)s") % {"name": wijk.name},
        feed_url=reverse("wijk-activities-feed", args=[wijk.code]),
        map_filters={"wijk": wijk.code},
        context={
            "place": wijk,
            "breadcrumbs": [
                (reverse("wijk-list"), _("Wijken and buurten")),
                (wijk.get_absolute_url(), wijk.name),
                (None, _("What's on")),
            ],
        },
    )


@cached_for_visitors
def theme_activities(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    return listing(
        request,
        Activity.objects.public().with_theme(theme),
        title=_("What's on: %(theme)s") % {"theme": theme},
        feed_url=reverse("theme-activities-feed", args=[theme.slug]),
        map_filters={"thema": theme.slug},
        context={"theme": theme, "breadcrumbs": [(None, _("What's on: %(theme)s") % {"theme": theme})]},
    )


@cached_for_visitors
def organisation_activities(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation(request, slug)
    can_add = request.user.has_perm("activities.add_activity", organisation)
    managed = Activity.objects.of_organisation(organisation).order_by("title") if can_add else Activity.objects.none()
    return listing(
        request,
        Activity.objects.public().of_organisation(organisation),
        title=_("Activities of %(name)s") % {"name": organisation.name},
        feed_url=reverse("organisation-activities-feed", args=[organisation.slug]),
        context={
            "organisation": organisation,
            "can_add": can_add,
            "managed": managed,
            "breadcrumbs": [
                (reverse("member-list"), _("Our members")),
                (organisation.get_absolute_url(), organisation.name),
                (None, _("Activities")),
            ],
        },
    )


@require_GET
@cached_for_visitors
def activity_search(request: HttpRequest) -> HttpResponse:
    """Search with filters; every search is its GET URL. Bad input gives messages at the fields, never an error."""
    form = ActivitySearchForm(request.GET)
    page = None
    results: list[tuple[Activity, list[Occurrence]]] = []
    if form.is_valid():
        now = timezone.now()
        found = search_activities(form.cleaned_data, now=now).for_listing()
        page = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        results = [(activity, next_dates(activity, form.cleaned_data, now=now)) for activity in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "activities/activity_search.html",
        {
            "form": form,
            "page_obj": page,
            "results": results,
            "searched": bool(query),
            "querystring_without_page": f"{query.urlencode()}&" if query else "",
            "breadcrumbs": [(None, _("Search activities and services"))],
        },
    )


def activity_detail(request: HttpRequest, slug: str) -> HttpResponse:
    activity = get_activity(request, slug)
    organisations = list(activity.organisations.all())
    now = timezone.now()
    context = {
        "activity": activity,
        "organisations": organisations,
        "themes": activity.themes.all(),
        "target_groups": activity.target_groups.all(),
        "buurten": activity.buurten.select_related("wijk"),
        "next_dates": activity.occurrences(now, now + LISTING_WINDOW)[:8],
        "jsonld": activity_jsonld(activity),
        "similar": similar_to_activity(activity, organisations),
        "can_change": request.user.has_perm("activities.change_activity", activity),
        "can_hide": request.user.has_perm("activities.hide_activity", activity),
        "is_public": not activity.is_paused and not activity.is_hidden and any(o.is_published for o in organisations),
        "breadcrumbs": [
            *([(organisations[0].get_absolute_url(), organisations[0].name)] if organisations else []),
            (None, activity.title),
        ],
    }
    return render(request, "activities/activity_detail.html", context)


@login_required
def activity_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation(request, slug, "activities.add_activity")
    form = ActivityForm(request.POST or None, user=request.user, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        activity = services.create_activity(form=form, organisation=organisation, created_by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The activity is saved."))
        return redirect(activity)
    return render(request, "activities/activity_form.html", {"form": form, "organisation": organisation})


@login_required
def activity_edit(request: HttpRequest, slug: str) -> HttpResponse:
    activity = get_activity(request, slug, "activities.change_activity")
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_activity(form=form)
        messages.success(request, _("The changes are saved."))
        return redirect(activity)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@require_POST
@login_required
def activity_duplicate(request: HttpRequest, slug: str) -> HttpResponse:
    activity = get_activity(request, slug, "activities.change_activity")
    try:
        copy = services.duplicate_activity(activity=activity, created_by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(activity)
    messages.success(request, _("This is a paused copy. Change what you need, then make it visible."))
    return redirect("activity-edit", slug=copy.slug)


@require_POST
@login_required
def activity_pause(request: HttpRequest, slug: str) -> HttpResponse:
    activity = get_activity(request, slug, "activities.change_activity")
    services.pause_activity(activity=activity)
    messages.success(request, _("The activity is paused. Nobody else sees it until you make it visible again."))
    return redirect(activity)


@require_POST
@login_required
def activity_resume(request: HttpRequest, slug: str) -> HttpResponse:
    activity = get_activity(request, slug, "activities.change_activity")
    services.resume_activity(activity=activity)
    messages.success(request, _("The activity is visible again."))
    return redirect(activity)


@require_POST
@login_required
def activity_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    activity = get_activity(request, slug, "activities.change_activity")
    services.confirm_activity(activity=activity)
    messages.success(request, _("Thank you. The activity is confirmed as up to date."))
    return redirect(activity)


def activity_confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    """The one-click link from a reminder email. GET only shows a button (mail scanners follow links, and must not
    confirm anything); POST confirms, without logging in: the signed token is the permission."""
    try:
        activity_id, confirmed = read_confirm_token(token)
    except TokenExpired:
        problem = _("This link has expired. Log in and confirm the listing on its page.")
    except TokenInvalid:
        problem = _("This link is not valid. Copy the whole link from the email, or log in.")
    else:
        activity = Activity.objects.filter(pk=activity_id).first()
        problem = _("This activity no longer exists.") if activity is None else ""
    if problem or activity is None:
        return render(request, "activities/activity_confirm_link.html", {"problem": problem}, status=400)
    context = {"activity": activity, "already": int(activity.confirmed_at.timestamp()) != confirmed}
    if request.method == "POST" and not context["already"]:
        if services.confirm_by_link(token=token) is not None:
            messages.success(request, _("Thank you. The activity is confirmed as up to date."))
        return redirect(activity)
    return render(request, "activities/activity_confirm_link.html", context)


@login_required
def activity_remove(request: HttpRequest, slug: str) -> HttpResponse:
    activity = get_activity(request, slug, "activities.delete_activity")
    if request.method == "POST":
        first = activity.organisations.first()
        services.remove_activity(activity=activity)
        messages.success(request, _("The activity has been removed."))
        return redirect("organisation-activities", slug=first.slug) if first else redirect("account-home")
    return render(request, "activities/activity_remove.html", {"activity": activity})


@login_required
def activity_hide(request: HttpRequest, slug: str) -> HttpResponse:
    activity = get_activity(request, slug, "activities.hide_activity")
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_activity(activity=activity, reason=form.cleaned_data["reason"], hidden_by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("The activity is hidden. Its editors see your reason."))
            return redirect(activity)
    return render(request, "activities/activity_hide.html", {"activity": activity, "form": form})


@require_POST
@login_required
def activity_unhide(request: HttpRequest, slug: str) -> HttpResponse:
    activity = get_activity(request, slug, "activities.hide_activity")
    services.unhide_activity(activity=activity)
    messages.success(request, _("The activity is visible again."))
    return redirect(activity)


# iCalendar feeds ---------------------------------------------------------------------------------------------


def feed_response(activities: ActivityQuerySet, *, name: str, filename: str) -> HttpResponse:
    activities = activities.current().prefetch_related(Prefetch("themes", queryset=Theme.objects.all()))
    response = HttpResponse(calendar_for(activities, name=name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


@require_GET
def buurt_activities_feed(request: HttpRequest, code: str) -> HttpResponse:
    buurt = get_object_or_404(Buurt, code=code.upper())
    name = _("What's on in %(name)s") % {"name": buurt.name}
    return feed_response(Activity.objects.public().serving_buurt(buurt), name=name, filename=buurt.code)


@require_GET
def wijk_activities_feed(request: HttpRequest, code: str) -> HttpResponse:
    wijk = get_object_or_404(Wijk, code=code.upper())
    name = _("What's on in %(name)s") % {"name": wijk.name}
    return feed_response(Activity.objects.public().serving_wijk(wijk), name=name, filename=wijk.code)


@require_GET
def theme_activities_feed(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    name = _("What's on: %(theme)s") % {"theme": theme}
    return feed_response(Activity.objects.public().with_theme(theme), name=name, filename=theme.slug)


@require_GET
def organisation_activities_feed(request: HttpRequest, slug: str) -> HttpResponse:
    organisation: Organisation = get_organisation(request, slug)
    name = _("Activities of %(name)s") % {"name": organisation.name}
    activities = Activity.objects.public().of_organisation(organisation)
    return feed_response(activities, name=name, filename=organisation.slug)


# The map ----------------------------------------------------------------------------------------------------

MAP_LIST_PER_PAGE = 50


@cached_for_visitors
def activity_map(request: HttpRequest) -> HttpResponse:
    """The search results as a list (the accessible alternative; it works alone) with a map beside it. Takes the
    GET parameters of the search page; the map loads the GeoJSON of the same search."""
    form = ActivitySearchForm(request.GET)
    page = None
    if form.is_valid():
        found = search_activities(form.cleaned_data).select_related("location_buurt").prefetch_related("themes")
        page = Paginator(found, MAP_LIST_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filters = query.urlencode()
    cleaned = form.cleaned_data if form.is_valid() else {}
    wijk = cleaned.get("wijk") or (cleaned["buurt"].wijk if cleaned.get("buurt") else None)
    return render(
        request,
        "activities/activity_map.html",
        {
            "form": form,
            "page_obj": page,
            "querystring_without_page": f"{filters}&" if filters else "",
            "search_url": reverse("activity-search") + (f"?{filters}" if filters else ""),
            "geojson_url": reverse("activities-geojson") + (f"?{filters}" if filters else ""),
            "buurten_url": reverse("buurten-geojson") + (f"?wijk={wijk.code}" if wijk else ""),
            "has_boundaries": Buurt.objects.with_boundaries().exists(),
            "attribution": BOUNDARY_ATTRIBUTION,
            "breadcrumbs": [(None, _("Map of activities and services"))],
        },
    )


@require_GET
@gzip_page
@cached_for_visitors
def activities_geojson(request: HttpRequest) -> HttpResponse:
    """The activities on the map as GeoJSON (RFC 7946), for the same GET parameters as the search page."""
    form = ActivitySearchForm(request.GET)
    if not form.is_valid():
        errors = {field: [str(error) for error in errors] for field, errors in form.errors.items()}
        return JsonResponse({"error": _("Unknown filter value."), "fields": errors}, status=400)
    body = json.dumps(
        feature_collection(search_activities(form.cleaned_data)), ensure_ascii=False, separators=(",", ":")
    )
    return HttpResponse(body, content_type="application/geo+json")


# Open data ---------------------------------------------------------------------------------------------------------


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "activities/open_data.html",
        {
            "activity_count": Activity.objects.public().count(),
            "licence_title": LICENCE_TITLE,
            "licence_url": LICENCE_URL,
            "attribution": ATTRIBUTION,
            "breadcrumbs": [(None, _("Open data"))],
        },
    )


@require_GET
def open_data_download(request: HttpRequest, name: str) -> FileResponse:
    download = downloads.DOWNLOADS.get(name)
    if download is None:
        raise Http404
    path = downloads.fresh(download)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=download.content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response
