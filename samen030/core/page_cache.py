"""A short-lived cache of public pages for anonymous visitors.

Public pages (the member overview, organisation, wijk and buurt pages) are the same for every visitor without an
account, so they are rendered once per language and URL and then served from the cache for PAGE_CACHE_SECONDS.
Anyone with a session or a messages cookie (logged in, or just shown a message) always gets a freshly rendered
page, so editors see their own changes at once. Every successful change made through the site (a POST, PUT, PATCH
or DELETE) moves the cache to a new version, so visitors see it on their next request; with a per-process cache
(no REDIS_URL) other worker processes catch up within PAGE_CACHE_SECONDS. Views whose changes show on no public page
(voting) are marked `keeps_public_pages` and leave the version alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

VERSION_KEY = "page-cache:version"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# Cookies that do not change what a public page shows (the language is part of the cache key).
NEUTRAL_COOKIES = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


def _version() -> int:
    return int(cache.get(VERSION_KEY, 0))


def bump_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not (set(request.COOKIES) - NEUTRAL_COOKIES)
        and not request.user.is_authenticated
    )


def cached_for_visitors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page-cache:{_version()}:{translation.get_language()}:{path}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["Content-Language"] = translation.get_language()
            return response
        response = view(request, *args, **kwargs)
        # Never keep a page that sets cookies or carries a CSRF token: those belong to one visitor.
        if (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and b"csrfmiddlewaretoken" not in response.content
        ):
            cache.set(key, (response.content, response["Content-Type"]), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapped


def keeps_public_pages(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view whose changes show on no cached public page (a ballot, a vote code entered in a session): its
    posts leave the cache's version alone. Without this, every ballot of a vote would empty the page cache for all
    visitors, thousands of times an hour."""
    view.keeps_public_pages = True  # type: ignore[attr-defined]
    return view


class PageCacheVersionMiddleware:
    """Moves the page cache to a new version after every successful change made through the site."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            match = getattr(request, "resolver_match", None)
            if not getattr(getattr(match, "func", None), "keeps_public_pages", False):
                bump_version()
        return response
