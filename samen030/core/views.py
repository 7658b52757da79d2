from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from samen030.core.page_cache import cached_for_visitors
from samen030.memberships.models import Application, Membership
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt, Wijk


@cached_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "wijk_count": Wijk.objects.count(),
        "buurt_count": Buurt.objects.count(),
        "member_count": Membership.objects.current().count(),
    }
    return render(request, "core/home.html", context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not; for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.edited_by(request.user).prefetch_related("memberships")
    applications = Application.objects.filter(organisation__in=organisations).select_related("organisation")
    return render(request, "core/account_home.html", {"organisations": organisations, "applications": applications})


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Plain text with no database access; the benchmarks also use it as their trivial baseline view."""
    return HttpResponse(
        "User-agent: *\nDisallow: /beheer/\nDisallow: /bestuur/\nDisallow: /account/\n", content_type="text/plain"
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form that failed the CSRF check: explain in plain language instead of Django's technical page."""
    return render(request, "403_csrf.html", status=403)


def switch_language(request: HttpRequest) -> HttpResponse:
    """Remember the chosen language in a cookie and go back. A plain link (GET), so that public pages carry no
    form token and can be cached for every visitor; choosing a language changes nothing but this preference."""
    language = request.GET.get("taal", "")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
