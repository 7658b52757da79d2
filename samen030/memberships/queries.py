"""Read-side queries over memberships that other apps use (the member overview, buurt pages)."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from samen030.organisations.models import Organisation, OrganisationQuerySet

from .models import Membership


def with_current_membership(organisations: OrganisationQuerySet) -> OrganisationQuerySet:
    """Each organisation annotated with its current `membership_type` and `member_since` (None if not a member)."""
    latest = Membership.objects.current().filter(organisation=OuterRef("pk")).order_by("-start_date")
    return organisations.annotate(
        membership_type=Subquery(latest.values("type")[:1]),
        member_since=Subquery(latest.values("start_date")[:1]),
    )


def member_organisations(*, of_type: str = "") -> OrganisationQuerySet:
    """Published organisations with a current membership (optionally of one type), each annotated with
    `membership_type` and `member_since`."""
    current = Membership.objects.current()
    if of_type:
        current = current.filter(type=of_type)
    # Filter with one uncorrelated IN (the current members) rather than on the annotation: the WHERE clause
    # then runs no subquery per organisation, and count() leaves the annotations out altogether.
    return with_current_membership(Organisation.objects.published().filter(pk__in=current.values("organisation_id")))
