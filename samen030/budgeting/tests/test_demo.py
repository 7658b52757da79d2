"""The demo burgerbegrotingen: every phase, several wijken, one with about 5,000 ballots and a matching result."""

from __future__ import annotations

from django.core.management import call_command
from django.urls import reverse

from samen030.budgeting.demo import create_demo_burgerbegrotingen
from samen030.budgeting.models import Ballot, Burgerbegroting, Phase, Result
from tests.factories import UserFactory


def test_demo_burgerbegrotingen_in_every_phase_with_a_computed_result(places, client, capsys):
    UserFactory(is_board=True)
    assert create_demo_burgerbegrotingen() == 5
    phases = {bb.slug: bb.phase for bb in Burgerbegroting.objects.all()}
    assert phases == {
        "overvecht-beslist": Phase.SUBMISSION,
        "zuid-kiest": Phase.SUPPORT,
        "oost-begroot": Phase.CHECK,
        "west-begroot": Phase.VOTING,
        "noordwest-begroot": Phase.REALISATION,
    }
    # the timer has nothing to record: the demo is loaded as it would be after the phase changes were recorded
    assert {bb.slug: bb.recorded_phase for bb in Burgerbegroting.objects.all()} == phases
    assert Burgerbegroting.objects.values("wijk").distinct().count() == 5
    big = Burgerbegroting.objects.get(slug="noordwest-begroot")
    assert Ballot.objects.filter(burgerbegroting=big).count() == 5000
    result = Result.objects.get(burgerbegroting=big)
    assert result.ballot_count == 5000
    assert 0 < result.total_cost <= big.budget
    call_command("recompute_result", big.slug)
    assert "OK" in capsys.readouterr().out
    assert create_demo_burgerbegrotingen() == 0
    assert Ballot.objects.filter(burgerbegroting=big).count() == 5000
    for bb in Burgerbegroting.objects.all():
        assert client.get(bb.get_absolute_url()).status_code == 200
    assert client.get(reverse("burgerbegroting-result", args=[big.slug])).status_code == 200
