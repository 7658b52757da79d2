"""Filters are plain Django forms over the query string, so the API takes the same parameters and gives the same
messages as the pages. This module validates a request against such a form and describes the form's fields as
OpenAPI parameters, so the schema cannot drift from what the code accepts."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from .errors import InvalidParameters
from .filters import YesNoField


def clean_filters(form_class: type[forms.Form], request: Request) -> dict[str, Any]:
    """The form's cleaned data for the request's query string; raises InvalidParameters (a 400) on errors."""
    form = form_class(request.query_params)
    if not form.is_valid():
        raise InvalidParameters(
            {field: [str(message) for message in messages] for field, messages in form.errors.items()}
        )
    return form.cleaned_data


def _parameter_type(field: forms.Field) -> tuple[Any, list[str] | None]:
    if isinstance(field, forms.ModelChoiceField):
        return OpenApiTypes.STR, None  # values come from the database: listed by their own endpoints
    if isinstance(field, forms.ChoiceField):
        values = []
        for value, label in cast(Any, field).choices:
            # Grouped choices (<optgroup>) hold their values in a list; choices set in the form's __init__ (from
            # the database) are not in base_fields and give no enum.
            values += [str(item) for item, _label in label] if isinstance(label, list | tuple) else [str(value)]
        return OpenApiTypes.STR, [value for value in values if value != ""] or None
    if isinstance(field, forms.BooleanField | forms.NullBooleanField | YesNoField):
        return OpenApiTypes.BOOL, None
    if isinstance(field, forms.IntegerField):
        return OpenApiTypes.INT, None
    if isinstance(field, forms.DateField):
        return OpenApiTypes.DATE, None
    return OpenApiTypes.STR, None


def form_parameters(form_class: type[forms.Form], descriptions: dict[str, str] | None = None) -> list[OpenApiParameter]:
    """One query parameter per form field, with its type, allowed values and help text (or the description given
    here, for forms written for people rather than for the API)."""
    parameters = []
    for name, field in form_class.base_fields.items():
        kind, values = _parameter_type(field)
        description = (descriptions or {}).get(name) or str(field.help_text or field.label or name)
        many = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        parameters.append(
            OpenApiParameter(
                name,
                kind,
                OpenApiParameter.QUERY,
                required=False,
                description=description,
                enum=values,
                many=many or None,
            )
        )
    return parameters
