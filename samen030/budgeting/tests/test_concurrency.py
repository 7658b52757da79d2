"""One ballot per voter under concurrency: 100 voters each submit twice at the same moment.

Each thread has its own database connection, so the two submissions of a voter really race: `cast_ballot` stores
with one INSERT … ON CONFLICT DO UPDATE, so the unique constraint turns the loser's insert into an update of the
winner's row. PostgreSQL allows
100 connections here, so the voters go in waves of 20 (40 threads at once); within a wave everything starts on one
barrier. SQLite writes one transaction at a time, so this needs PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import threading
import time

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from samen030.budgeting import services
from samen030.budgeting.models import AuditEvent, Ballot, Burgerbegroting, Phase, Result
from samen030.budgeting.tests.conftest import add_plan, make_burgerbegroting, set_phase
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
    set_phase(bb, Phase.VOTING)
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
    set_phase(bb, Phase.VOTING)
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


def test_two_advance_phases_runs_at_once_compute_the_result_once(transactional_db, places):
    """The timer fired twice at the same moment after the close: one run records the close and computes the
    result; the other waits for the lock and then finds nothing to do."""
    bb = make_burgerbegroting(slug="tegelijk", ballot_type=Burgerbegroting.BallotType.APPROVAL, max_choices=1)
    set_phase(bb, Phase.VOTING)
    plan = str(add_plan(bb, "Een", 100).pk)
    for voter in UserFactory.create_batch(20):
        services.cast_ballot(burgerbegroting=bb, choices={plan: 1}, voter=voter)
    Burgerbegroting.objects.filter(pk=bb.pk).update(voting_end=timezone.now() - dt.timedelta(minutes=1))
    barrier = threading.Barrier(2)
    outputs: list[str] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            out = io.StringIO()
            call_command("advance_phases", stdout=out)
            outputs.append(out.getvalue())
        except Exception as error:  # a thread must report, not die silently
            outputs.append(f"error: {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outputs) == ["", "tegelijk: uitslag, result\n"]
    events = AuditEvent.objects.filter(burgerbegroting=bb)
    assert events.filter(action=AuditEvent.Action.RESULT_COMPUTED).count() == 1
    assert events.filter(action=AuditEvent.Action.PHASE_CHANGED, details__new=Phase.RESULT).count() == 1
    assert Result.objects.get(burgerbegroting=bb).ballot_count == 20


def test_a_vote_closing_by_its_date_while_voters_keep_voting_counts_exactly_the_stored_ballots(
    transactional_db, places
):
    """Voters keep sending ballots across the close; the timer runs right after it. Whatever the timing, the
    published result is computed from exactly the ballots that are stored (recompute_result agrees), because a
    ballot that passed the phase check before the close holds the shared vote lock the computation waits for."""
    bb = make_burgerbegroting(slug="sluit-op-tijd", ballot_type=Burgerbegroting.BallotType.APPROVAL, max_choices=1)
    set_phase(bb, Phase.VOTING)
    first, second = str(add_plan(bb, "Een", 100).pk), str(add_plan(bb, "Twee", 100).pk)
    voters = UserFactory.create_batch(30)
    close = timezone.now() + dt.timedelta(milliseconds=500)
    Burgerbegroting.objects.filter(pk=bb.pk).update(voting_end=close)
    barrier = threading.Barrier(len(voters) + 1)
    problems: list[str] = []

    def vote(voter, n: int) -> None:
        try:
            barrier.wait(timeout=30)
            for turn in range(200):  # until the vote is closed
                services.cast_ballot(burgerbegroting=bb, choices={(first, second)[(n + turn) % 2]: 1}, voter=voter)
        except ValidationError as error:
            if error.code != "phase":
                problems.append(repr(error))
        except Exception as error:
            problems.append(repr(error))
        finally:
            connection.close()

    def run_timer() -> None:
        try:
            barrier.wait(timeout=30)
            while timezone.now() <= close:
                time.sleep(0.01)
            call_command("advance_phases", stdout=io.StringIO())
        except Exception as error:
            problems.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(v, n)) for n, v in enumerate(voters)]
    threads.append(threading.Thread(target=run_timer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert problems == []
    result = Result.objects.get(burgerbegroting=bb)
    assert result.ballot_count == Ballot.objects.filter(burgerbegroting=bb).count() > 0
    call_command("recompute_result", bb.slug, stdout=io.StringIO())  # raises on any difference
