"""Read-side queries over memberships that other apps use (the member overview, buurt pages)."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from samen030.organisations.models import Organisation, OrganisationQuerySet

from .models import Membership


def member_organisations(*, of_type: str = "") -> OrganisationQuerySet:
    """Published organisations with a current membership (optionally of one type), each annotated with
    `membership_type` and `member_since`."""
    current = Membership.objects.current().filter(organisation=OuterRef("pk")).order_by("-start_date")
    if of_type:
        current = current.filter(type=of_type)
    return (
        Organisation.objects.published()
        .annotate(
            membership_type=Subquery(current.values("type")[:1]),
            member_since=Subquery(current.values("start_date")[:1]),
        )
        .filter(membership_type__isnull=False)
    )
