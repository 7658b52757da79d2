from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samen030.activities.models import Activity
from samen030.activities.similar import similar_to_organisation
from samen030.core.page_cache import cached_for_visitors
from samen030.core.ratelimit import allow, client_ip
from samen030.memberships.models import Membership

from . import services
from .access import get_organisation
from .forms import ContactForm, InvitationForm, OrganisationForm
from .models import Invitation


@cached_for_visitors
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation(request, slug)
    membership = Membership.objects.current().filter(organisation=organisation).first()
    context = {
        "organisation": organisation,
        "membership": membership,
        "buurten": organisation.buurten.select_related("wijk"),
        "wijken": organisation.wijken.all(),
        "can_edit": request.user.has_perm("organisations.change_organisation", organisation),
        "can_add_activity": request.user.has_perm("activities.add_activity", organisation),
        "similar": similar_to_organisation(organisation) if organisation.is_published else [],
        "breadcrumbs": [(reverse("member-list"), _("Our members")), (None, organisation.name)],
    }
    return render(request, "organisations/organisation_detail.html", context)


# The contact form: messages per internet address (every attempt) and per sender (every message sent) in an hour.
CONTACT_WINDOW = 60 * 60
CONTACT_ATTEMPTS_PER_IP = 20
CONTACT_MESSAGES_PER_SENDER = 5


def organisation_contact(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the editors a message without learning their addresses; works without JavaScript or an account."""
    organisation = get_organisation(request, slug)
    about = (
        Activity.objects.public().of_organisation(organisation).filter(slug=request.GET.get("over", "")).first()
        if request.GET.get("over")
        else None
    )
    can_receive = organisation.is_published and bool(services.contact_recipients(organisation))
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST" and can_receive:
        if not allow("contact-ip", client_ip(request), limit=CONTACT_ATTEMPTS_PER_IP, window=CONTACT_WINDOW):
            form.is_valid()
            form.add_error(None, _("Too many messages were sent from your internet connection. Try again in an hour."))
            status = 429
        elif form.is_valid():
            sender = form.cleaned_data["email"]
            if not allow("contact-sender", sender, limit=CONTACT_MESSAGES_PER_SENDER, window=CONTACT_WINDOW):
                form.add_error(None, _("You have sent many messages in a short time. Try again in an hour."))
                status = 429
            else:
                services.send_contact_message(
                    organisation=organisation,
                    name=form.cleaned_data["name"],
                    email=sender,
                    message=form.cleaned_data["message"],
                    about=about,
                )
                messages.success(
                    request,
                    _("Your message has been sent to %(name)s. You will get a copy by email.")
                    % {"name": organisation.name},
                )
                return redirect(about or organisation)
        else:
            status = 400
    context = {
        "organisation": organisation,
        "about": about,
        "form": form,
        "can_receive": can_receive,
        "breadcrumbs": [
            (reverse("member-list"), _("Our members")),
            (organisation.get_absolute_url(), organisation.name),
            (None, _("Send a message")),
        ],
    }
    return render(request, "organisations/organisation_contact.html", context, status=status)


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation(request, slug, "organisations.change_organisation")
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.save_organisation(form=form)
        messages.success(request, _("The changes are saved."))
        return redirect(organisation)
    return render(request, "organisations/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def organisation_editors(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation(request, slug, "organisations.invite_editor")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_editor(organisation=organisation, email=form.cleaned_data["email"], invited_by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("The invitation has been sent."))
            return redirect("organisation-editors", slug=organisation.slug)
    context = {
        "organisation": organisation,
        "editors": organisation.editors.select_related("user").order_by("created_at"),
        "invitations": organisation.invitations.filter(accepted_at__isnull=True),
        "can_remove": request.user.has_perm("organisations.remove_editor", organisation),
        "form": form,
    }
    return render(request, "organisations/editor_list.html", context)


@require_POST
@login_required
def editor_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_organisation(request, slug, "organisations.remove_editor")
    editor = organisation.editors.filter(pk=pk).first()
    if editor is None:
        raise Http404
    services.remove_editor(editor=editor)
    messages.success(request, _("The editor has been removed."))
    return redirect("organisation-editors", slug=organisation.slug)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(token=token).first()
    if invitation is None:
        raise Http404
    if request.method == "POST":
        if not request.user.is_authenticated:
            raise PermissionDenied
        try:
            services.accept_invitation(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("You are now an editor of %(name)s.") % {"name": invitation.organisation.name})
            return redirect("organisation-edit", slug=invitation.organisation.slug)
    return render(request, "organisations/invitation_accept.html", {"invitation": invitation})
