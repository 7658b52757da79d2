"""A request rate per visitor's address for the API, read from settings.API_THROTTLE_RATE on every request (so tests
and deployments can change it without reloading Django REST framework's settings). The address is the one every
other rate limit uses (core.ratelimit.client_ip): behind a proxy in TRUSTED_PROXIES, the address it forwarded."""

from __future__ import annotations

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from samen030.core.ratelimit import client_ip


class PerAddressThrottle(AnonRateThrottle):
    scope = "api"

    def get_rate(self) -> str | None:
        rate: str | None = settings.API_THROTTLE_RATE
        return rate

    def get_ident(self, request: Request) -> str:
        return client_ip(request._request)
