"""Voting through HTTP: with an account and with a code; bad ballots store nothing; the last ballot counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samen030.budgeting import codes, services
from samen030.budgeting.models import AuditEvent, Ballot, Phase, Plan
from samen030.budgeting.tests.conftest import set_phase

pytestmark = pytest.mark.django_db


def plan_ids(bb):
    return {p.title: str(p.pk) for p in bb.ballot_plans()}


def test_a_resident_votes_within_the_budget_and_can_change_the_ballot(voting, login, resident, lombok):
    client = login(resident)
    ids = plan_ids(voting)
    url = reverse("ballot", args=[voting.slug])
    choices = {"plan": [ids["Bankjes"], ids["Speeltuin"]], "postcode": "3531 AB", "age_confirmed": "on"}
    response = client.post(url, choices)
    assert response.status_code == 302
    response = client.post(url, {"plan": [ids["Buurtfeest"]], "postcode": "3531 AB", "age_confirmed": "on"})
    assert response.status_code == 302
    ballot = Ballot.objects.get(burgerbegroting=voting)
    assert ballot.choices == {ids["Buurtfeest"]: 1}
    assert ballot.changes == 1


def test_the_ballot_asks_to_confirm_the_age_and_the_area(voting, login, resident):
    html = login(resident).get(reverse("ballot", args=[voting.slug])).content.decode()
    label = html.split('for="id_age_confirmed">', 1)[1].split("</label>", 1)[0].strip()
    assert label in (
        f"Ik ben {voting.min_age} jaar of ouder en woon in {voting.wijk.name}.",
        f"I am {voting.min_age} years or older and live in {voting.wijk.name}.",  # without compiled catalogues
    )


def test_a_ballot_over_the_budget_is_refused_and_nothing_is_stored(voting, login, resident, lombok):
    ids = plan_ids(voting)
    response = login(resident).post(
        reverse("ballot", args=[voting.slug]),
        {"plan": list(ids.values()), "postcode": "3531 AB", "age_confirmed": "on"},
    )
    assert response.status_code == 400
    assert "budget" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_ballot_naming_an_unknown_plan_is_refused(voting, login, resident, lombok):
    response = login(resident).post(
        reverse("ballot", args=[voting.slug]), {"plan": ["999999"], "postcode": "3531 AB", "age_confirmed": "on"}
    )
    assert response.status_code == 400
    assert not Ballot.objects.exists()


def test_without_the_age_confirmation_nothing_is_stored(voting, login, resident, lombok):
    ids = plan_ids(voting)
    response = login(resident).post(
        reverse("ballot", args=[voting.slug]), {"plan": [ids["Bankjes"]], "postcode": "3531 AB"}
    )
    assert response.status_code == 400
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("3584CS", "outside"),  # a postcode in another wijk
        ("9999ZZ", "We do not know this postcode"),  # not in the table
        ("35311AB", "not a Dutch postcode"),
        ("", "This field is required"),
    ],
)
@pytest.mark.usefixtures("places")
def test_an_account_votes_only_with_a_postcode_in_the_area(voting, login, resident, postcode, message):
    from samen030.places.models import Buurt, Postcode

    Postcode.objects.create(pc6="3584CS", buurt=Buurt.objects.exclude(wijk=voting.wijk).first())
    ids = plan_ids(voting)
    client = login(resident)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("ballot", args=[voting.slug]),
        {"plan": [ids["Bankjes"]], "postcode": postcode, "age_confirmed": "on"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    assert message in str(response.context["voter_form"].errors["postcode"])
    assert "Bankjes" in response.content.decode()  # the ballot is shown again with the choice kept
    assert response.context["chosen"] == {ids["Bankjes"]: 1}
    assert not Ballot.objects.exists()


def test_the_postcode_is_not_kept_only_the_buurt_and_a_changed_ballot_needs_no_postcode(voting, login, resident):
    ids = plan_ids(voting)
    client = login(resident)
    url = reverse("ballot", args=[voting.slug])
    assert client.post(url, {"plan": [ids["Bankjes"]], "postcode": "3531ab", "age_confirmed": "on"}).status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.buurt_id == "BU03440121"
    assert "3531" not in str(Ballot.objects.values().get())
    page = client.get(url)
    assert "Lombok" in str(page.context["voter_form"].fields["postcode"].help_text)
    assert client.post(url, {"plan": [ids["Speeltuin"]], "age_confirmed": "on"}).status_code == 302
    ballot.refresh_from_db()
    assert (ballot.choices, ballot.buurt_id) == ({ids["Speeltuin"]: 1}, "BU03440121")


def test_a_code_voter_chooses_a_buurt_of_the_area_and_gives_no_postcode(voting, board_member, places):
    from samen030.places.models import Buurt

    _batch, plain = services.generate_codes(burgerbegroting=voting, official=board_member, count=1)
    client = Client()
    client.post(reverse("ballot-code", args=[voting.slug]), {"code": plain[0]})
    page = client.get(reverse("ballot", args=[voting.slug]))
    assert "postcode" not in page.context["voter_form"].fields
    elsewhere = Buurt.objects.exclude(wijk=voting.wijk).first()
    ids = plan_ids(voting)
    response = client.post(
        reverse("ballot", args=[voting.slug]), {"plan": [ids["Bankjes"]], "buurt": elsewhere.pk, "age_confirmed": "on"}
    )
    assert response.status_code == 400
    assert not Ballot.objects.exists()


def test_approval_ballots_respect_min_and_max(voting, lombok):
    voting.ballot_type = "approval"
    voting.min_choices, voting.max_choices = 2, 2
    voting.save()
    ids = plan_ids(voting)
    from tests.factories import UserFactory

    with pytest.raises(ValidationError):
        services.cast_ballot(burgerbegroting=voting, choices={ids["Bankjes"]: 1}, voter=UserFactory(), buurt=lombok)
    with pytest.raises(ValidationError):
        services.cast_ballot(burgerbegroting=voting, choices=dict.fromkeys(ids.values(), 1), voter=UserFactory())
    services.cast_ballot(burgerbegroting=voting, choices={ids["Bankjes"]: 1, ids["Speeltuin"]: 1}, voter=UserFactory())
    assert Ballot.objects.count() == 1


def test_cumulative_ballots_cannot_give_more_points_than_allowed(voting, login, resident, lombok):
    voting.ballot_type = "cumulative"
    voting.points = 5
    voting.save()
    ids = plan_ids(voting)
    client = login(resident)
    url = reverse("ballot", args=[voting.slug])
    data = {
        "postcode": "3531 AB",
        "age_confirmed": "on",
        f"points-{ids['Bankjes']}": "4",
        f"points-{ids['Speeltuin']}": "2",
    }
    assert client.post(url, data).status_code == 400
    data[f"points-{ids['Speeltuin']}"] = "-1"
    assert client.post(url, data).status_code == 400
    data[f"points-{ids['Speeltuin']}"] = "drie"
    assert client.post(url, data).status_code == 400
    assert not Ballot.objects.exists()
    data[f"points-{ids['Speeltuin']}"] = "1"
    assert client.post(url, data).status_code == 302
    assert Ballot.objects.get().choices == {ids["Bankjes"]: 4, ids["Speeltuin"]: 1}


@pytest.mark.parametrize("phase", [Phase.SUBMISSION, Phase.SUPPORT, Phase.CHECK, Phase.RESULT, Phase.REALISATION])
def test_no_vote_outside_the_voting_phase(voting, login, resident, lombok, phase):
    set_phase(voting, phase)
    ids = plan_ids(voting)
    response = login(resident).post(
        reverse("ballot", args=[voting.slug]), {"plan": [ids["Bankjes"]], "postcode": "3531 AB", "age_confirmed": "on"}
    )
    assert response.status_code == 403
    assert "not open" in response.content.decode() or "niet open" in response.content.decode()
    assert not Ballot.objects.exists()
    with pytest.raises(ValidationError):
        services.cast_ballot(burgerbegroting=voting, choices={ids["Bankjes"]: 1}, voter=resident)


def test_voting_with_a_code_from_the_letter(voting, board_member, lombok):
    _batch, plain = services.generate_codes(burgerbegroting=voting, official=board_member, count=3)
    client = Client()
    code_url = reverse("ballot-code", args=[voting.slug])
    page = client.get(code_url, {"code": plain[0]})
    assert plain[0] in page.content.decode()  # the QR link fills the code in
    response = client.post(code_url, {"code": plain[0].lower().replace("-", " ")})
    assert response.status_code == 302
    ids = plan_ids(voting)
    response = client.post(
        reverse("ballot", args=[voting.slug]), {"plan": [ids["Speeltuin"]], "buurt": lombok.pk, "age_confirmed": "on"}
    )
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.channel == Ballot.Channel.CODE
    assert ballot.vote_code is not None
    assert ballot.voter is None
    # the same code again (another browser): still one ballot, the last counts
    other = Client()
    other.post(code_url, {"code": plain[0]})
    other.post(
        reverse("ballot", args=[voting.slug]), {"plan": [ids["Bankjes"]], "buurt": lombok.pk, "age_confirmed": "on"}
    )
    assert Ballot.objects.get().choices == {ids["Bankjes"]: 1}


def test_codes_are_random_hashed_and_have_enough_bits(voting, board_member):
    assert codes.code_bits() >= 60
    batch, plain = services.generate_codes(burgerbegroting=voting, official=board_member, count=50)
    assert len(set(plain)) == 50
    stored = set(batch.codes.values_list("code_hash", flat=True))
    assert not any(code in h for code in plain for h in stored)
    assert codes.hash_code(voting.pk, plain[0]) in stored
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CODES_GENERATED, details__count=50).exists()
    assert all(set(c.replace("-", "")) <= set(codes.ALPHABET) for c in plain)
    assert not set("01IOL") & set(codes.ALPHABET)


def test_unknown_codes_are_refused_and_guessing_is_rate_limited(voting):
    client = Client()
    url = reverse("ballot-code", args=[voting.slug])
    for _ in range(10):
        response = client.post(url, {"code": "AAAAA-BBBBB-CCCCC"})
        assert response.status_code == 400
    response = client.post(url, {"code": "AAAAA-BBBBB-CCCCC"})
    assert response.status_code == 429
    assert client.post(url, {"code": "nonsense"}).status_code in (400, 429)


def test_behind_the_proxy_each_voter_has_their_own_guesses(voting, settings):
    """The reverse proxy is the peer of every request; the address it appended tells voters apart."""
    settings.TRUSTED_PROXIES = {"127.0.0.1"}
    client = Client(REMOTE_ADDR="127.0.0.1")
    url = reverse("ballot-code", args=[voting.slug])
    for _ in range(11):
        client.post(url, {"code": "AAAAA-BBBBB-CCCCC"}, HTTP_X_FORWARDED_FOR="198.51.100.4")
    guesser = client.post(url, {"code": "AAAAA-BBBBB-CCCCC"}, HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert guesser.status_code == 429
    neighbour = client.post(url, {"code": "AAAAA-BBBBB-CCCCC"}, HTTP_X_FORWARDED_FOR="198.51.100.5")
    assert neighbour.status_code == 400


def test_a_code_of_another_burgerbegroting_is_unknown(voting, board_member):
    from samen030.budgeting.tests.conftest import make_burgerbegroting

    other = make_burgerbegroting(slug="ander")
    _batch, plain = services.generate_codes(burgerbegroting=other, official=board_member, count=1)
    with pytest.raises(ValidationError) as error:
        services.find_code(burgerbegroting=voting, text=plain[0])
    assert error.value.code == "unknown"


def test_the_code_letters_are_a_pdf_with_one_page_per_code(voting, login, board_member):
    response = login(board_member).post(reverse("burgerbegroting-codes", args=[voting.slug]), {"count": 3})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.content.count(b"/Type /Page\n") + response.content.count(b"/Type /Page ") >= 3 or (
        response.content.count(b"/Type /Page") - response.content.count(b"/Type /Pages") == 3
    )


def test_a_resident_cannot_make_codes(voting, login, resident):
    response = login(resident).post(reverse("burgerbegroting-codes", args=[voting.slug]), {"count": 3})
    assert response.status_code == 403


def test_bad_code_batch_sizes_are_refused(voting, login, board_member):
    for count in ("0", "-5", "30000", "veel"):
        response = login(board_member).post(reverse("burgerbegroting-codes", args=[voting.slug]), {"count": count})
        assert response.status_code == 400
    assert not voting.code_batches.exists()


def test_paper_ballots_need_two_different_officials_who_agree(voting, login, board_member, platform_admin):
    ids = plan_ids(voting)
    url = reverse("burgerbegroting-paper", args=[voting.slug])
    first = login(board_member)
    assert first.post(url, {"number": "P-001", "plan": [ids["Bankjes"]]}).status_code == 302
    assert not Ballot.objects.exists()
    # the same official cannot confirm their own entry
    assert first.post(url, {"number": "P-001", "plan": [ids["Bankjes"]]}).status_code == 400
    second = login(platform_admin)
    response = second.post(url, {"number": "P-001", "plan": [ids["Speeltuin"]]})
    assert response.status_code == 400
    assert not Ballot.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PAPER_MISMATCH).exists()
    assert second.post(url, {"number": "P-001", "plan": [ids["Bankjes"]]}).status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.channel == Ballot.Channel.PAPER
    assert ballot.choices == {ids["Bankjes"]: 1}
    assert second.post(url, {"number": "P-001", "plan": [ids["Bankjes"]]}).status_code == 400
    assert Ballot.objects.count() == 1


def test_a_code_used_on_paper_cannot_vote_online(voting, board_member, platform_admin):
    _batch, plain = services.generate_codes(burgerbegroting=voting, official=board_member, count=1)
    ids = plan_ids(voting)
    for official in (board_member, platform_admin):
        services.enter_paper_ballot(
            burgerbegroting=voting, official=official, number="7", choices={ids["Bankjes"]: 1}, code=plain[0]
        )
    response = Client().post(reverse("ballot-code", args=[voting.slug]), {"code": plain[0]})
    assert response.status_code == 400
    assert Ballot.objects.count() == 1


def test_a_code_in_the_session_cannot_replace_its_paper_ballot(voting, board_member, platform_admin, lombok):
    """The voter entered the code online, then the paper ballot with the same code was counted: the paper ballot
    stays, and the online ballot is refused with a clear message."""
    _batch, plain = services.generate_codes(burgerbegroting=voting, official=board_member, count=1)
    ids = plan_ids(voting)
    client = Client()
    assert client.post(reverse("ballot-code", args=[voting.slug]), {"code": plain[0]}).status_code == 302
    for official in (board_member, platform_admin):
        services.enter_paper_ballot(
            burgerbegroting=voting, official=official, number="8", choices={ids["Bankjes"]: 1}, code=plain[0]
        )
    response = client.post(
        reverse("ballot", args=[voting.slug]), {"plan": [ids["Speeltuin"]], "buurt": lombok.pk, "age_confirmed": "on"}
    )
    assert response.status_code == 400
    assert "paper" in response.content.decode() or "papier" in response.content.decode()
    ballot = Ballot.objects.get()
    assert (ballot.channel, ballot.choices, ballot.changes) == (Ballot.Channel.PAPER, {ids["Bankjes"]: 1}, 0)


def test_ballots_leave_the_cached_public_pages_alone(voting, board_member, lombok, settings):
    """Thousands of ballots in a vote must not empty the page cache for every visitor each time (other posts do)."""
    from django.core.cache import cache

    from samen030.core.page_cache import VERSION_KEY

    settings.PAGE_CACHE_SECONDS = 60
    _batch, plain = services.generate_codes(burgerbegroting=voting, official=board_member, count=1)
    client = Client()
    version = cache.get(VERSION_KEY, 0)
    assert client.post(reverse("ballot-code", args=[voting.slug]), {"code": plain[0]}).status_code == 302
    plan = plan_ids(voting)["Bankjes"]
    response = client.post(
        reverse("ballot", args=[voting.slug]), {"plan": [plan], "buurt": lombok.pk, "age_confirmed": "on"}
    )
    assert response.status_code == 302
    assert cache.get(VERSION_KEY, 0) == version
    # closing the vote publishes the result: that still refreshes the cached pages
    board = Client()
    board.force_login(board_member)
    assert board.post(reverse("burgerbegroting-manage", args=[voting.slug]), {"action": "advance"}).status_code == 302
    assert cache.get(VERSION_KEY, 0) != version


def _statements(captured: CaptureQueriesContext) -> list[str]:
    """The statements of one request, without the savepoints that the test's own transaction adds."""
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def test_a_ballot_post_reads_and_writes_a_fixed_number_of_queries(voting, board_member, login, resident, lombok):
    """The hot path of a vote, pinned: the session, the burgerbegroting, the buurt, the plans' costs, (on PostgreSQL)
    the shared vote lock, and one statement that stores or replaces the ballot. An account voter adds the account
    and its verified address, and the postcode's buurt. The count does not grow with the number of plans or with
    voting again."""
    from samen030.budgeting.tests.conftest import add_plan

    for n in range(6):
        add_plan(voting, f"Extra {n}", 100)
    ids = list(plan_ids(voting).values())
    lock = 1 if connection.vendor == "postgresql" else 0
    url = reverse("ballot", args=[voting.slug])
    _batch, plain = services.generate_codes(burgerbegroting=voting, official=board_member, count=1)
    by_code = Client()
    by_code.post(reverse("ballot-code", args=[voting.slug]), {"code": plain[0]})
    by_account = login(resident)
    # the account gives its postcode (one lookup); the code voter picks a buurt
    for client, expected, where in (
        (by_code, 5 + lock, {"buurt": lombok.pk}),
        (by_account, 8 + lock, {"postcode": "3531 AB"}),
    ):
        for choice in ids[:2]:  # the first ballot and its replacement
            with CaptureQueriesContext(connection) as captured:
                response = client.post(url, {"plan": [choice], **where, "age_confirmed": "on"})
            assert response.status_code == 302
            assert len(_statements(captured)) == expected, _statements(captured)
    assert sorted(Ballot.objects.values_list("channel", "changes")) == [("account", 1), ("code", 1)]
    assert all(b.choices == {ids[1]: 1} for b in Ballot.objects.all())


def test_plans_not_on_the_ballot_cannot_be_chosen(voting, resident):
    from samen030.budgeting.tests.conftest import add_plan

    unchecked = add_plan(voting, "Niet getoetst", 100, feasible=False)
    with pytest.raises(ValidationError):
        services.cast_ballot(burgerbegroting=voting, choices={str(unchecked.pk): 1}, voter=resident)
    assert unchecked.status == Plan.Status.SUBMITTED


def test_a_code_cannot_vote_after_the_close(voting, board_member, lombok):
    _batch, plain = services.generate_codes(burgerbegroting=voting, official=board_member, count=1)
    client = Client()
    assert client.post(reverse("ballot-code", args=[voting.slug]), {"code": plain[0]}).status_code == 302
    services.close_vote(burgerbegroting=voting, official=board_member)
    assert client.post(reverse("ballot-code", args=[voting.slug]), {"code": plain[0]}).status_code == 403
    ids = plan_ids(voting)
    response = client.post(
        reverse("ballot", args=[voting.slug]), {"plan": [ids["Bankjes"]], "buurt": lombok.pk, "age_confirmed": "on"}
    )
    assert response.status_code == 403
    assert not Ballot.objects.exists()
    with pytest.raises(ValidationError):
        services.generate_codes(burgerbegroting=voting, official=board_member, count=1)


def test_the_management_pages_show_burgerbegrotingen_with_the_rules_fixed_after_voting_opens(
    voting, login, platform_admin
):
    client = login(platform_admin)
    assert client.get("/beheer/budgeting/burgerbegroting/").status_code == 200
    page = client.get(f"/beheer/budgeting/burgerbegroting/{voting.pk}/change/")
    assert page.status_code == 200
    assert 'name="budget"' not in page.content.decode()  # read-only once voting is open
    assert client.get("/beheer/budgeting/auditevent/").status_code == 200
