"""A request rate per IP address for the API, read from settings.API_THROTTLE_RATE on every request (so tests
and deployments can change it without reloading Django REST framework's settings)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class PerAddressThrottle(AnonRateThrottle):
    scope = "api"

    def get_rate(self) -> str | None:
        rate: str | None = settings.API_THROTTLE_RATE
        return rate
