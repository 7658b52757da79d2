"""The phase follows the dates: through HTTP with time travel (time-machine), without any timer running; the board
starts a phase by hand or changes the dates; `samen030 advance_phases` records each change once and publishes the
result of a closed vote once."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from samen030.budgeting import results, services
from samen030.budgeting.models import NOT_STARTED, AuditEvent, Ballot, Burgerbegroting, Phase, Result
from samen030.budgeting.tests.conftest import add_plan, make_burgerbegroting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
SUBMISSION = dt.datetime(2027, 1, 4, 9, 0, tzinfo=AMS)
SUPPORT = dt.datetime(2027, 2, 1, 9, 0, tzinfo=AMS)
CHECK = dt.datetime(2027, 3, 1, 9, 0, tzinfo=AMS)
OPEN = dt.datetime(2027, 3, 15, 9, 0, tzinfo=AMS)
CLOSE = dt.datetime(2027, 3, 28, 20, 0, tzinfo=AMS)  # the day summer time starts
REALISATION = dt.datetime(2027, 4, 12, 9, 0, tzinfo=AMS)
TICK = dt.timedelta(microseconds=1)


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def schedule(**changes):
    dates = {
        "submission_start": SUBMISSION,
        "support_start": SUPPORT,
        "check_start": CHECK,
        "voting_start": OPEN,
        "voting_end": CLOSE,
        "realisation_start": REALISATION,
    }
    return {**dates, **changes}


@pytest.fixture
def scheduled(places):
    """A knapsack burgerbegroting with three plans on the ballot, recorded in the check; no timer runs."""
    bb = make_burgerbegroting(slug="op-tijd", phase=Phase.CHECK, **schedule())
    for title, cost in (("Bankjes", 3000), ("Speeltuin", 6000), ("Buurtfeest", 2000)):
        add_plan(bb, title, cost)
    return bb


def ballot_post(bb, lombok, title):
    plan = bb.ballot_plans().get(title=title)
    return {"plan": [str(plan.pk)], "buurt": lombok.pk, "age_confirmed": "on"}


def advance(**kwargs) -> str:
    out = io.StringIO()
    call_command("advance_phases", stdout=out, **kwargs)
    return out.getvalue()


def phase_events(bb):
    return list(
        AuditEvent.objects.filter(burgerbegroting=bb, action=AuditEvent.Action.PHASE_CHANGED)
        .order_by("pk")
        .values_list("details__old", "details__new", "details__by")
    )


# The dates decide what people may do, at the moment of each request -------------------------------------------------


def test_the_phase_follows_the_dates_without_a_timer(scheduled, resident):
    bb = scheduled
    Ballot.objects.create(burgerbegroting=bb, channel=Ballot.Channel.ACCOUNT, voter=resident, choices={})
    for moment, phase in [
        (SUBMISSION - TICK, NOT_STARTED),
        (SUBMISSION, Phase.SUBMISSION),
        (SUPPORT - TICK, Phase.SUBMISSION),
        (SUPPORT, Phase.SUPPORT),
        (CHECK, Phase.CHECK),
        (OPEN - TICK, Phase.CHECK),
        (OPEN, Phase.VOTING),
        (CLOSE - TICK, Phase.VOTING),
        (CLOSE, Phase.RESULT),
        (REALISATION, Phase.REALISATION),
    ]:
        with at(moment):
            fresh = Burgerbegroting.objects.get(pk=bb.pk)
            fresh.recorded_phase = NOT_STARTED  # as if no timer had ever run
            assert fresh.phase == phase, moment


def code_voter(bb, board_member, **client_options) -> Client:
    """A voter with a code from the letter, signed in with it (vote-code voters pick their buurt on the ballot)."""
    _batch, plain = services.generate_codes(burgerbegroting=bb, official=board_member, count=1)
    client = Client(**client_options)
    assert client.post(reverse("ballot-code", args=[bb.slug]), {"code": plain[0]}).status_code == 302
    return client


def test_the_vote_opens_and_closes_exactly_on_its_dates(scheduled, board_member, lombok):
    bb = scheduled
    url = reverse("ballot", args=[bb.slug])
    with at(OPEN - TICK):
        response = Client().get(bb.get_absolute_url())
        assert reverse("ballot-code", args=[bb.slug]) not in response.content.decode()
        assert Client().get(reverse("ballot-code", args=[bb.slug])).status_code == 403
        assert Client().post(url, ballot_post(bb, lombok, "Bankjes")).status_code == 403
    with at(OPEN):
        assert reverse("ballot-code", args=[bb.slug]) in Client().get(bb.get_absolute_url()).content.decode()
        client = code_voter(bb, board_member)
        assert client.post(url, ballot_post(bb, lombok, "Bankjes")).status_code == 302
    with at(CLOSE - TICK):
        assert client.post(url, ballot_post(bb, lombok, "Speeltuin")).status_code == 302  # changed in time
    with at(CLOSE):
        response = client.post(url, ballot_post(bb, lombok, "Buurtfeest"))
        assert response.status_code == 403
        assert "Je stem is niet opgeslagen" in response.content.decode()
    ballot = Ballot.objects.get()
    assert ballot.choices == {str(bb.ballot_plans().get(title="Speeltuin").pk): 1}
    assert ballot.changes == 1
    bb.refresh_from_db()
    assert bb.recorded_phase == Phase.CHECK  # nothing was written by the requests


def test_a_ballot_page_opened_before_the_close_and_sent_after_it_is_refused_in_english(scheduled, board_member, lombok):
    bb = scheduled
    with at(CLOSE - dt.timedelta(minutes=5)):
        client = code_voter(bb, board_member, HTTP_ACCEPT_LANGUAGE="en")
        assert client.get(reverse("ballot", args=[bb.slug])).status_code == 200
    with at(CLOSE + dt.timedelta(seconds=1)):
        response = client.post(reverse("ballot", args=[bb.slug]), ballot_post(bb, lombok, "Bankjes"))
    assert response.status_code == 403
    assert "Your vote was not stored" in response.content.decode()
    assert not Ballot.objects.exists()


def test_the_service_refuses_a_ballot_at_the_close(scheduled, resident):
    plan = str(scheduled.ballot_plans().first().pk)
    with at(CLOSE), pytest.raises(services.ValidationError) as error:
        services.cast_ballot(burgerbegroting=scheduled, choices={plan: 1}, voter=resident)
    assert error.value.code == "phase"
    assert not Ballot.objects.exists()


def test_before_the_start_nothing_can_be_done_and_the_page_says_when_it_starts(scheduled, resident):
    Burgerbegroting.objects.filter(pk=scheduled.pk).update(recorded_phase=NOT_STARTED)
    with at(SUBMISSION - dt.timedelta(days=1)):
        client = Client()
        client.force_login(resident)
        assert client.get(reverse("plan-create", args=[scheduled.slug])).status_code == 403
        page = Client().get(scheduled.get_absolute_url()).content.decode()
    assert "nog niet begonnen" in page
    assert "4 januari 2027, 09:00" in page


def test_before_the_start_the_board_prepares(scheduled, board_member, resident):
    Burgerbegroting.objects.filter(pk=scheduled.pk).update(recorded_phase=NOT_STARTED)
    with at(SUBMISSION - dt.timedelta(days=1)):
        bb = Burgerbegroting.objects.get(pk=scheduled.pk)
        assert bb.phase == NOT_STARTED
        for permission in ("generate_codes", "change_rules", "advance_phase", "manage_burgerbegroting"):
            assert board_member.has_perm(f"budgeting.{permission}", bb), permission
        for permission in ("add_plan", "vote_online", "vote_with_code", "view_outcome"):
            assert not resident.has_perm(f"budgeting.{permission}", bb), permission
        bb = services.advance_phase(burgerbegroting=bb, official=board_member)
        assert bb.phase == Phase.SUBMISSION


def test_the_public_page_shows_what_happens_when_with_the_current_phase(scheduled):
    with at(OPEN + dt.timedelta(days=1)):
        page = Client().get(scheduled.get_absolute_url()).content.decode()
        english = Client(HTTP_ACCEPT_LANGUAGE="en").get(scheduled.get_absolute_url()).content.decode()
    assert "Wat gebeurt wanneer" in page
    assert "Van 15 maart 2027, 09:00 tot 28 maart 2027, 20:00." in page  # Amsterdam time, also after summer time
    current = page.split('aria-current="step"')[1].split("</li>")[0]
    assert "Stemmen" in current
    assert page.count('aria-current="step"') == 1
    assert "What happens when" in english
    assert "From 15 March 2027, 09:00 until 28 March 2027, 20:00." in english


# The vote opens by date only when the ballot is ready -----------------------------------------------------------------


def test_the_vote_does_not_open_while_a_supported_plan_waits_for_the_check(scheduled, board_member, login):
    add_plan(scheduled, "Wacht", feasible=False, supporters=2)
    with at(OPEN + dt.timedelta(hours=1)):
        assert Burgerbegroting.objects.get(pk=scheduled.pk).phase == Phase.CHECK
        assert Client().get(reverse("ballot", args=[scheduled.slug])).status_code == 403
        page = login(board_member).get(reverse("burgerbegroting-manage", args=[scheduled.slug])).content.decode()
        assert "nog niet geopend" in page
        assert advance() == ""
    assert phase_events(scheduled) == []


def test_a_voting_period_that_passed_without_the_vote_gives_no_result(places):
    bb = make_burgerbegroting(slug="gemist", phase=Phase.CHECK, **schedule())
    with at(CLOSE + dt.timedelta(days=1)):
        add_plan(bb, "Laat gecheckt", 100)  # the ballot is ready only after the voting period
        assert Burgerbegroting.objects.get(pk=bb.pk).phase == Phase.CHECK
        advance()
    assert not Result.objects.exists()


# samen030 advance_phases ---------------------------------------------------------------------------------------------


def test_advance_phases_records_each_change_once_and_computes_the_result_once(places, lombok):
    bb = make_burgerbegroting(slug="timer", phase=Phase.SUBMISSION, **schedule())
    plans = [str(add_plan(bb, title, cost).pk) for title, cost in (("A", 4000), ("B", 4000), ("C", 4000))]
    with at(OPEN + dt.timedelta(minutes=3)):
        assert "timer: steun, toets, stemmen" in advance()
        assert advance() == ""  # a second run has nothing to do
        for n in range(5):
            services.cast_ballot(burgerbegroting=bb, choices={plans[n % 2]: 1}, voter=UserFactory(), buurt=lombok)
    assert phase_events(bb) == [
        ("indienen", "steun", "dates"),
        ("steun", "toets", "dates"),
        ("toets", "stemmen", "dates"),
    ]
    scheduled_at = AuditEvent.objects.filter(burgerbegroting=bb, details__new="stemmen").get().details["at"]
    assert dt.datetime.fromisoformat(scheduled_at) == OPEN
    with at(CLOSE + dt.timedelta(minutes=2)):
        assert "timer: uitslag, result" in advance()
        assert advance() == ""
    with at(REALISATION + dt.timedelta(minutes=2)):
        assert "timer: uitvoering" in advance()
        assert advance() == ""
    assert [e[1] for e in phase_events(bb)] == ["steun", "toets", "stemmen", "uitslag", "uitvoering"]
    assert AuditEvent.objects.filter(burgerbegroting=bb, action=AuditEvent.Action.RESULT_COMPUTED).count() == 1
    result = Result.objects.get(burgerbegroting=bb)
    assert result.computed_by is None
    assert result.ballot_count == 5
    # exactly what the board's "close the vote and compute the result" stores (the same service)
    fresh = results.compute(bb)
    assert (result.selected, result.total_cost, result.ballots_digest) == (
        fresh["selected"],
        fresh["total_cost"],
        fresh["ballots_digest"],
    )
    call_command("recompute_result", bb.slug, stdout=io.StringIO())


def test_the_result_page_says_the_result_is_being_computed_until_the_timer_ran(scheduled, resident, lombok):
    with at(OPEN):
        services.cast_ballot(
            burgerbegroting=scheduled,
            choices={str(scheduled.ballot_plans().first().pk): 1},
            voter=resident,
            buurt=lombok,
        )
    with at(CLOSE + dt.timedelta(seconds=30)):
        page = Client().get(reverse("burgerbegroting-result", args=[scheduled.slug]))
        assert page.status_code == 200
        assert "De uitslag wordt berekend" in page.content.decode()
        assert "See the result" in Client(HTTP_ACCEPT_LANGUAGE="en").get(scheduled.get_absolute_url()).content.decode()
        receipt = Client().get(reverse("ballot-receipt", args=[scheduled.slug]))
        assert "De uitslag wordt berekend" in receipt.content.decode()
        assert Client().get(reverse("result-csv", args=[scheduled.slug])).status_code == 404
        assert not Result.objects.exists()  # a request never computes it
        advance()
        page = Client().get(reverse("burgerbegroting-result", args=[scheduled.slug])).content.decode()
    assert "wordt berekend" not in page
    assert "Bankjes" in page


def test_the_board_closing_the_vote_by_hand_and_the_timer_compute_once(scheduled, board_member, login):
    with at(OPEN + dt.timedelta(days=2)):
        response = login(board_member).post(
            reverse("burgerbegroting-manage", args=[scheduled.slug]), {"action": "advance"}
        )
        assert response.status_code == 302
        advance()
    scheduled.refresh_from_db()
    assert scheduled.voting_end == OPEN + dt.timedelta(days=2)  # the close is now what happened
    assert AuditEvent.objects.filter(burgerbegroting=scheduled, action=AuditEvent.Action.RESULT_COMPUTED).count() == 1
    assert phase_events(scheduled) == [("toets", "stemmen", "dates"), ("stemmen", "uitslag", "hand")]
    with at(CLOSE + dt.timedelta(days=1)):
        advance()
        assert Burgerbegroting.objects.get(pk=scheduled.pk).phase == Phase.RESULT
    assert AuditEvent.objects.filter(burgerbegroting=scheduled, action=AuditEvent.Action.RESULT_COMPUTED).count() == 1


# The board: by hand, and the dates -----------------------------------------------------------------------------------


def test_the_board_starts_the_next_phase_by_hand_and_the_schedule_shows_it(places, board_member, login):
    bb = make_burgerbegroting(slug="vroeg", phase=Phase.SUBMISSION, **schedule())
    moment = SUPPORT - dt.timedelta(days=3)
    with at(moment):
        response = login(board_member).post(reverse("burgerbegroting-manage", args=[bb.slug]), {"action": "advance"})
        assert response.status_code == 302
        assert Burgerbegroting.objects.get(pk=bb.pk).phase == Phase.SUPPORT
        assert advance() == ""
    bb.refresh_from_db()
    assert bb.support_start == moment
    event = AuditEvent.objects.get(burgerbegroting=bb, action=AuditEvent.Action.PHASE_CHANGED)
    assert (event.actor, event.details["by"]) == (board_member, "hand")
    assert dt.datetime.fromisoformat(event.details["planned"]) == SUPPORT


def test_a_missed_vote_cannot_be_opened_by_hand_until_it_has_new_dates(places, board_member, login):
    bb = make_burgerbegroting(slug="te-laat", phase=Phase.CHECK, **schedule())
    url = reverse("burgerbegroting-manage", args=[bb.slug])
    with at(CLOSE + dt.timedelta(days=1)):
        add_plan(bb, "Klaar", 100)  # ready only after the voting period
        client = login(board_member)
        response = client.post(url, {"action": "advance"})
        assert response.status_code == 400
        assert "Uitslag zou meteen beginnen" in response.content.decode()
        assert Burgerbegroting.objects.get(pk=bb.pk).phase == Phase.CHECK
        new = dates_post(
            voting_start="2027-04-01T09:00", voting_end="2027-04-08T20:00", realisation_start="2027-05-01T09:00"
        )
        assert client.post(url, new).status_code == 302
        assert client.post(url, {"action": "advance"}).status_code == 302
        assert Burgerbegroting.objects.get(pk=bb.pk).phase == Phase.VOTING
    assert phase_events(bb) == [("toets", "stemmen", "hand")]


def dates_post(**changes):
    data = {field: value.astimezone(AMS).strftime("%Y-%m-%dT%H:%M") for field, value in schedule().items()}
    return {"action": "dates", **data, **changes}


def test_the_board_changes_the_dates_and_the_change_is_logged(scheduled, board_member, login):
    with at(CHECK + dt.timedelta(days=1)):
        client = login(board_member)
        url = reverse("burgerbegroting-manage", args=[scheduled.slug])
        assert 'type="datetime-local"' in client.get(url).content.decode()
        response = client.post(url, dates_post(voting_start="2027-03-20T09:00", voting_end="2027-04-03T20:00"))
        assert response.status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.voting_start == dt.datetime(2027, 3, 20, 9, 0, tzinfo=AMS)
    assert scheduled.voting_end == dt.datetime(2027, 4, 3, 20, 0, tzinfo=AMS)
    event = AuditEvent.objects.get(burgerbegroting=scheduled, action=AuditEvent.Action.DATES_CHANGED)
    assert set(event.details) == {"voting_start", "voting_end"}


@pytest.mark.parametrize(
    ("changes", "dutch", "english"),
    [
        (
            {"voting_end": "2027-03-10T09:00"},
            "Het einde van de stemming moet later zijn dan het begin van het stemmen.",
            "The close of the vote must be later than the start of voting.",
        ),
        (
            {"support_start": "2027-02-02T09:00"},
            "kan niet meer veranderen",
            "can no longer change",
        ),
        (
            {"voting_start": "2027-03-01T12:00"},
            "kan niet in het verleden liggen",
            "cannot be in the past",
        ),
        ({"voting_start": "morgen"}, "Geef een datum en een tijd", "Give a date and a time"),
        ({"voting_start": "2027-03-28T02:30"}, "2027-03-28", "2027-03-28"),  # does not exist: summer time starts
        ({"voting_start": ""}, "Dit veld is vereist", "This field is required"),
    ],
)
def test_wrong_dates_get_a_clear_message_in_dutch_and_english(scheduled, board_member, changes, dutch, english):
    url = reverse("burgerbegroting-manage", args=[scheduled.slug])
    with at(CHECK + dt.timedelta(days=1, hours=3)):
        for language, expected in (("nl", dutch), ("en", english)):
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            client.force_login(board_member)
            response = client.post(url, dates_post(**changes))
            assert response.status_code == 400, language
            assert expected in response.content.decode(), language
    fresh = Burgerbegroting.objects.get(pk=scheduled.pk)
    assert {f: getattr(fresh, f) for f in schedule()} == schedule()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DATES_CHANGED).exists()


def test_while_the_vote_is_open_its_close_can_move_but_not_into_the_past(scheduled, board_member, login):
    url = reverse("burgerbegroting-manage", args=[scheduled.slug])
    with at(OPEN + dt.timedelta(days=1)):
        client = login(board_member)
        later = dates_post(voting_end="2027-04-01T20:00")
        assert client.post(url, later).status_code == 302
        past = dates_post(voting_end="2027-03-15T10:00")
        response = client.post(url, past)
        assert response.status_code == 400
        assert "niet naar een moment dat al voorbij is" in response.content.decode()
    assert Burgerbegroting.objects.get(pk=scheduled.pk).voting_end == dt.datetime(2027, 4, 1, 20, 0, tzinfo=AMS)


def test_the_admin_refuses_dates_out_of_order(places):
    bb = make_burgerbegroting(slug="admin", phase=Phase.CHECK, **schedule(support_start=SUBMISSION))
    with pytest.raises(services.ValidationError):
        bb.full_clean()
