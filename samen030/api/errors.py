"""Every error the API gives is JSON: {"detail": "…"} and, for bad parameters, "errors" per parameter.

Messages are in the request's language (Accept-Language, or the language cookie of the site)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class InvalidParameters(exceptions.ValidationError):
    """Query parameters that a filter form refused; `errors` maps each parameter to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def exception_handler(error: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_exception_handler(error, context)
    if response is None:
        return None
    if isinstance(error, exceptions.ValidationError):
        errors = error.errors if isinstance(error, InvalidParameters) else response.data
        response.data = {"detail": _("Some parameters are not valid."), "errors": errors}
    return response


def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any address under /api/v1/ that is not an endpoint: a JSON 404, not the site's HTML page."""
    return JsonResponse({"detail": _("There is no API endpoint at this address.")}, status=404)
