"""The one way views fetch an organisation: by slug, checked against a permission. Someone who may not see
it gets a 404, so the existence of unpublished organisations does not leak."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .models import Organisation


def get_organisation(
    request: HttpRequest, slug: str, permission: str = "organisations.view_organisation"
) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not request.user.has_perm("organisations.view_organisation", organisation):
        raise Http404
    if permission != "organisations.view_organisation" and not request.user.has_perm(permission, organisation):
        raise PermissionDenied
    return organisation
