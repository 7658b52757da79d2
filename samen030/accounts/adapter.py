from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from samen030.core.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """The visitor's address for allauth's rate limits and log-in lock-out: the same as for every other limit
        (TRUSTED_PROXIES, see core.ratelimit.client_ip). allauth's own rule would see only REMOTE_ADDR, so behind
        the reverse proxy every visitor would be 127.0.0.1 and one attacker would lock everyone out."""
        return client_ip(request)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        user.name = form.cleaned_data.get("name", "") or user.name
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        if commit:
            user.save()
        return user
