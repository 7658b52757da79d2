"""Changes to organisations and their editors."""

from __future__ import annotations

from email.utils import formataddr
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samen030.accounts.models import User
from samen030.activities.services import reindex_activities_of
from samen030.core.emails import send_notification
from samen030.places.models import Postcode

from .models import Editor, Invitation, Organisation


def locate(organisation: Organisation) -> None:
    """Derive the buurt of the visiting address from its postcode (None when unknown)."""
    organisation.visiting_buurt = Postcode.objects.buurt_for(organisation.postcode) if organisation.postcode else None


@transaction.atomic
def save_organisation(*, form: Any) -> Organisation:
    """Save a valid OrganisationForm: the fields, the derived buurt, and the logo."""
    organisation: Organisation = form.save(commit=False)
    renamed = organisation.pk is not None and "name" in form.changed_data
    if not organisation.slug:
        organisation.slug = Organisation.unique_slug(organisation.name)
    locate(organisation)
    if form.cleaned_data.get("remove_logo") and organisation.logo:
        organisation.logo.delete(save=False)
    if form.processed_logo is not None:
        if organisation.logo:
            organisation.logo.delete(save=False)
        organisation.logo.save(form.processed_logo.name, form.processed_logo, save=False)
    organisation.save()
    form.save_m2m()
    if renamed:
        reindex_activities_of(organisation=organisation)
    return organisation


@transaction.atomic
def invite_editor(*, organisation: Organisation, email: str, invited_by: User) -> Invitation:
    email = email.strip().lower()
    if organisation.editors.filter(user__email__iexact=email).exists():
        raise ValidationError(_("This person is already an editor of the organisation."))
    invitation = Invitation.objects.create(organisation=organisation, email=email, invited_by=invited_by)
    transaction.on_commit(
        lambda: send_notification(
            [email], "organisations/email/invitation", {"invitation": invitation, "organisation": organisation}
        )
    )
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Editor:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation is no longer valid. Ask for a new one."))
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    editor, _created = Editor.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"invited_by": invitation.invited_by}
    )
    return editor


@transaction.atomic
def remove_editor(*, editor: Editor) -> None:
    editor.delete()


def contact_recipients(organisation: Organisation) -> list[Any]:
    """Who reads messages sent through the contact form: the editors, or else the organisation's public address."""
    editors = organisation.editor_users()
    return editors or ([organisation.email] if organisation.email else [])


def send_contact_message(
    *, organisation: Organisation, name: str, email: str, message: str, about: Any | None = None
) -> int:
    """Email a visitor's message to the organisation's editors, one email each, with the visitor as reply-to; the
    visitor gets a copy that names no editor. Nothing is stored. Returns the number of editors reached."""
    recipients = contact_recipients(organisation)
    context = {"organisation": organisation, "sender_name": name, "sender_email": email, "message": message}
    context["about"] = about
    sent = send_notification(recipients, "organisations/email/contact", context, reply_to=[formataddr((name, email))])
    if sent:
        send_notification([email], "organisations/email/contact_copy", context)
    return sent
