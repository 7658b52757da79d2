"""Page-number pagination: `page` and `page_size` (at most API_MAX_PAGE_SIZE); a bad value is a 4xx, not a
silent default."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from .errors import InvalidParameters


class ApiPagination(PageNumberPagination):
    page_size = settings.API_PAGE_SIZE
    max_page_size = settings.API_MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    page_query_param = "page"

    def get_schema_operation_parameters(self, view: object) -> list[dict[str, object]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "The page number, from 1. A page beyond the last one is a 404.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, default {self.page_size}, at most {self.max_page_size}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def get_page_size(self, request: Request) -> int:
        value = request.query_params.get(self.page_size_query_param)
        if value is None or value == "":
            return self.page_size
        if not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            raise InvalidParameters(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(maximum)d.") % {"maximum": self.max_page_size}
                    ]
                }
            )
        return int(value)

    def get_page_number(self, request: Request, paginator: object) -> str:
        value = request.query_params.get(self.page_query_param) or "1"
        if not value.isdigit() or int(value) < 1:
            raise InvalidParameters({self.page_query_param: [_("Give a whole number from 1.")]})
        return value
