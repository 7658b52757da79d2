"""Every change to an activity goes through one of these functions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samen030.accounts.models import User
from samen030.core.emails import send_notification
from samen030.organisations.models import Organisation
from samen030.places.models import Postcode

from .models import CONFIRMATION_VALID_FOR, Activity, TargetGroup, Theme
from .search import index_activities, unindex_activity
from .tokens import CONFIRM_LINK_VALID_FOR, confirm_token, read_confirm_token


def locate(activity: Activity) -> None:
    """Derive the buurt from the postcode of the address; an online or at-home activity has no address."""
    if activity.location != Activity.Location.ADDRESS:
        activity.venue = activity.street = activity.house_number = activity.postcode = ""
        activity.location_buurt = None
        return
    activity.online_url = ""
    activity.location_buurt = Postcode.objects.buurt_for(activity.postcode) if activity.postcode else None


def _save(activity: Activity, form: Any) -> Activity:
    locate(activity)
    if activity.cost != Activity.Cost.PRICE:
        activity.price = None
    activity.confirmed_at = timezone.now()  # saving the listing confirms it
    activity.save()
    form.save_m2m()
    return activity


@transaction.atomic
def create_activity(*, form: Any, organisation: Organisation, created_by: User) -> Activity:
    """Save a valid ActivityForm as a new activity of the organisation (and of any co-organisers chosen)."""
    activity: Activity = form.save(commit=False)
    activity.slug = Activity.unique_slug(activity.title)
    activity.created_by = created_by
    _save(activity, form)
    activity.organisations.add(organisation)
    index_activities([activity.pk])
    return activity


@transaction.atomic
def update_activity(*, form: Any, organisation: Organisation | None = None) -> Activity:
    activity: Activity = form.save(commit=False)
    _save(activity, form)
    if organisation is not None:
        activity.organisations.add(organisation)
    index_activities([activity.pk])
    return activity


@transaction.atomic
def duplicate_activity(*, activity: Activity, created_by: User) -> Activity:
    """A paused copy, so that the editors can change the date or title before anyone sees it. A hidden activity
    cannot be copied: the copy would escape the board's decision."""
    if activity.is_hidden:
        raise ValidationError(_("The board has hidden this activity, so it cannot be copied."))
    copy = Activity(**activity.copy_fields())
    copy.title = _("%(title)s (copy)") % {"title": activity.title}
    copy.title = copy.title[:120]
    copy.slug = Activity.unique_slug(copy.title)
    copy.is_paused = True
    copy.created_by = created_by
    copy.confirmed_at = timezone.now()
    copy.save()
    copy.organisations.set(activity.organisations.all())
    copy.themes.set(activity.themes.all())
    copy.target_groups.set(activity.target_groups.all())
    copy.buurten.set(activity.buurten.all())
    index_activities([copy.pk])
    return copy


@transaction.atomic
def pause_activity(*, activity: Activity) -> None:
    activity.is_paused = True
    activity.save(update_fields=["is_paused", "updated_at"])


@transaction.atomic
def resume_activity(*, activity: Activity) -> None:
    activity.is_paused = False
    activity.save(update_fields=["is_paused", "updated_at"])


@transaction.atomic
def confirm_activity(*, activity: Activity) -> None:
    """An editor says the listing is still right."""
    activity.confirmed_at = timezone.now()
    activity.save(update_fields=["confirmed_at", "updated_at"])
    index_activities([activity.pk])  # also brings the next date up to date


@transaction.atomic
def remove_activity(*, activity: Activity) -> None:
    unindex_activity(activity.pk)
    activity.delete()


@transaction.atomic
def hide_activity(*, activity: Activity, reason: str, hidden_by: User) -> None:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Tell the editors why you hide this activity."))
    activity.hidden_at, activity.hidden_reason, activity.hidden_by = timezone.now(), reason, hidden_by
    activity.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])


@transaction.atomic
def unhide_activity(*, activity: Activity) -> None:
    activity.hidden_at, activity.hidden_reason, activity.hidden_by = None, "", None
    activity.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])


def send_confirmation_reminders(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Email the editors of every listing due for a reminder (see `ActivityQuerySet.due_for_reminder`): one email per
    editor listing all of their listings with a one-click confirm link each, then record the reminder so the next
    daily run does not send it again. Returns (listings, emails)."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Activity.objects.due_for_reminder(now=now)
            .select_for_update(of=("self",))
            .prefetch_related("organisations__editors__user")
            .order_by("title", "pk")
        )
        by_editor: dict[int, tuple[User, list[tuple[Activity, str]]]] = {}
        for activity in due:
            link = settings.SITE_URL + reverse("activity-confirm-link", args=[confirm_token(activity)])
            editors = {editor.user for org in activity.organisations.all() for editor in org.editors.all()}
            for user in editors:
                by_editor.setdefault(user.pk, (user, []))[1].append((activity, link))
        Activity.objects.filter(pk__in=[activity.pk for activity in due]).update(reminded_at=now)

    def send() -> int:
        return sum(
            send_notification(
                [user],
                "activities/email/confirm_reminder",
                {
                    "listings": [
                        (activity, link, activity.is_dropped_from_search(now=now)) for activity, link in listings
                    ],
                    "valid_until": now + CONFIRM_LINK_VALID_FOR,
                    "valid_for_months": CONFIRMATION_VALID_FOR.days // 30,
                },
            )
            for user, listings in by_editor.values()
        )

    return len(due), send()


@transaction.atomic
def confirm_by_link(*, token: str) -> Activity | None:
    """Confirm the listing a reminder's link names (raises TokenExpired or TokenInvalid). None when it was
    already confirmed after the email was sent, or no longer exists."""
    activity_id, confirmed = read_confirm_token(token)
    activity = Activity.objects.select_for_update().filter(pk=activity_id).first()
    if activity is None or int(activity.confirmed_at.timestamp()) != confirmed:
        return None
    confirm_activity(activity=activity)
    return activity


@transaction.atomic
def reindex_activities_of(
    *, organisation: Organisation | None = None, theme: Theme | None = None, target_group: TargetGroup | None = None
) -> int:
    """Derive the search columns again of every activity of an organisation, or with a theme or target group, after
    its name changed (the names are part of the searchable tags). Returns how many activities were indexed."""
    relation: dict[str, Any] = {}
    if organisation is not None:
        relation["organisations"] = organisation
    if theme is not None:
        relation["themes"] = theme
    if target_group is not None:
        relation["target_groups"] = target_group
    if not relation:
        return 0
    pks = Activity.objects.filter(**relation).values_list("pk", flat=True).distinct()
    return index_activities(list(pks))


@transaction.atomic
def import_activity(*, form: Any, slug: str = "", confirmed_at: dt.datetime | None = None) -> Activity:
    """Save a valid ActivityImportForm from the import command: a new activity (keeping the file's web address
    when it is free) or an update of the one with that address. The file's confirmation date is kept."""
    activity: Activity = form.save(commit=False)
    if activity._state.adding:
        taken = bool(slug) and Activity.objects.filter(slug=slug).exists()
        activity.slug = slug if slug and not taken else Activity.unique_slug(activity.title)
    _save(activity, form)
    if confirmed_at is not None:
        activity.confirmed_at = confirmed_at
        activity.save(update_fields=["confirmed_at"])
    index_activities([activity.pk])
    return activity
