"""Walks the role × phase table of docs/permissions.md ("Burgerbegroting: role × phase") against the rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from samen030.budgeting.models import PHASE_ORDER, Plan, Result
from samen030.budgeting.tests.conftest import add_plan, make_burgerbegroting, set_phase
from tests.factories import UserFactory

TABLE = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"
ROLES = {"S": "stranger", "R": "resident", "E": "submitter", "B": "board", "A": "admin"}


def phase_rows():
    rows = []
    in_table = False
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("| action | permission | object | indienen |"):
            header = [c.strip() for c in line.strip("|").split("|")]
            assert header[3:] == PHASE_ORDER
            in_table = True
            continue
        if in_table and line.startswith("| ---"):
            continue
        if in_table and line.startswith("|"):
            action, permission, obj, *cells = [c.strip() for c in line.strip("|").split("|")]
            assert len(cells) == len(PHASE_ORDER), action
            for phase, cell in zip(PHASE_ORDER, cells, strict=True):
                letters = set() if cell == "–" else set(cell.split())
                assert letters <= set(ROLES), f"{action}: unknown role in {cell!r}"
                rows.append((action, permission, obj, phase, {ROLES[r] for r in letters}))
        elif in_table:
            break
    return rows


ROWS = phase_rows()


def test_the_table_covers_every_budgeting_permission_the_views_check():
    permissions = {row[1] for row in ROWS}
    assert {
        "budgeting.view_burgerbegroting",
        "budgeting.add_plan",
        "budgeting.change_plan",
        "budgeting.support_plan",
        "budgeting.comment_plan",
        "budgeting.check_plan",
        "budgeting.merge_plan",
        "budgeting.manage_burgerbegroting",
        "budgeting.advance_phase",
        "budgeting.change_rules",
        "budgeting.generate_codes",
        "budgeting.vote_online",
        "budgeting.vote_with_code",
        "budgeting.enter_paper_ballot",
        "budgeting.close_vote",
        "budgeting.view_outcome",
        "budgeting.update_realisation",
    } == permissions
    assert len(ROWS) == 18 * len(PHASE_ORDER)


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]}-{r[3]}" for r in ROWS])
def test_role_phase_matrix(places, row):
    action, permission, kind, phase, allowed = row
    bb = make_burgerbegroting(phase=phase)
    submitter = UserFactory()
    obj = bb
    if kind != "burgerbegroting":
        obj = add_plan(bb, feasible=kind != "open plan", submitter=submitter)
        if kind == "funded plan":
            Result.objects.create(burgerbegroting=bb, rule="mes", selected=[str(obj.pk)], ballots_digest="-")
            obj = Plan.objects.select_related("burgerbegroting__result").get(pk=obj.pk)
    people = {
        "stranger": AnonymousUser(),
        "resident": UserFactory(),
        "submitter": submitter,
        "board": UserFactory(is_board=True),
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }
    for role, person in people.items():
        expected = role in allowed
        got = person.has_perm(permission, obj)
        assert got is expected, f"{role} / {action} in {phase}: expected {expected}, rules say {got}"


@pytest.mark.django_db
def test_an_unverified_account_cannot_vote_or_submit(places):
    bb = make_burgerbegroting(phase="stemmen")
    unverified = UserFactory(verified=False)
    assert not unverified.has_perm("budgeting.vote_online", bb)
    set_phase(bb, "indienen")
    assert not unverified.has_perm("budgeting.add_plan", bb)
