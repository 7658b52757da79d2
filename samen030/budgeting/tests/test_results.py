"""Closing the vote, the result with pbengine, the public page, receipts, exports and the recompute command."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

import pbengine
from samen030.budgeting import services
from samen030.budgeting.models import AuditEvent, Ballot, Burgerbegroting, Phase, Result
from samen030.budgeting.tests.conftest import add_plan, make_burgerbegroting, set_phase
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proportional(places, board_member):
    """51 red and 49 blue voters, ten red and ten blue plans of 100 with room for ten: MES gives 5 + 5,
    greedy gives all the budget to red (DOMAIN.md §2.4)."""
    bb = make_burgerbegroting(
        slug="rood-blauw", budget=1000, ballot_type=Burgerbegroting.BallotType.APPROVAL, max_choices=10
    )
    set_phase(bb, Phase.VOTING)
    red = [str(add_plan(bb, f"Rood {i}", 100).pk) for i in range(10)]
    blue = [str(add_plan(bb, f"Blauw {i}", 100).pk) for i in range(10)]
    voters = UserFactory.create_batch(100)
    for n, voter in enumerate(voters):
        services.cast_ballot(burgerbegroting=bb, choices=dict.fromkeys(red if n < 51 else blue, 1), voter=voter)
    return bb, red, blue, voters


def test_closing_the_vote_computes_a_proportional_result(proportional, board_member):
    bb, red, blue, _voters = proportional
    services.advance_phase(burgerbegroting=bb, official=board_member)
    bb.refresh_from_db()
    assert bb.phase == Phase.RESULT
    result = Result.objects.get(burgerbegroting=bb)
    assert len(set(result.selected) & set(red)) == 5
    assert len(set(result.selected) & set(blue)) == 5
    assert set(result.greedy_selected) == set(red)
    assert result.total_cost == 1000
    assert result.ballot_count == 100
    assert AuditEvent.objects.filter(burgerbegroting=bb, action=AuditEvent.Action.RESULT_COMPUTED).exists()
    assert AuditEvent.objects.filter(
        burgerbegroting=bb, action=AuditEvent.Action.PHASE_CHANGED, details__new="uitslag"
    ).exists()


def test_the_result_page_shows_winners_votes_explanations_and_the_greedy_comparison(proportional, board_member):
    bb, _red, _blue, _voters = proportional
    services.close_vote(burgerbegroting=bb, official=board_member)
    page = Client().get(reverse("burgerbegroting-result", args=[bb.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rood 0" in html
    assert "Blauw 0" in html
    assert "samen030-bar__fill" in html
    assert "51" in html
    assert "49" in html
    assert "ronde 1" in html.lower() or "round 1" in html.lower()
    assert "meeste stemmen" in html.lower() or "most votes" in html.lower()


def test_a_voter_sees_a_receipt_of_how_the_share_was_spent(proportional, board_member, login):
    bb, _red, _blue, voters = proportional
    services.close_vote(burgerbegroting=bb, official=board_member)
    page = login(voters[0]).get(reverse("ballot-receipt", args=[bb.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "€\u00a010" in html  # every voter's equal share: 1000 / 100
    assert "Rood 0" in html


def test_a_code_holder_opens_the_receipt_with_the_code(voting, board_member, lombok):
    _batch, plain = services.generate_codes(burgerbegroting=voting, official=board_member, count=1)
    vote_code = services.find_code(burgerbegroting=voting, text=plain[0])
    pid = str(voting.ballot_plans().first().pk)
    services.cast_ballot(burgerbegroting=voting, choices={pid: 1}, vote_code=vote_code, buurt=lombok)
    services.close_vote(burgerbegroting=voting, official=board_member)
    client = Client()
    url = reverse("ballot-receipt", args=[voting.slug])
    assert client.post(url, {"code": "ZZZZZ-ZZZZZ-ZZZZZ"}).status_code == 400
    assert client.post(url, {"code": plain[0]}).status_code == 302
    html = client.get(url).content.decode()
    assert "Bankjes" in html


def test_the_result_is_not_public_before_the_close(voting):
    assert Client().get(reverse("burgerbegroting-result", args=[voting.slug])).status_code == 404
    assert Client().get(reverse("result-pb", args=[voting.slug])).status_code == 404


def test_ballots_cannot_change_after_the_close(voting, board_member, resident):
    pid = str(voting.ballot_plans().first().pk)
    services.cast_ballot(burgerbegroting=voting, choices={pid: 1}, voter=resident)
    services.close_vote(burgerbegroting=voting, official=board_member)
    other = str(voting.ballot_plans().last().pk)
    with pytest.raises(ValidationError):
        services.cast_ballot(burgerbegroting=voting, choices={other: 1}, voter=resident)
    with pytest.raises(ValidationError):
        services.enter_paper_ballot(burgerbegroting=voting, official=board_member, number="1", choices={pid: 1})
    assert Ballot.objects.get().choices == {pid: 1}


def test_the_pabulib_export_is_anonymous_and_gives_the_same_outcome(proportional, board_member):
    bb, _red, _blue, voters = proportional
    services.close_vote(burgerbegroting=bb, official=board_member)
    response = Client().get(reverse("result-pb", args=[bb.slug]))
    assert response.status_code == 200
    text = response.content.decode()
    assert voters[0].email not in text
    instance = pbengine.parse_pabulib(text)
    assert len(instance.ballots) == 100
    assert sorted(b.voter_id for b in instance.ballots) == sorted(str(n) for n in range(1, 101))
    outcome = pbengine.compute_outcome(instance, rule="mes", completion="add1,greedy")
    assert set(outcome.selected) == set(Result.objects.get(burgerbegroting=bb).selected)


def test_the_csv_export_has_one_line_per_ballot(proportional, board_member):
    bb, _red, _blue, _voters = proportional
    services.close_vote(burgerbegroting=bb, official=board_member)
    response = Client().get(reverse("result-csv", args=[bb.slug]))
    lines = response.content.decode().strip().splitlines()
    assert len(lines) == 101
    assert lines[0].startswith("stem,plan ")


def test_recompute_matches_and_detects_a_tampered_ballot(proportional, board_member, capsys):
    bb, _red, blue, _voters = proportional
    services.close_vote(burgerbegroting=bb, official=board_member)
    call_command("recompute_result", bb.slug)
    assert "OK" in capsys.readouterr().out
    Ballot.objects.filter(pk=Ballot.objects.filter(burgerbegroting=bb).first().pk).update(
        choices=dict.fromkeys(blue, 1)
    )
    with pytest.raises(CommandError, match="MISMATCH"):
        call_command("recompute_result", bb.slug)


def test_recompute_exits_non_zero_through_the_samen030_command(proportional, board_member):
    from samen030.cli import main

    bb, _red, _blue, _voters = proportional
    services.close_vote(burgerbegroting=bb, official=board_member)
    Ballot.objects.filter(burgerbegroting=bb).first().delete()
    with pytest.raises(SystemExit) as exit_info:
        main(["samen030", "recompute_result", bb.slug])
    assert exit_info.value.code != 0


def test_greedy_rule_when_chosen_before_voting(places, board_member):
    bb = make_burgerbegroting(slug="gretig", budget=1000, rule=Burgerbegroting.Rule.GREEDY, ballot_type="approval")
    set_phase(bb, Phase.VOTING)
    big = add_plan(bb, "Groot", 800)
    small = add_plan(bb, "Klein", 300)
    for _ in range(3):
        services.cast_ballot(burgerbegroting=bb, choices={str(big.pk): 1}, voter=UserFactory())
    services.cast_ballot(burgerbegroting=bb, choices={str(small.pk): 1}, voter=UserFactory())
    services.close_vote(burgerbegroting=bb, official=board_member)
    result = Result.objects.get(burgerbegroting=bb)
    assert result.selected == [str(big.pk)]
    assert result.explanation["plans"][str(small.pk)]["how"] == "greedy_skipped"
    html = Client().get(reverse("burgerbegroting-result", args=[bb.slug])).content.decode()
    assert "Klein" in html


def test_cumulative_ballots_are_counted_with_points(places, board_member):
    bb = make_burgerbegroting(slug="punten", budget=1000, ballot_type="cumulative", points=10)
    set_phase(bb, Phase.VOTING)
    a, b = add_plan(bb, "A", 600), add_plan(bb, "B", 600)
    services.cast_ballot(burgerbegroting=bb, choices={str(a.pk): 7, str(b.pk): 3}, voter=UserFactory())
    services.cast_ballot(burgerbegroting=bb, choices={str(b.pk): 2}, voter=UserFactory())
    services.close_vote(burgerbegroting=bb, official=board_member)
    result = Result.objects.get(burgerbegroting=bb)
    assert result.votes == {str(a.pk): 7, str(b.pk): 5}
    assert len(result.selected) == 1
    call_command("recompute_result", bb.slug)


def test_closing_a_vote_without_ballots_gives_a_result_page(voting, board_member):
    services.close_vote(burgerbegroting=voting, official=board_member)
    result = Result.objects.get(burgerbegroting=voting)
    assert result.ballot_count == 0
    assert Client().get(reverse("burgerbegroting-result", args=[voting.slug])).status_code == 200
    assert Client().get(reverse("ballot-receipt", args=[voting.slug])).status_code == 200
    call_command("recompute_result", voting.slug)


def test_recompute_of_an_unknown_or_open_burgerbegroting_is_an_error(voting):
    with pytest.raises(CommandError):
        call_command("recompute_result", "bestaat-niet")
    with pytest.raises(CommandError):
        call_command("recompute_result", voting.slug)
