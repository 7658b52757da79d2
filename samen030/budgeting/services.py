"""Every change to a burgerbegroting goes through these functions, each in one transaction.

Bad input raises ValidationError with a message for the user; nothing is stored then."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samen030.organisations.models import Organisation
from samen030.places.models import Buurt

from . import codes, results
from .models import (
    PHASE_ORDER,
    START_FIELDS,
    START_NAMES,
    AuditEvent,
    Ballot,
    Burgerbegroting,
    CodeBatch,
    Comment,
    PaperEntry,
    Phase,
    Plan,
    PlanImage,
    PlanUpdate,
    Result,
    Support,
    VoteCode,
    phase_index,
)

MAX_CODES_PER_BATCH = 20_000
MAX_IMAGES = 5  # per plan


def log(bb: Burgerbegroting, actor: Any, action: str, **details: Any) -> AuditEvent:
    return AuditEvent.objects.create(
        burgerbegroting=bb,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        details=details,
    )


def _require_phase(bb: Burgerbegroting, *phases: str, message: str) -> None:
    if bb.phase not in phases:
        raise ValidationError(message, code="phase")


def _check_cost(cost: Any) -> int:
    if cost is None or not isinstance(cost, int) or cost <= 0:
        raise ValidationError(_("Give the estimated cost in whole euros, more than zero."), code="cost")
    return cost


# Plans --------------------------------------------------------------------------------------------------------------


@transaction.atomic
def submit_plan(
    *,
    burgerbegroting: Burgerbegroting,
    user: Any,
    title: str,
    description: str,
    cost: int,
    location: str = "",
    buurt: Buurt | None = None,
    organisation: Organisation | None = None,
    images: list[tuple[ContentFile[bytes], str]] | None = None,
) -> Plan:
    _require_phase(
        burgerbegroting, Phase.SUBMISSION, message=_("Plans can only be submitted while plans are being collected.")
    )
    cost = _check_cost(cost)
    if cost > burgerbegroting.budget:
        raise ValidationError(
            _("The plan costs more than the whole budget (€ %(budget)s).") % {"budget": burgerbegroting.budget},
            code="cost",
        )
    if organisation is not None and not organisation.editors.filter(user=user).exists():
        raise ValidationError(_("You can only submit a plan on behalf of an organisation you edit."), code="org")
    plan = Plan.objects.create(
        burgerbegroting=burgerbegroting,
        title=title,
        description=description,
        cost=cost,
        location=location,
        buurt=buurt,
        organisation=organisation,
        submitted_by=user,
    )
    for content, alt in images or []:
        PlanImage.objects.create(plan=plan, image=content, alt=alt)
    return plan


@transaction.atomic
def update_plan(
    *,
    plan: Plan,
    user: Any,
    title: str,
    description: str,
    cost: int,
    location: str = "",
    buurt: Buurt | None = None,
    images: list[tuple[ContentFile[bytes], str]] | None = None,
) -> Plan:
    plan = Plan.objects.select_for_update().select_related("burgerbegroting").get(pk=plan.pk)
    if plan.status != Plan.Status.SUBMITTED or plan.burgerbegroting.phase not in (Phase.SUBMISSION, Phase.SUPPORT):
        raise ValidationError(_("This plan can no longer be changed: the check has started."), code="phase")
    plan.cost = _check_cost(cost)
    if plan.cost > plan.burgerbegroting.budget:
        raise ValidationError(
            _("The plan costs more than the whole budget (€ %(budget)s).") % {"budget": plan.burgerbegroting.budget},
            code="cost",
        )
    if images and plan.images.count() + len(images) > MAX_IMAGES:
        raise ValidationError(
            _("A plan can have at most %(max)s images.") % {"max": MAX_IMAGES}, code="too_many_images"
        )
    plan.title, plan.description, plan.location, plan.buurt = title, description, location, buurt
    plan.save()
    for content, alt in images or []:
        PlanImage.objects.create(plan=plan, image=content, alt=alt)
    return plan


def add_comment(*, plan: Plan, user: Any, text: str) -> Comment:
    if plan.burgerbegroting.phase not in (Phase.SUBMISSION, Phase.SUPPORT, Phase.CHECK, Phase.VOTING):
        raise ValidationError(_("Comments are closed."), code="phase")
    text = text.strip()
    if not text:
        raise ValidationError(_("Write a comment first."), code="empty")
    return Comment.objects.create(plan=plan, author=user, text=text)


def support_plan(*, plan: Plan, user: Any) -> bool:
    """Steun for a plan; True when it is new, False when this account supported the plan already."""
    if plan.status != Plan.Status.SUBMITTED or plan.burgerbegroting.phase not in (Phase.SUBMISSION, Phase.SUPPORT):
        raise ValidationError(_("Support can only be given while support is being collected."), code="phase")
    try:
        with transaction.atomic():
            Support.objects.create(plan=plan, user=user)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def check_plan(*, plan: Plan, official: Any, feasible: bool, reason: str, cost_estimate: int | None) -> Plan:
    plan = Plan.objects.select_for_update().select_related("burgerbegroting").get(pk=plan.pk)
    bb = plan.burgerbegroting
    _require_phase(bb, Phase.CHECK, message=_("Plans are checked in the feasibility check phase."))
    if plan.status in (Plan.Status.MERGED, Plan.Status.WITHDRAWN):
        raise ValidationError(_("This plan was merged or withdrawn and is not checked."), code="status")
    if not reason.strip():
        raise ValidationError(_("Give a public reason for the decision."), code="reason")
    if feasible:
        cost_estimate = _check_cost(cost_estimate)
        if cost_estimate > bb.budget:
            raise ValidationError(_("The cost estimate is more than the whole budget."), code="cost")
        support = plan.supports.count()
        if support < bb.support_threshold:
            raise ValidationError(
                _("This plan has %(count)s supporters; %(needed)s are needed to reach the ballot.")
                % {"count": support, "needed": bb.support_threshold},
                code="support",
            )
    plan.status = Plan.Status.FEASIBLE if feasible else Plan.Status.NOT_FEASIBLE
    plan.check_reason = reason.strip()
    plan.checked_cost = cost_estimate if feasible else None
    plan.checked_by, plan.checked_at = official, timezone.now()
    plan.save()
    log(bb, official, AuditEvent.Action.PLAN_CHECKED, plan=plan.pk, status=plan.status, cost=plan.checked_cost)
    return plan


@transaction.atomic
def merge_plans(*, duplicate: Plan, into: Plan, official: Any) -> Plan:
    """Merge a duplicate into another plan of the same burgerbegroting: its supporters move over (once each)."""
    duplicate = Plan.objects.select_for_update().get(pk=duplicate.pk)
    into = Plan.objects.select_for_update().get(pk=into.pk)
    bb = duplicate.burgerbegroting
    if duplicate.pk == into.pk or into.burgerbegroting_id != duplicate.burgerbegroting_id:
        raise ValidationError(_("Choose another plan of this burgerbegroting."), code="same")
    if duplicate.status != Plan.Status.SUBMITTED or into.status != Plan.Status.SUBMITTED:
        raise ValidationError(_("Only plans that have not been checked yet can be merged."), code="status")
    _require_phase(
        bb, Phase.SUBMISSION, Phase.SUPPORT, Phase.CHECK, message=_("Plans can no longer be merged in this phase.")
    )
    already = set(into.supports.values_list("user_id", flat=True))
    Support.objects.bulk_create(
        [Support(plan=into, user_id=s.user_id) for s in duplicate.supports.all() if s.user_id not in already]
    )
    duplicate.supports.all().delete()
    duplicate.status, duplicate.merged_into = Plan.Status.MERGED, into
    duplicate.save()
    log(bb, official, AuditEvent.Action.PLANS_MERGED, duplicate=duplicate.pk, into=into.pk)
    return into


# Phases and result ---------------------------------------------------------------------------------------------------


def _record_due_phases(bb: Burgerbegroting, now: Any) -> list[str]:
    """Write the phases the dates have reached since the recorded one to the audit log, one event per phase (with
    its scheduled start), and record the current phase. Call it holding the burgerbegroting's row lock."""
    current = bb.phase_at(now)
    old, new = phase_index(bb.recorded_phase), phase_index(current)
    if new <= old:
        return []
    steps = PHASE_ORDER[old + 1 : new + 1]
    previous = bb.recorded_phase
    for step in steps:
        scheduled = getattr(bb, START_FIELDS[step])
        log(bb, None, AuditEvent.Action.PHASE_CHANGED, old=previous, new=step, by="dates", at=scheduled.isoformat())
        previous = step
    bb.recorded_phase = current
    bb.save(update_fields=["recorded_phase"])
    return steps


def _has_result(bb: Burgerbegroting) -> bool:
    return Result.objects.filter(burgerbegroting=bb).exists()


def record_phase_changes(*, burgerbegroting: Burgerbegroting) -> list[str]:
    """What `samen030 advance_phases` does for one burgerbegroting: record the phase changes the dates have made
    since the last run, and once the vote has closed compute and publish the result (once).

    Safe to run twice at the same moment: each run holds the row lock, and from the moment the vote is open the
    exclusive vote lock too (so ballots being cast finish first and the result is computed by one run only).
    Returns the phases recorded, plus "result" when it computed the result."""
    bb = Burgerbegroting.objects.get(pk=burgerbegroting.pk)
    now = timezone.now()
    current = bb.phase_at(now)
    vote_started = phase_index(current) >= PHASE_ORDER.index(Phase.VOTING)
    if current == bb.recorded_phase and not (bb.phase_at_or_after(Phase.RESULT) and not _has_result(bb)):
        return []  # nothing to do: no lock taken
    with transaction.atomic():
        bb = _lock_burgerbegroting_exclusive(bb) if vote_started else _lock_row(bb)
        now = timezone.now()  # the time after waiting for the lock
        done = _record_due_phases(bb, now)
        if phase_index(bb.phase_at(now)) >= PHASE_ORDER.index(Phase.RESULT) and not _has_result(bb):
            store_result(bb, None)
            done.append("result")
    return done


def _lock_row(bb: Burgerbegroting) -> Burgerbegroting:
    return Burgerbegroting.objects.select_for_update().get(pk=bb.pk)


def advance_phase(*, burgerbegroting: Burgerbegroting, official: Any) -> Burgerbegroting:
    """The board moves to the next phase by hand, ahead of the dates: the next phase's start becomes now (so the
    schedule shows what happened) and the audit log records it as a change by hand with the planned start. Leaving
    the vote closes it and computes the result."""
    if Burgerbegroting.objects.get(pk=burgerbegroting.pk).phase == Phase.VOTING:  # as stored, not as last seen
        # the vote lock before the row lock, in the same order as close_vote and record_phase_changes
        return close_vote(burgerbegroting=burgerbegroting, official=official)
    with transaction.atomic():
        bb = _lock_row(burgerbegroting)
        now = timezone.now()
        current = bb.phase_at(now)
        index = phase_index(current)
        target = PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None
        if target is None:
            raise ValidationError(_("This is the last phase."), code="phase")
        if current == Phase.VOTING:
            raise ValidationError(_("The vote has just opened. Reload the page and try again."), code="race")
        if target == Phase.VOTING:
            blocker = bb.vote_blocker()
            if blocker is not None:
                raise ValidationError(blocker, code="unchecked")
        following = PHASE_ORDER[PHASE_ORDER.index(target) + 1] if target != PHASE_ORDER[-1] else None
        if following is not None and getattr(bb, START_FIELDS[following]) <= now:
            raise ValidationError(
                _("%(phase)s would start at once, because its date has passed. Set new dates first.")
                % {"phase": Phase(following).label.capitalize()},
                code="dates",
            )
        _record_due_phases(bb, now)
        _start_by_hand(bb, official, target, now)
        return bb


def _start_by_hand(bb: Burgerbegroting, official: Any, target: str, now: Any) -> None:
    """Start `target` now: its start date becomes now (if it was later), it is recorded, and the audit log says it
    was moved by hand, with the start that was planned. Call it holding the locks, after _record_due_phases."""
    field = START_FIELDS[target]
    planned = getattr(bb, field)
    setattr(bb, field, min(planned, now))
    old, bb.recorded_phase = bb.recorded_phase, target
    bb.save(update_fields=["recorded_phase", field])
    log(bb, official, AuditEvent.Action.PHASE_CHANGED, old=old, new=target, by="hand", planned=planned.isoformat())


@transaction.atomic
def close_vote(*, burgerbegroting: Burgerbegroting, official: Any) -> Burgerbegroting:
    """Close the vote by hand now: the exclusive vote lock waits for ballots being cast, then the close becomes now
    and the result is computed and stored."""
    bb = _lock_burgerbegroting_exclusive(burgerbegroting)
    now = timezone.now()
    _require_phase(bb, Phase.VOTING, message=_("The vote is not open."))
    _record_due_phases(bb, now)
    _start_by_hand(bb, official, Phase.RESULT, now)
    store_result(bb, official)
    return bb


@transaction.atomic
def change_dates(*, burgerbegroting: Burgerbegroting, official: Any, dates: dict[str, Any]) -> Burgerbegroting:
    """The board changes the schedule. The starts must stay in order; a phase that has started keeps its start
    (only the close of an open vote may move, and not into the past); a phase that has not started cannot start in
    the past (moving it now is "Go to the next phase", which the audit log records as a change by hand)."""
    bb = _lock_row(burgerbegroting)
    now = timezone.now()
    current = phase_index(bb.phase_at(now))
    old = {field: getattr(bb, field) for field in START_FIELDS.values()}
    problems: list[str] = []
    for phase, field in START_FIELDS.items():
        value = dates.get(field, old[field])
        if value is None:
            problems.append(_("Give %(what)s.") % {"what": START_NAMES[field]})
            continue
        if value == old[field].replace(second=0, microsecond=0):
            value = old[field]  # the form shows whole minutes: the same minute is no change
        started = phase_index(phase) <= current
        if started and value != old[field]:
            problems.append(
                _("%(what)s has passed and can no longer change.") % {"what": str(START_NAMES[field]).capitalize()}
            )
        elif not started and value != old[field] and value <= now:
            if field == "voting_end" and current == PHASE_ORDER.index(Phase.VOTING):
                message = _("The vote is open: its close can move, but not to a moment that has passed.")
            else:
                message = _(
                    "%(what)s cannot be in the past. To start the next phase now, use “Start the next phase now”."
                ) % {"what": str(START_NAMES[field]).capitalize()}
            problems.append(message)
        setattr(bb, field, value)
    if not problems:
        problems = bb.schedule_order_problems()
    if problems:
        raise ValidationError(problems, code="dates")
    changed = {
        field: [old[field].isoformat(), getattr(bb, field).isoformat()]
        for field in old
        if getattr(bb, field) != old[field]
    }
    if changed:
        bb.save(update_fields=list(changed))
        log(bb, official, AuditEvent.Action.DATES_CHANGED, **changed)
    return bb


def store_result(bb: Burgerbegroting, official: Any) -> Result:
    data = results.compute(bb)
    result, _created = Result.objects.update_or_create(
        burgerbegroting=bb, defaults={**data, "computed_at": timezone.now(), "computed_by": official}
    )
    log(
        bb,
        official,
        AuditEvent.Action.RESULT_COMPUTED,
        selected=data["selected"],
        total_cost=data["total_cost"],
        ballots=data["ballot_count"],
        digest=data["ballots_digest"],
    )
    return result


# Vote codes ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def generate_codes(
    *, burgerbegroting: Burgerbegroting, official: Any, count: int, note: str = ""
) -> tuple[CodeBatch, list[str]]:
    """A batch of new codes. Only their hashes are stored: the plain codes are returned once, for the letters."""
    bb = Burgerbegroting.objects.get(pk=burgerbegroting.pk)  # the phase as stored, not as the caller last saw it
    if bb.phase_at_or_after(Phase.RESULT):
        raise ValidationError(_("The vote is closed; no new codes can be made."), code="phase")
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise ValidationError(
            _("Make between 1 and %(max)s codes at a time.") % {"max": MAX_CODES_PER_BATCH}, code="count"
        )
    batch = CodeBatch.objects.create(burgerbegroting=bb, size=count, note=note, created_by=official)
    plain: list[str] = []
    seen: set[str] = set()
    while len(plain) < count:
        code = codes.new_code()
        if code not in seen:
            seen.add(code)
            plain.append(code)
    VoteCode.objects.bulk_create(
        [VoteCode(batch=batch, burgerbegroting=bb, code_hash=codes.hash_code(bb.pk, c)) for c in plain]
    )
    log(bb, official, AuditEvent.Action.CODES_GENERATED, batch=batch.pk, count=count, note=note)
    return batch, plain


def find_code(*, burgerbegroting: Burgerbegroting, text: str) -> VoteCode:
    """The vote code a voter typed, or ValidationError (unknown, or already used on a paper ballot)."""
    code = codes.normalise_code(text)
    found = (
        VoteCode.objects.filter(
            burgerbegroting=burgerbegroting, code_hash=codes.hash_code(burgerbegroting.pk, code)
        ).first()
        if code
        else None
    )
    if found is None:
        raise ValidationError(_("We do not know this code. Check the letter and try again."), code="unknown")
    if found.used_on_paper:
        raise ValidationError(_("This code has already been used to vote on paper."), code="used")
    return found


# Ballots -------------------------------------------------------------------------------------------------------------


def ballot_costs(bb: Burgerbegroting) -> dict[str, int]:
    """The plans on the ballot, as plan id (text) -> cost on the ballot: all that checking a ballot needs.

    One plain query (this runs for every ballot): the same rows as `bb.ballot_plans()`, without building models."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, cost, checked_cost FROM budgeting_plan WHERE burgerbegroting_id = %s AND status = %s",
            [bb.pk, Plan.Status.FEASIBLE.value],
        )
        return {str(pk): checked_cost or cost for pk, cost, checked_cost in cursor.fetchall()}


def clean_choices(  # noqa: PLR0912 (one branch per rule of the ballot, read top to bottom)
    bb: Burgerbegroting, raw: dict[str, Any], costs: dict[str, int] | None = None
) -> dict[str, int]:
    """Check a ballot against the burgerbegroting's rules: plans on the ballot, min/max, budget, points.

    `costs` maps the plans on the ballot to their cost (`ballot_costs`); it is read when not given."""
    if costs is None:
        costs = ballot_costs(bb)
    choices: dict[str, int] = {}
    for pid, value in raw.items():
        if str(pid) not in costs:
            raise ValidationError(_("The ballot names a plan that is not on the ballot."), code="unknown_plan")
        try:
            points = int(value)
        except (TypeError, ValueError):
            raise ValidationError(_("Give whole numbers of points."), code="points") from None
        if points < 0:
            raise ValidationError(_("Points cannot be negative."), code="points")
        if points > 0:
            choices[str(pid)] = points
    kind = bb.ballot_type
    if kind == Burgerbegroting.BallotType.CUMULATIVE:
        total = sum(choices.values())
        if total == 0:
            raise ValidationError(_("Give at least one point to a plan."), code="empty")
        if total > bb.points:
            raise ValidationError(
                _("You gave %(given)s points; you have %(points)s.") % {"given": total, "points": bb.points},
                code="points",
            )
        return choices
    if any(v != 1 for v in choices.values()):
        raise ValidationError(_("Choose a plan or leave it out."), code="points")
    if kind == Burgerbegroting.BallotType.APPROVAL:
        if not bb.min_choices <= len(choices) <= bb.max_choices:
            raise ValidationError(
                _("Choose at least %(min)s and at most %(max)s plans; you chose %(n)s.")
                % {"min": bb.min_choices, "max": bb.max_choices, "n": len(choices)},
                code="count",
            )
    else:
        if not choices:
            raise ValidationError(_("Choose at least one plan."), code="empty")
        total = sum(costs[pid] for pid in choices)
        if total > bb.budget:
            raise ValidationError(
                _("Your plans cost € %(total)s together; the budget is € %(budget)s. Leave a plan out.")
                % {"total": total, "budget": bb.budget},
                code="budget",
            )
    return choices


# PostgreSQL advisory locks (in memory, no row writes): ballots take the shared lock, closing the vote the exclusive
# one, so the close waits for ballots being cast and ballots after it see the closed phase. The first key names this
# use ("BB" in ASCII); the second is the burgerbegroting.
ADVISORY_NAMESPACE = 0x4242


def _hold_vote_lock_shared(bb: Burgerbegroting) -> None:
    """Take the shared vote lock until the end of the transaction (see ADVISORY_NAMESPACE). A FOR SHARE row lock
    would do the same but makes every ballot write the row's lock information, which many voters then queue for.
    SQLite writes one transaction at a time (and takes the write lock when the transaction starts), so there the
    transaction itself is enough."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [ADVISORY_NAMESPACE, bb.pk])


def _lock_burgerbegroting_shared(bb: Burgerbegroting) -> Burgerbegroting:
    """Read the burgerbegroting while holding the shared vote lock."""
    _hold_vote_lock_shared(bb)
    return Burgerbegroting.objects.get(pk=bb.pk)


def _lock_burgerbegroting_exclusive(bb: Burgerbegroting) -> Burgerbegroting:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_NAMESPACE, bb.pk])
    return Burgerbegroting.objects.select_for_update().get(pk=bb.pk)


# One statement stores a ballot or replaces the voter's earlier one (the unique constraints decide under concurrency,
# in the database), and only while the vote is open: the dates (and that the vote was not closed by hand, which
# records the result phase) are checked in the same statement, at a time taken after the shared vote lock is held,
# so a ballot that waited for a close is refused. (That the ballot was ready when the vote opened by its date is
# checked before, by `Burgerbegroting.phase`: only the board changes it.) For a vote code the statement also checks
# the code (of this burgerbegroting, not used on paper) and never replaces a paper ballot. It returns no row when any
# check fails; `_why_not_stored` then says which.
# Plain SQL because this is the hot path of a vote (one statement instead of four ORM queries); it runs unchanged on
# PostgreSQL and SQLite (3.35+: upsert with RETURNING).
_UPSERT_BALLOT = """
INSERT INTO budgeting_ballot
    (burgerbegroting_id, channel, voter_id, vote_code_id, paper_number, buurt_id, choices, cast_at, changes)
SELECT %(bb)s, %(channel)s, {voter}, {vote_code}, '', %(buurt)s, %(choices)s, %(now)s, 0
{source}
WHERE EXISTS (
    SELECT 1 FROM budgeting_burgerbegroting WHERE id = %(bb)s
    AND voting_start <= %(now)s AND voting_end > %(now)s AND recorded_phase NOT IN (%(result)s, %(realisation)s)
){code_checks}
ON CONFLICT {target} DO UPDATE SET
    choices = excluded.choices,
    buurt_id = COALESCE(excluded.buurt_id, budgeting_ballot.buurt_id),
    cast_at = excluded.cast_at,
    changes = budgeting_ballot.changes + 1
WHERE budgeting_ballot.channel = %(channel)s
RETURNING id, changes
"""
UPSERT_BY_ACCOUNT = _UPSERT_BALLOT.format(
    voter="%(voter)s",
    vote_code="NULL",
    source="",
    code_checks="",
    target="(burgerbegroting_id, voter_id) WHERE voter_id IS NOT NULL",
)
UPSERT_BY_CODE = _UPSERT_BALLOT.format(
    voter="NULL",
    vote_code="vc.id",
    source="FROM budgeting_votecode vc",
    code_checks="\n    AND vc.id = %(vote_code)s AND vc.burgerbegroting_id = %(bb)s AND NOT vc.used_on_paper",
    target="(vote_code_id)",
)


def cast_ballot(
    *,
    burgerbegroting: Burgerbegroting,
    choices: dict[str, Any],
    voter: Any = None,
    vote_code: VoteCode | int | None = None,
    buurt: Buurt | None = None,
) -> Ballot:
    """Store a voter's ballot, or replace the choices of their earlier one: one ballot per account or code.

    `vote_code` is the code or its id (as the session holds it); the database checks it. The rules (ballot type,
    budget, minimum and maximum, points) are those of `burgerbegroting` as given: they are fixed once voting opens.
    The phase is checked in the database, under the shared vote lock, in the statement that stores the ballot; the
    transaction holds only that lock and that statement (on SQLite it holds the database's write lock)."""
    bb = burgerbegroting
    if (voter is None) == (vote_code is None):
        raise ValueError("a ballot comes from an account or from a vote code")
    if bb.phase != Phase.VOTING:
        raise ValidationError(_("Voting is not open. Your ballot was not stored."), code="phase")
    if buurt is not None and not bb.covers(buurt):
        raise ValidationError(_("You can vote if you live in %(area)s.") % {"area": bb.area_name}, code="area")
    cleaned = clean_choices(bb, choices)
    params: dict[str, Any] = {
        "bb": bb.pk,
        "result": Phase.RESULT.value,
        "realisation": Phase.REALISATION.value,
        "buurt": buurt.pk if buurt is not None else None,
        "choices": Ballot._meta.get_field("choices").get_db_prep_save(cleaned, connection),
    }
    if voter is not None:
        sql, channel = UPSERT_BY_ACCOUNT, Ballot.Channel.ACCOUNT
        params["voter"] = voter.pk
    else:
        sql, channel = UPSERT_BY_CODE, Ballot.Channel.CODE
        params["vote_code"] = vote_code.pk if isinstance(vote_code, VoteCode) else vote_code
    params["channel"] = channel.value
    with transaction.atomic(), connection.cursor() as cursor:
        _hold_vote_lock_shared(bb)
        now = timezone.now()  # after the lock: a close that the ballot waited for is in the past
        params["now"] = Ballot._meta.get_field("cast_at").get_db_prep_save(now, connection)
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise _why_not_stored(bb, params.get("vote_code"))
    pk, changes = row
    return Ballot(
        pk=pk,
        burgerbegroting=bb,
        channel=channel,
        voter=voter,
        vote_code_id=params.get("vote_code"),
        buurt=buurt,
        choices=cleaned,
        cast_at=now,
        changes=changes,
    )


def _why_not_stored(bb: Burgerbegroting, vote_code_id: int | None) -> ValidationError:
    """Why the ballot statement stored nothing: the vote closed, or the code is unknown or was used on paper."""
    # an account's ballot is refused only when the vote is closed
    if vote_code_id is None or Burgerbegroting.objects.get(pk=bb.pk).phase != Phase.VOTING:
        return ValidationError(_("Voting is not open. Your ballot was not stored."), code="phase")
    if not VoteCode.objects.filter(pk=vote_code_id, burgerbegroting=bb).exists():
        return ValidationError(_("We do not know this code. Check the letter and try again."), code="unknown")
    # the code was used on paper (or its ballot is a paper ballot): the paper ballot counts
    return ValidationError(_("This code has already been used to vote on paper."), code="used")


class _Mismatch(Exception):
    pass


def enter_paper_ballot(
    *, burgerbegroting: Burgerbegroting, official: Any, number: str, choices: dict[str, Any], code: str = ""
) -> tuple[str, Ballot | None]:
    """Four eyes: the first official's entry waits; a second, different official enters the same paper ballot
    again and only when both agree is the ballot counted. Returns ("first" | "confirmed", ballot).

    A vote code printed on the paper ballot makes the paper ballot that code's ballot (replacing an online one) and
    the code cannot be used online any more."""
    try:
        return _enter_paper_ballot(bb=burgerbegroting, official=official, number=number, choices=choices, code=code)
    except _Mismatch:
        log(burgerbegroting, official, AuditEvent.Action.PAPER_MISMATCH, number=number.strip())
        raise ValidationError(
            _("This does not match the first entry. Look at the paper ballot again; nothing was counted."),
            code="mismatch",
        ) from None


@transaction.atomic
def _enter_paper_ballot(
    *, bb: Burgerbegroting, official: Any, number: str, choices: dict[str, Any], code: str
) -> tuple[str, Ballot | None]:
    bb = _lock_burgerbegroting_shared(bb)
    if bb.phase != Phase.VOTING:
        raise ValidationError(_("Voting is not open. Nothing was stored."), code="phase")
    number = number.strip()
    if not number:
        raise ValidationError(_("Give the number printed on the paper ballot."), code="number")
    cleaned = clean_choices(bb, choices)
    vote_code = find_code(burgerbegroting=bb, text=code) if code.strip() else None
    code_hash = vote_code.code_hash if vote_code else ""
    entry = PaperEntry.objects.select_for_update().filter(burgerbegroting=bb, number=number).first()
    if entry is None:
        try:
            with transaction.atomic():
                PaperEntry.objects.create(
                    burgerbegroting=bb, number=number, code_hash=code_hash, choices=cleaned, entered_by=official
                )
        except IntegrityError:
            raise ValidationError(
                _("Someone entered this paper ballot at the same moment. Try again."), code="race"
            ) from None
        log(bb, official, AuditEvent.Action.PAPER_ENTERED, number=number)
        return "first", None
    if entry.confirmed_by_id is not None:
        raise ValidationError(_("This paper ballot has already been entered and confirmed."), code="done")
    if entry.entered_by_id == official.pk:
        raise ValidationError(_("A second official must enter this paper ballot again."), code="same_official")
    if entry.choices != cleaned or entry.code_hash != code_hash:
        raise _Mismatch
    entry.confirmed_by, entry.confirmed_at = official, timezone.now()
    entry.save(update_fields=["confirmed_by", "confirmed_at"])
    if vote_code is not None:
        vote_code = VoteCode.objects.select_for_update().get(pk=vote_code.pk)
        vote_code.used_on_paper = True
        vote_code.save(update_fields=["used_on_paper"])
        ballot, _created = Ballot.objects.update_or_create(
            burgerbegroting=bb,
            vote_code=vote_code,
            defaults={
                "channel": Ballot.Channel.PAPER,
                "paper_number": number,
                "choices": cleaned,
                "cast_at": timezone.now(),
            },
        )
    else:
        ballot = Ballot.objects.create(
            burgerbegroting=bb, channel=Ballot.Channel.PAPER, paper_number=number, choices=cleaned
        )
    log(bb, official, AuditEvent.Action.PAPER_CONFIRMED, number=number)
    return "confirmed", ballot


# Realisation ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def update_realisation(
    *,
    plan: Plan,
    official: Any,
    status: str,
    amount_spent: int,
    text: str = "",
    photo: ContentFile[bytes] | None = None,
    photo_alt: str = "",
) -> Plan:
    plan = Plan.objects.select_for_update().select_related("burgerbegroting").get(pk=plan.pk)
    if plan.burgerbegroting.phase != Phase.REALISATION:
        raise ValidationError(_("Updates are given in the realisation phase."), code="phase")
    if amount_spent is None or amount_spent < 0:
        raise ValidationError(_("The amount spent cannot be negative."), code="amount")
    if status not in Plan.Realisation.values:
        raise ValidationError(_("Choose a status."), code="status")
    if photo is not None and not photo_alt.strip():
        raise ValidationError(_("Describe what the photo shows."), code="alt")
    plan.realisation, plan.amount_spent = status, amount_spent
    plan.save(update_fields=["realisation", "amount_spent", "updated_at"])
    if text.strip() or photo is not None:
        PlanUpdate.objects.create(
            plan=plan, text=text.strip(), photo=photo or "", photo_alt=photo_alt.strip(), author=official
        )
    return plan
