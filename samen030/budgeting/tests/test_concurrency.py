"""One ballot per voter under concurrency: 100 voters each submit twice at the same moment.

Each thread has its own database connection, so the two submissions of a voter really race: `cast_ballot` stores
with one INSERT … ON CONFLICT DO UPDATE, so the unique constraint turns the loser's insert into an update of the
winner's row. PostgreSQL allows
100 connections here, so the voters go in waves of 20 (40 threads at once); within a wave everything starts on one
barrier. SQLite writes one transaction at a time, so this needs PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection

from samen030.budgeting import services
from samen030.budgeting.models import Ballot, Burgerbegroting, Phase
from samen030.budgeting.tests.conftest import add_plan, make_burgerbegroting
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.slow,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="real concurrency needs PostgreSQL",
    ),
]

VOTERS = 100
WAVE = 20


def test_a_hundred_voters_submitting_twice_at_once_end_with_one_ballot_each(transactional_db, places, board_member):
    bb = make_burgerbegroting(ballot_type=Burgerbegroting.BallotType.APPROVAL, max_choices=2)
    bb.phase = Phase.VOTING
    bb.save()
    first, second = str(add_plan(bb, "Een", 100).pk), str(add_plan(bb, "Twee", 100).pk)
    voters = UserFactory.create_batch(VOTERS // 2)
    _batch, plain = services.generate_codes(burgerbegroting=bb, official=board_member, count=VOTERS // 2)
    codes = [services.find_code(burgerbegroting=bb, text=c) for c in plain]
    # half vote with an account, half with a code
    identities = [{"voter": v} for v in voters] + [{"vote_code": c} for c in codes]
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit(barrier: threading.Barrier, identity: dict, choice: str) -> None:
        try:
            barrier.wait(timeout=30)
            services.cast_ballot(burgerbegroting=bb, choices={choice: 1}, **identity)
            outcome = "ok"
        except Exception as error:  # a thread must report, not die silently
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    for start in range(0, VOTERS, WAVE):
        wave = identities[start : start + WAVE]
        barrier = threading.Barrier(2 * len(wave))
        threads = [
            threading.Thread(target=submit, args=(barrier, identity, choice))
            for identity in wave
            for choice in (first, second)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert outcomes == ["ok"] * (2 * VOTERS), [o for o in outcomes if o != "ok"][:5]
    assert Ballot.objects.filter(burgerbegroting=bb).count() == VOTERS
    assert (
        Ballot.objects.filter(burgerbegroting=bb, voter__isnull=False).values("voter").distinct().count() == VOTERS // 2
    )
    assert Ballot.objects.filter(burgerbegroting=bb, vote_code__isnull=False).count() == VOTERS // 2
    # each ballot holds one of the two submissions whole (the last one to commit), never a mix
    assert all(b.choices in ({first: 1}, {second: 1}) for b in Ballot.objects.filter(burgerbegroting=bb))
    assert sum(b.changes for b in Ballot.objects.filter(burgerbegroting=bb)) == VOTERS


def test_closing_the_vote_waits_for_ballots_being_cast(transactional_db, places, board_member):
    """A ballot racing the close is either counted in the result or refused; never stored after the count."""
    bb = make_burgerbegroting(ballot_type=Burgerbegroting.BallotType.APPROVAL, max_choices=1)
    bb.phase = Phase.VOTING
    bb.save()
    plan = str(add_plan(bb, "Een", 100).pk)
    voters = UserFactory.create_batch(30)
    barrier = threading.Barrier(31)

    def vote(voter) -> None:
        try:
            barrier.wait(timeout=30)
            services.cast_ballot(burgerbegroting=bb, choices={plan: 1}, voter=voter)
        except Exception:  # noqa: S110 (refused after the close: that is the point)
            pass
        finally:
            connection.close()

    def close() -> None:
        try:
            barrier.wait(timeout=30)
            services.close_vote(burgerbegroting=bb, official=board_member)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(v,)) for v in voters] + [threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    bb.refresh_from_db()
    assert bb.phase == Phase.RESULT
    assert bb.result.ballot_count == Ballot.objects.filter(burgerbegroting=bb).count()
