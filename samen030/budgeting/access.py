"""The one way views fetch a burgerbegroting or a plan, checked against a permission; and the vote-code guard."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from samen030.core.ratelimit import client_ip

from .models import START_FIELDS, Burgerbegroting, Plan, VoteCode

SESSION_KEY = "budgeting-code-{pk}"
CODE_ATTEMPTS = getattr(settings, "VOTE_CODE_ATTEMPTS", 10)
CODE_WINDOW_SECONDS = 15 * 60


def get_burgerbegroting(
    request: HttpRequest, slug: str, permission: str = "budgeting.view_burgerbegroting"
) -> Burgerbegroting:
    # the wijk's name only: its boundary (GeoJSON, often tens of kilobytes) is not shown on these pages
    bb = Burgerbegroting.objects.select_related("wijk").defer("wijk__geometry").filter(slug=slug).first()
    if bb is None:
        raise Http404
    if permission != "budgeting.view_burgerbegroting" and not request.user.has_perm(permission, bb):
        raise PermissionDenied
    return bb


# What a ballot post needs of the burgerbegroting: its phase (the recorded one and the dates), its rules and its
# area (see get_burgerbegroting_to_vote).
BALLOT_FIELDS = (
    "id",
    "slug",
    "title",
    "area_kind",
    "wijk_id",
    "budget",
    "rule",
    "ballot_type",
    "min_choices",
    "max_choices",
    "points",
    "min_age",
    "recorded_phase",
    *START_FIELDS.values(),
)
_BALLOT_SQL = f"SELECT {', '.join(BALLOT_FIELDS)} FROM budgeting_burgerbegroting WHERE slug = %s"  # noqa: S608 (fixed names)


def get_burgerbegroting_to_vote(slug: str) -> Burgerbegroting:
    """The burgerbegroting for a ballot post (everyone may see it): only the fields the checks need, with one plain
    query. A ballot post is the busiest request of a vote, and the ORM spends far more time building a query than
    the database spends answering this one. Other fields load when they are used, as with `.only()`."""
    with connection.cursor() as cursor:
        cursor.execute(_BALLOT_SQL, [slug])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    values = [_aware(value) if name in _DATE_FIELDS else value for name, value in zip(BALLOT_FIELDS, row, strict=True)]
    return Burgerbegroting.from_db(connection.alias, list(BALLOT_FIELDS), values)


_DATE_FIELDS = frozenset(START_FIELDS.values())


def _aware(value: Any) -> dt.datetime:
    """A date-time from a plain query: SQLite gives text in UTC (as Django stores it), PostgreSQL an aware value."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return cast(dt.datetime, value)


def get_plan(request: HttpRequest, bb: Burgerbegroting, pk: int, permission: str | None = None) -> Plan:
    plan = (
        Plan.objects.select_related("burgerbegroting", "buurt", "organisation", "submitted_by", "merged_into")
        .filter(burgerbegroting=bb, pk=pk)
        .exclude(status=Plan.Status.WITHDRAWN)
        .first()
    )
    if plan is None:
        raise Http404
    plan.burgerbegroting = bb
    if permission is not None and not request.user.has_perm(permission, plan):
        raise PermissionDenied
    return plan


def _attempts_key(request: HttpRequest) -> str:
    return f"budgeting-code-fail:{client_ip(request)}"


def code_attempts_left(request: HttpRequest) -> int:
    return max(0, CODE_ATTEMPTS - int(cache.get(_attempts_key(request), 0)))


def record_failed_code(request: HttpRequest) -> None:
    """Count a wrong code for this address; after CODE_ATTEMPTS wrong codes it must wait (guessing is slowed)."""
    key = _attempts_key(request)
    if cache.add(key, 1, CODE_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, CODE_WINDOW_SECONDS)


def remember_code(request: HttpRequest, code: VoteCode) -> None:
    request.session[SESSION_KEY.format(pk=code.burgerbegroting_id)] = code.pk


def code_id_in_session(request: HttpRequest, bb: Burgerbegroting) -> int | None:
    """The id of the vote code this session entered for `bb`, without reading the code: `services.cast_ballot`
    checks it in the statement that stores the ballot. Only `remember_code` puts it there, after checking it."""
    pk = request.session.get(SESSION_KEY.format(pk=bb.pk))
    return pk if isinstance(pk, int) else None


def code_in_session(request: HttpRequest, bb: Burgerbegroting) -> VoteCode | None:
    pk = code_id_in_session(request, bb)
    if pk is None:
        return None
    return VoteCode.objects.filter(pk=pk, burgerbegroting=bb).first()
