"""Walks the role × action table in docs/permissions.md and checks every cell against the django-rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from samen030.funds.models import CommitteeMember, Fund, GrantApplication, PaymentRequest
from samen030.knowledge.models import Item
from samen030.memberships.models import Application
from samen030.places.models import Buurt
from tests.factories import (
    ActivityFactory,
    ApplicationFactory,
    EditorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

TABLE = Path(__file__).resolve().parent.parent / "docs" / "permissions.md"
ROLES = ["stranger", "resident", "editor", "board", "admin"]


def matrix_rows() -> list[tuple[str, str, str, dict[str, bool]]]:
    rows = []
    in_table = False
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("| action | permission | object |"):
            in_table = True
            continue
        if in_table and line.startswith("| ---"):
            continue
        if in_table and line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            action, permission, obj, *answers = cells
            assert len(answers) == len(ROLES), f"row {action!r} needs one answer per role"
            assert set(answers) <= {"yes", "no"}, f"row {action!r}: answers are yes or no"
            rows.append((action, permission, obj, dict(zip(ROLES, (a == "yes" for a in answers), strict=True))))
        elif in_table:
            break
    return rows


ROWS = matrix_rows()


def test_the_table_covers_every_permission_the_views_check():
    permissions = {permission for _action, permission, _obj, _answers in ROWS}
    assert {
        "organisations.view_organisation",
        "organisations.change_organisation",
        "organisations.invite_editor",
        "organisations.remove_editor",
        "memberships.add_application",
        "memberships.view_application",
        "memberships.supply_information",
        "memberships.withdraw_application",
        "memberships.decide_application",
        "memberships.view_register",
        "memberships.end_membership",
        "activities.view_activity",
        "activities.add_activity",
        "activities.change_activity",
        "activities.delete_activity",
        "activities.hide_activity",
        "funds.view_fund",
        "funds.manage_fund",
        "funds.request_payment",
        "funds.record_income",
        "funds.commit_budget",
        "funds.release_commitment",
        "funds.reverse_transaction",
        "funds.view_paymentrequest",
        "funds.approve_payment",
        "funds.reject_payment",
        "funds.add_payment_receipt",
        "funds.view_payment_receipt",
        "knowledge.view_item",
        "knowledge.add_item",
        "knowledge.change_item",
        "knowledge.hide_item",
        "knowledge.take_part",
        "knowledge.follow_theme",
        "funds.manage_committee",
        "funds.change_budget",
        "funds.import_statement",
        "funds.manage_treasurers",
        "funds.add_grantapplication",
        "funds.view_grantapplication",
        "funds.view_supportlist",
        "funds.withdraw_grantapplication",
        "funds.declare_conflict",
        "funds.vote_grantapplication",
        "funds.decide_grantapplication",
        "funds.agree_grantapplication",
        "funds.request_tranche",
        "funds.report_grantapplication",
        "funds.settle_grantapplication",
        "funds.view_receipt",
    } <= permissions


def build_fund_object(kind: str, treasurer):
    """A fund whose treasurer plays the "editor" column, or one of its payment requests."""
    fund = Fund.objects.create(slug=f"fonds-{treasurer.pk}", name="Buurtfonds", kind=Fund.Kind.BUURTFONDS)
    other = UserFactory()
    fund.treasurers.set([treasurer, other])
    if kind == "fund":
        return fund
    requester = treasurer if kind == "own payment request" else other
    payment = PaymentRequest.objects.create(
        fund=fund, amount=100, description="Koffie", project="Buurtfeest", payee_name="Jan", requested_by=requester
    )
    if kind == "payment request approved by you":
        payment.approvals.create(approver=treasurer)
    if kind == "booked payment request":
        payment.status = PaymentRequest.Status.BOOKED
        payment.save()
    return payment


def build_knowledge_object(kind: str, author):
    """The "editor" column is the item's author, an editor of a member organisation."""
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation)
    EditorFactory(organisation=organisation, user=author)
    if kind == "the library":
        return None
    return Item.objects.create(
        slug=f"item-{author.pk}",
        kind=Item.Kind.IDEA,
        title="Buurtkeuken",
        summary="Samen koken",
        author=author,
        audience=Item.Audience.MEMBERS if kind == "members-only item" else Item.Audience.PUBLIC,
        hidden_at=timezone.now() if kind == "hidden item" else None,
    )


GRANT_STATUS = {
    "open grant application": GrantApplication.Status.SUBMITTED,
    "decided grant application": GrantApplication.Status.REJECTED,
    "granted application": GrantApplication.Status.APPROVED,
    "grant under agreement": GrantApplication.Status.AGREED,
    "reported grant": GrantApplication.Status.REPORTED,
}


def build_grant_object(kind: str, editor):
    """'<status> (editor: <role>)': a grant application where the editor column is the applicant, a committee member
    (with or without a conflict of interest) or a treasurer."""
    status, role = kind.removesuffix(")").split(" (editor: ")
    fund = Fund.objects.create(slug=f"fonds-{editor.pk}", name="Buurtfonds", kind=Fund.Kind.BUURTFONDS)
    applicant = editor if role.startswith("the applicant") else UserFactory()
    today = timezone.localdate()
    application = GrantApplication.objects.create(
        fund=fund,
        title="Buurtfeest",
        plan="Een feest",
        applicant=applicant,
        starts_on=today,
        ends_on=today,
        amount_requested=100,
        own_contribution="Tijd",
        decide_by=today,
        status=GRANT_STATUS[status],
    )
    if "committee" in role:
        CommitteeMember.objects.create(fund=fund, user=editor, buurt=Buurt.objects.first())
    if "conflict" in role:
        application.conflicts.create(member=editor, reason="Familie")
    if role == "a treasurer":
        fund.treasurers.add(editor)
    return application


def build_object(kind: str, editor):  # noqa: PLR0911 (one return per kind of object in the table)
    if kind == "–":
        return None
    if kind.endswith(" item") or kind == "the library":
        return build_knowledge_object(kind, editor)
    if "(editor: " in kind:
        return build_grant_object(kind, editor)
    if kind.endswith("activity") or (kind.endswith("unpublished organisation") and kind.startswith("activity")):
        organisation = OrganisationFactory(is_published=kind != "activity of an unpublished organisation")
        EditorFactory(organisation=organisation, user=editor)
        return ActivityFactory(
            organisations=[organisation],
            is_paused=kind == "paused activity",
            hidden_at=timezone.now() if kind == "hidden activity" else None,
        )
    if kind == "fund" or kind.endswith(("payment request", "another treasurer", "approved by you")):
        return build_fund_object(kind, editor)
    if kind.endswith("organisation"):
        organisation = OrganisationFactory(is_published=kind == "published organisation")
        EditorFactory(organisation=organisation, user=editor)
        return organisation
    status = {
        "open application": Application.Status.SUBMITTED,
        "application awaiting information": Application.Status.INFO_REQUESTED,
        "decided application": Application.Status.ADMITTED,
    }[kind]
    application = ApplicationFactory(status=status, submitted_by=editor)
    EditorFactory(organisation=application.organisation, user=editor)
    return application


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "permission", "kind", "answers"), ROWS, ids=[row[0] for row in ROWS])
def test_permission_matrix(action, permission, kind, answers, request):
    if "(editor: " in kind:
        request.getfixturevalue("places")  # committee members live in a buurt
    editor = UserFactory()
    obj = build_object(kind, editor)
    people = {
        "stranger": AnonymousUser(),
        "resident": UserFactory(),
        "editor": editor,
        "board": UserFactory(is_board=True),
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }
    for role, expected in answers.items():
        allowed = people[role].has_perm(permission, obj)
        assert allowed is expected, f"{role} / {action}: expected {expected}, rules say {allowed}"


@pytest.mark.django_db
def test_an_unverified_account_is_not_a_resident():
    unverified = UserFactory(verified=False)
    assert not unverified.has_perm("memberships.add_application")
