"""The one way views fetch an activity: by slug, checked against a permission. Someone who may not see it gets a
404, so paused and hidden activities do not leak."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .models import Activity


def get_activity(request: HttpRequest, slug: str, permission: str = "activities.view_activity") -> Activity:
    activity = Activity.objects.select_related("location_buurt__wijk").filter(slug=slug).first()
    if activity is None or not request.user.has_perm("activities.view_activity", activity):
        raise Http404
    if permission != "activities.view_activity" and not request.user.has_perm(permission, activity):
        raise PermissionDenied
    return activity
