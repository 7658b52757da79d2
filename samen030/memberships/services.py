"""Every change to an application or a membership goes through one of these functions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samen030.accounts.models import User
from samen030.core.emails import send_notification
from samen030.organisations.models import Editor, Organisation

from .models import Application, ApplicationEvent, Membership, MembershipType


def _applicants(application: Application) -> list[Any]:
    people = application.organisation.editor_users()
    if application.submitted_by and application.submitted_by not in people:
        people.append(application.submitted_by)
    return people


def _board() -> list[Any]:
    members: list[Any] = list(User.objects.filter(is_board=True, is_active=True))
    return members or [settings.BOARD_EMAIL]


def _lock(application: Application) -> Application:
    """Re-read the application under a row lock so two decisions cannot cross."""
    return Application.objects.select_for_update().select_related("organisation").get(pk=application.pk)


@transaction.atomic
def submit_application(
    *, organisation: Organisation, user: User, requested_type: str, answers: dict[str, str]
) -> Application:
    """Apply for membership for a saved organisation; the applicant becomes one of its editors."""
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.applications.filter(status__in=Application.OPEN_STATUSES).exists():
        raise ValidationError(_("This organisation already has an application that the board is looking at."))
    if Membership.objects.current().filter(organisation=organisation).exists():
        raise ValidationError(_("This organisation is already a member."))
    Editor.objects.get_or_create(organisation=organisation, user=user)
    application = Application.objects.create(
        organisation=organisation, requested_type=requested_type, submitted_by=user, **answers
    )
    ApplicationEvent.objects.create(application=application, action=ApplicationEvent.Action.SUBMITTED, actor=user)
    transaction.on_commit(lambda: _notify(application, "submitted"))
    return application


@transaction.atomic
def request_information(*, application: Application, board_member: User, question: str) -> Application:
    application = _lock(application)
    if not application.is_open:
        raise ValidationError(_("This application has already been decided."))
    application.status = Application.Status.INFO_REQUESTED
    application.save(update_fields=["status"])
    ApplicationEvent.objects.create(
        application=application, action=ApplicationEvent.Action.INFO_REQUESTED, actor=board_member, note=question
    )
    transaction.on_commit(lambda: _notify(application, "info_requested", note=question))
    return application


@transaction.atomic
def supply_information(*, application: Application, user: User, message: str, answers: dict[str, str]) -> Application:
    application = _lock(application)
    if application.status != Application.Status.INFO_REQUESTED:
        raise ValidationError(_("The board has not asked for more information."))
    for field, value in answers.items():
        setattr(application, field, value)
    application.status = Application.Status.SUBMITTED
    application.save()
    ApplicationEvent.objects.create(
        application=application, action=ApplicationEvent.Action.INFO_SUPPLIED, actor=user, note=message
    )
    transaction.on_commit(lambda: _notify_board(application, "info_supplied", note=message))
    return application


@transaction.atomic
def admit_application(
    *, application: Application, board_member: User, membership_type: str, reason: str = "", start: date | None = None
) -> Membership:
    """Admit the organisation as stemlid or steunlid (the board may admit as another type than asked)."""
    application = _lock(application)
    if not application.is_open:
        raise ValidationError(_("This application has already been decided."))
    if membership_type not in MembershipType.values:
        raise ValidationError(_("Choose stemlid or steunlid."))
    now = timezone.now()
    application.status = Application.Status.ADMITTED
    application.decided_at, application.decided_by, application.decision_reason = now, board_member, reason
    application.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    membership = Membership.objects.create(
        organisation=application.organisation,
        type=membership_type,
        start_date=start or timezone.localdate(),
        application=application,
    )
    organisation = application.organisation
    if not organisation.is_published:
        organisation.is_published = True
        organisation.save(update_fields=["is_published"])
    ApplicationEvent.objects.create(
        application=application, action=ApplicationEvent.Action.ADMITTED, actor=board_member, note=reason
    )
    transaction.on_commit(lambda: _notify(application, "admitted", membership=membership, note=reason))
    return membership


@transaction.atomic
def refuse_application(*, application: Application, board_member: User, reason: str) -> Application:
    if not reason.strip():
        raise ValidationError(_("Give the reason for refusing; the applicant will read it."))
    application = _lock(application)
    if not application.is_open:
        raise ValidationError(_("This application has already been decided."))
    application.status = Application.Status.REFUSED
    application.decided_at, application.decided_by, application.decision_reason = timezone.now(), board_member, reason
    application.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    ApplicationEvent.objects.create(
        application=application, action=ApplicationEvent.Action.REFUSED, actor=board_member, note=reason
    )
    transaction.on_commit(lambda: _notify(application, "refused", note=reason))
    return application


@transaction.atomic
def withdraw_application(*, application: Application, user: User) -> Application:
    application = _lock(application)
    if not application.is_open:
        raise ValidationError(_("This application has already been decided."))
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status"])
    ApplicationEvent.objects.create(application=application, action=ApplicationEvent.Action.WITHDRAWN, actor=user)
    return application


@transaction.atomic
def end_membership(*, membership: Membership, board_member: User, end_date: date, reason: str) -> Membership:
    """Terminate a membership (opzegging, ontzetting or on request) from a given date; the record stays."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.end_date is not None:
        raise ValidationError(_("This membership has already ended."))
    if end_date < membership.start_date:
        raise ValidationError(_("A membership cannot end before it started."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for ending the membership; it is kept in the register."))
    membership.end_date, membership.end_reason, membership.ended_by = end_date, reason, board_member
    membership.save(update_fields=["end_date", "end_reason", "ended_by"])
    organisation = membership.organisation
    transaction.on_commit(
        lambda: send_notification(
            organisation.editor_users(),
            "memberships/email/ended",
            {"membership": membership, "organisation": organisation},
        )
    )
    return membership


def _notify(application: Application, event: str, **extra: Any) -> None:
    context = {"application": application, "organisation": application.organisation, **extra}
    send_notification(_applicants(application), f"memberships/email/{event}", context)
    if event == "submitted":
        send_notification(_board(), "memberships/email/board_new", context)


def _notify_board(application: Application, event: str, **extra: Any) -> None:
    context = {"application": application, "organisation": application.organisation, **extra}
    send_notification(_board(), f"memberships/email/board_{event}", context)
