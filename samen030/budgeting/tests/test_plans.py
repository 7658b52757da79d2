"""Plans: submitting (with images), editing until the check, support, comments, the check and merging."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from samen030.budgeting import services
from samen030.budgeting.models import AuditEvent, Phase, Plan, Support
from samen030.budgeting.tests.conftest import add_plan, set_phase
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def png_upload(name: str = "plan.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def plan_data(**extra):
    return {"title": "Bankjes aan de Kanaalstraat", "description": "Vier **bankjes**.", "cost": "2500", **extra}


def test_a_resident_submits_a_plan_with_an_image(bb, login, resident, lombok):
    response = login(resident).post(
        reverse("plan-create", args=[bb.slug]),
        plan_data(buurt=lombok.pk, image=png_upload(), image_alt="Een bankje in het groen"),
    )
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert plan.cost == 2500
    assert plan.submitted_by == resident
    assert plan.images.get().alt == "Een bankje in het groen"
    page = Client().get(plan.get_absolute_url()).content.decode()
    assert "<strong>bankjes</strong>" in page
    assert resident.email not in page


def test_markdown_in_a_plan_is_sanitised(bb, resident):
    plan = services.submit_plan(
        burgerbegroting=bb, user=resident, title="X", description="<script>alert(1)</script>[a](javascript:x)", cost=5
    )
    html = Client().get(plan.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "javascript:x" not in html


@pytest.mark.parametrize("cost", ["", "0", "-100", "12,50", "veel", "20000"])
def test_a_plan_without_a_sensible_cost_is_refused(bb, login, resident, cost):
    response = login(resident).post(reverse("plan-create", args=[bb.slug]), plan_data(cost=cost))
    assert response.status_code == 400
    assert not Plan.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(bb, login, resident):
    fake = SimpleUploadedFile("foto.png", b"<?php echo 1; ?>", content_type="image/png")
    response = login(resident).post(reverse("plan-create", args=[bb.slug]), plan_data(image=fake, image_alt="foto"))
    assert response.status_code == 400
    assert not Plan.objects.exists()


def test_plans_are_submitted_only_in_the_first_phase(bb, login, resident):
    set_phase(bb, Phase.SUPPORT)
    response = login(resident).post(reverse("plan-create", args=[bb.slug]), plan_data())
    assert response.status_code == 403
    assert not Plan.objects.exists()


def test_a_stranger_is_asked_to_log_in(bb):
    response = Client().get(reverse("plan-create", args=[bb.slug]))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_a_plan_on_behalf_of_an_organisation_needs_an_editor(bb, login, stemlid_editor, stemlid_org, resident):
    response = login(stemlid_editor).post(
        reverse("plan-create", args=[bb.slug]), plan_data(organisation=stemlid_org.pk)
    )
    assert response.status_code == 302
    assert Plan.objects.get().organisation == stemlid_org
    with pytest.raises(ValidationError):
        services.submit_plan(
            burgerbegroting=bb, user=resident, title="X", description="Y", cost=5, organisation=stemlid_org
        )


def test_the_submitter_edits_until_the_check(bb, login, resident):
    plan = add_plan(bb, feasible=False, submitter=resident)
    client = login(resident)
    url = reverse("plan-edit", args=[bb.slug, plan.pk])
    assert client.post(url, plan_data(cost="3100")).status_code == 302
    plan.refresh_from_db()
    assert plan.cost == 3100
    assert login(UserFactory()).get(url).status_code == 403
    set_phase(bb, Phase.CHECK)
    assert client.post(url, plan_data(cost="9")).status_code == 403
    plan.refresh_from_db()
    assert plan.cost == 3100


def test_support_is_once_per_account(bb, login, resident):
    plan = add_plan(bb, feasible=False)
    client = login(resident)
    url = reverse("plan-support", args=[bb.slug, plan.pk])
    client.post(url)
    client.post(url)
    assert Support.objects.filter(plan=plan).count() == 1
    set_phase(bb, Phase.CHECK)
    login(UserFactory()).post(url)
    assert Support.objects.filter(plan=plan).count() == 1


def test_comments_from_residents(bb, login, resident):
    plan = add_plan(bb, feasible=False)
    url = plan.get_absolute_url()
    assert login(resident).post(url, {"text": "Goed idee!"}).status_code == 302
    assert login(resident).post(url, {"text": "   "}).status_code == 400
    Client().post(url, {"text": "anoniem"})
    assert list(plan.comments.values_list("text", flat=True)) == ["Goed idee!"]


def test_the_board_checks_a_plan_with_a_public_reason_and_a_cost_estimate(bb, login, board_member):
    plan = add_plan(bb, feasible=False, supporters=2)
    set_phase(bb, Phase.CHECK)
    url = reverse("plan-check", args=[bb.slug, plan.pk])
    client = login(board_member)
    assert client.post(url, {"decision": "1", "reason": "", "cost_estimate": "2800"}).status_code == 400
    assert client.post(url, {"decision": "1", "reason": "Kan", "cost_estimate": "-5"}).status_code == 400
    assert client.post(url, {"decision": "1", "reason": "Kan", "cost_estimate": "999999"}).status_code == 400
    response = client.post(url, {"decision": "1", "reason": "Kan, met vergunning.", "cost_estimate": "2800"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.FEASIBLE
    assert plan.ballot_cost == 2800
    assert "Kan, met vergunning." in Client().get(plan.get_absolute_url()).content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PLAN_CHECKED).exists()


def test_a_plan_without_enough_support_does_not_reach_the_ballot(bb, board_member):
    plan = add_plan(bb, feasible=False, supporters=1)
    set_phase(bb, Phase.CHECK)
    with pytest.raises(ValidationError) as error:
        services.check_plan(plan=plan, official=board_member, feasible=True, reason="ok", cost_estimate=100)
    assert error.value.code == "support"
    services.check_plan(plan=plan, official=board_member, feasible=False, reason="Te weinig steun", cost_estimate=None)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.NOT_FEASIBLE


def test_merging_moves_supporters_once(bb, login, board_member):
    keep = add_plan(bb, "Bankjes", feasible=False, supporters=1)
    dup = add_plan(bb, "Zitbankjes", feasible=False, supporters=2)
    both = UserFactory()
    Support.objects.create(plan=keep, user=both)
    Support.objects.create(plan=dup, user=both)
    response = login(board_member).post(reverse("plan-merge", args=[bb.slug, dup.pk]), {"into": keep.pk})
    assert response.status_code == 302
    dup.refresh_from_db()
    assert dup.status == Plan.Status.MERGED
    assert dup.merged_into == keep
    assert keep.supports.count() == 4
    assert login(board_member).post(reverse("plan-merge", args=[bb.slug, keep.pk]), {"into": dup.pk}).status_code in (
        400,
        403,
    )


def test_voting_cannot_open_while_supported_plans_wait_for_the_check(bb, board_member):
    set_phase(bb, Phase.CHECK)
    add_plan(bb, feasible=True)
    add_plan(bb, "Wacht", feasible=False, supporters=2)
    with pytest.raises(ValidationError):
        services.advance_phase(burgerbegroting=bb, official=board_member)
    bb.refresh_from_db()
    assert bb.phase == Phase.CHECK


def test_phase_changes_are_logged(bb, login, board_member):
    response = login(board_member).post(reverse("burgerbegroting-manage", args=[bb.slug]), {"action": "advance"})
    assert response.status_code == 302
    bb.refresh_from_db()
    assert bb.phase == Phase.SUPPORT
    event = AuditEvent.objects.get(action=AuditEvent.Action.PHASE_CHANGED)
    assert event.details["old"] == "indienen"
    assert event.details["new"] == "steun"
    assert event.details["by"] == "hand"
    assert event.actor == board_member


def test_residents_cannot_manage(bb, login, resident):
    assert login(resident).get(reverse("burgerbegroting-manage", args=[bb.slug])).status_code == 403
    assert (
        login(resident).post(reverse("burgerbegroting-manage", args=[bb.slug]), {"action": "advance"}).status_code
        == 403
    )


def test_realisation_updates_for_a_funded_plan(voting, login, board_member, resident):
    plan = voting.ballot_plans().first()
    services.cast_ballot(burgerbegroting=voting, choices={str(plan.pk): 1}, voter=resident)
    services.close_vote(burgerbegroting=voting, official=board_member)
    url = reverse("plan-realisation", args=[voting.slug, plan.pk])
    assert login(board_member).get(url).status_code == 403  # only in the realisation phase
    services.advance_phase(burgerbegroting=voting, official=board_member)
    client = login(board_member)
    assert client.post(url, {"status": "bezig", "amount_spent": "-1"}).status_code == 400
    response = client.post(
        url,
        {
            "status": "bezig",
            "amount_spent": "1200",
            "text": "De bankjes zijn besteld.",
            "photo": png_upload(),
            "photo_alt": "Bankje",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.amount_spent == 1200
    page = Client().get(plan.get_absolute_url()).content.decode()
    assert "De bankjes zijn besteld." in page
    unfunded = voting.ballot_plans().exclude(pk__in=[int(p) for p in voting.result.selected]).first()
    assert login(board_member).get(reverse("plan-realisation", args=[voting.slug, unfunded.pk])).status_code == 403


def test_pages_render_for_everyone(voting, login, resident, board_member):
    for client in (Client(), login(resident), login(board_member)):
        for url in (
            reverse("burgerbegroting-list"),
            voting.get_absolute_url(),
            voting.ballot_plans().first().get_absolute_url(),
            reverse("ballot", args=[voting.slug]),
            reverse("ballot-code", args=[voting.slug]),
        ):
            assert client.get(url).status_code in (200, 302), url
    assert login(board_member).get(reverse("burgerbegroting-manage", args=[voting.slug])).status_code == 200
    assert login(board_member).get(reverse("burgerbegroting-paper", args=[voting.slug])).status_code == 200
    assert login(board_member).get(reverse("burgerbegroting-codes", args=[voting.slug])).status_code == 200


def test_a_plan_has_at_most_five_images(bb, login, resident):
    plan = add_plan(bb, feasible=False, submitter=resident)
    url = reverse("plan-edit", args=[bb.slug, plan.pk])
    client = login(resident)
    for _ in range(5):
        assert client.post(url, plan_data(image=png_upload(), image_alt="Foto")).status_code == 302
    assert client.post(url, plan_data(image=png_upload(), image_alt="Foto")).status_code == 400
    assert plan.images.count() == 5
