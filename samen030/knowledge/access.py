"""The one way views fetch a library item or a file version: someone who may not read it gets a 404, so that
members-only and hidden items do not leak."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .models import DocumentVersion, Item


def get_item(request: HttpRequest, slug: str, permission: str = "knowledge.view_item") -> Item:
    item = Item.objects.filter(slug=slug).first()
    if item is None or not request.user.has_perm("knowledge.view_item", item):
        raise Http404
    if permission != "knowledge.view_item" and not request.user.has_perm(permission, item):
        raise PermissionDenied
    return item


def get_version(request: HttpRequest, pk: int) -> DocumentVersion:
    version = DocumentVersion.objects.select_related("document__item").filter(pk=pk).first()
    if version is None or not request.user.has_perm("knowledge.view_item", version.document.item):
        raise Http404
    return version
