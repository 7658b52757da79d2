"""Counting requests per visitor in Django's cache (Redis in production, through REDIS_URL), to limit abuse.

Counters live in fixed windows: the key holds a hash of who is counted (an internet address, an email address),
never the value itself, and expires with its window. With the per-process cache (no REDIS_URL) each worker counts
for itself, so the real limit is the configured one times the number of worker processes.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's internet address. Behind our own reverse proxy (a peer in TRUSTED_PROXIES), the address the
    proxy appended last to X-Forwarded-For; anything before it was written by the client and is not trusted."""
    peer = request.META.get("REMOTE_ADDR", "") or "unknown"
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and peer in settings.TRUSTED_PROXIES:
        candidate = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return peer
    return peer


def allow(scope: str, who: str, *, limit: int, window: int) -> bool:
    """Count one more request by `who` in `scope`; False once more than `limit` were made in this window."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{who.strip().lower()}".encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}:{int(time.time()) // window}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
