from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from samen030.memberships.models import Application, Membership
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt, Wijk


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
