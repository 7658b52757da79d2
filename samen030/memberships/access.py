"""The one way views fetch an application: by id, checked against a permission (404 when not visible)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .models import Application


def get_application(request: HttpRequest, pk: int, permission: str = "memberships.view_application") -> Application:
    application = Application.objects.select_related("organisation", "submitted_by", "decided_by").filter(pk=pk).first()
    if application is None or not request.user.has_perm("memberships.view_application", application):
        raise Http404
    if permission != "memberships.view_application" and not request.user.has_perm(permission, application):
        raise PermissionDenied
    return application
