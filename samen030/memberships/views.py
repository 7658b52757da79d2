from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samen030.core.csvfiles import CsvWriter
from samen030.core.page_cache import cached_for_visitors
from samen030.organisations import services as organisation_services
from samen030.organisations.access import get_organisation
from samen030.organisations.forms import OrganisationForm
from samen030.places.models import Buurt, Wijk

from . import services
from .access import get_application
from .forms import ApplicationForm, DecisionForm, EndMembershipForm, MemberFilterForm, SupplyInformationForm
from .models import CRITERIA, Application, Membership
from .queries import member_organisations

MEMBERS_PER_PAGE = 24


@cached_for_visitors
def member_list(request: HttpRequest) -> HttpResponse:
    """The public overview of our members, with filters that live in the URL so every view can be shared."""
    form = MemberFilterForm(request.GET or None)
    valid = form.is_bound and form.is_valid()
    members = member_organisations(of_type=form.cleaned_data["type"] if valid else "")
    if valid:
        data = form.cleaned_data
        if data["q"]:
            members = members.search(data["q"])
        if data["wijk"]:
            members = members.active_in_wijk(Wijk(code=data["wijk"]))
        if data["buurt"]:
            buurt = Buurt.objects.only("code", "wijk_id").get(code=data["buurt"])
            members = members.active_in_buurt(buurt)
        if data["kind"]:
            members = members.filter(kind=data["kind"])
    elif form.is_bound:
        members = members.none()
    members = members.order_by("name").prefetch_related("buurten", "wijken")
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "members": page.object_list,
        "querystring_without_page": f"{query.urlencode()}&" if query else "",
        "is_filtered": bool(query),
        "breadcrumbs": [(None, _("Our members"))],
    }
    return render(request, "memberships/member_list.html", context)


def membership_apply(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Apply for membership: for a new organisation, or (with a slug) for one you already edit."""
    organisation = get_organisation(request, slug, "organisations.change_organisation") if slug else None
    if not request.user.is_authenticated:
        return render(request, "memberships/apply_intro.html", {"criteria": CRITERIA})
    if not request.user.has_perm("memberships.add_application"):
        raise PermissionDenied
    if organisation is not None and (
        organisation.applications.filter(status__in=Application.OPEN_STATUSES).exists()
        or Membership.objects.current().filter(organisation=organisation).exists()
    ):
        messages.info(request, _("This organisation is already a member or has an open application."))
        return redirect(organisation)

    post = request.POST if request.method == "POST" else None
    organisation_form = None if organisation else OrganisationForm(post, request.FILES or None, prefix="org")
    application_form = ApplicationForm(post, prefix="app")
    forms_valid = application_form.is_valid() & (organisation_form is None or organisation_form.is_valid())
    if post is not None and forms_valid:
        answers = {field: application_form.cleaned_data[field] for field, _label in CRITERIA}
        try:
            with transaction.atomic():
                applicant_organisation = (
                    organisation_services.save_organisation(form=organisation_form)
                    if organisation_form is not None
                    else organisation
                )
                application = services.submit_application(
                    organisation=applicant_organisation,  # type: ignore[arg-type]
                    user=request.user,
                    requested_type=application_form.cleaned_data["requested_type"],
                    answers=answers,
                )
        except ValidationError as error:
            application_form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you! We received your application. You will get an email when there is news.")
            )
            return redirect(application)
    context = {"organisation": organisation, "organisation_form": organisation_form, "form": application_form}
    return render(request, "memberships/apply_form.html", context)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    form = None
    if request.user.has_perm("memberships.supply_information", application):
        form = SupplyInformationForm(request.POST or None, instance=application)
        if request.method == "POST" and form.is_valid():
            answers = {field: form.cleaned_data[field] for field, _label in CRITERIA}
            try:
                services.supply_information(
                    application=Application.objects.get(pk=application.pk),
                    user=request.user,  # type: ignore[arg-type]
                    message=form.cleaned_data["message"],
                    answers=answers,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you. The board will look at your application again."))
                return redirect(application)
    context = {
        "application": application,
        "events": application.events.select_related("actor"),
        "form": form,
        "can_withdraw": request.user.has_perm("memberships.withdraw_application", application),
    }
    return render(request, "memberships/application_detail.html", context)


@require_POST
@login_required
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk, "memberships.withdraw_application")
    services.withdraw_application(application=application, user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Your application has been withdrawn."))
    return redirect(application)


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not request.user.has_perm(permission):
        raise PermissionDenied


@login_required
def board_home(request: HttpRequest) -> HttpResponse:
    _require(request, "memberships.view_register")
    open_applications = Application.objects.filter(status__in=Application.OPEN_STATUSES).select_related("organisation")
    recent = Application.objects.exclude(status__in=Application.OPEN_STATUSES).select_related("organisation")[:10]
    return render(request, "memberships/board_home.html", {"open_applications": open_applications, "recent": recent})


@login_required
def board_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    if not (request.user.has_perm("memberships.view_register")):
        raise PermissionDenied
    can_decide = request.user.has_perm("memberships.decide_application", application)
    form = DecisionForm(request.POST or None) if can_decide else None
    if form is not None and request.method == "POST" and form.is_valid():
        decision, message = form.cleaned_data["decision"], form.cleaned_data["message"].strip()
        board_member: Any = request.user
        try:
            if decision == DecisionForm.Decision.ASK:
                services.request_information(application=application, board_member=board_member, question=message)
                messages.success(request, _("Your question has been sent to the applicant."))
            elif decision == DecisionForm.Decision.REFUSE:
                services.refuse_application(application=application, board_member=board_member, reason=message)
                messages.success(request, _("The application has been refused. The applicant gets an email."))
            else:
                membership_type = "stemlid" if decision == DecisionForm.Decision.ADMIT_STEMLID else "steunlid"
                services.admit_application(
                    application=application, board_member=board_member, membership_type=membership_type, reason=message
                )
                messages.success(request, _("The organisation is admitted. The applicant gets an email."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("board-application", pk=application.pk)
    context = {
        "application": application,
        "events": application.events.select_related("actor"),
        "form": form,
        "other_memberships": Membership.objects.filter(organisation=application.organisation),
    }
    return render(request, "memberships/board_application.html", context)


@login_required
def board_register(request: HttpRequest) -> HttpResponse:
    """The register of members (BW 2:33): every membership period, current and ended, with the address."""
    _require(request, "memberships.view_register")
    memberships = Membership.objects.select_related("organisation", "organisation__visiting_buurt").order_by(
        "organisation__name", "-start_date"
    )
    status = request.GET.get("status", "")
    today = timezone.localdate()
    if status == "current":
        memberships = memberships.current()
    elif status == "ended":
        memberships = memberships.filter(end_date__isnull=False, end_date__lte=today)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ledenregister-{today:%Y-%m-%d}.csv"'
        writer = CsvWriter(  # every column is text: defused against formulas (samen030/core/csvfiles.py)
            response,
            [
                "naam",
                "soort lid",
                "lid sinds",
                "lid tot",
                "reden einde",
                "rechtsvorm",
                "kvk",
                "adres",
                "postcode",
                "plaats",
            ],
        )
        for membership in memberships:
            organisation = membership.organisation
            writer.writerow(
                [
                    organisation.name,
                    membership.type,
                    membership.start_date.isoformat(),
                    membership.end_date.isoformat() if membership.end_date else "",
                    membership.end_reason,
                    organisation.legal_form,
                    organisation.kvk_number,
                    f"{organisation.street} {organisation.house_number}".strip(),
                    organisation.formatted_postcode,
                    organisation.place,
                ]
            )
        return response
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "memberships/board_register.html",
        {
            "page_obj": page,
            "memberships": page.object_list,
            "status": status,
            "today": today,
            "querystring_without_page": f"{query.urlencode()}&" if query else "",
        },
    )


@login_required
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "memberships.end_membership")
    membership = Membership.objects.select_related("organisation").filter(pk=pk).first()
    if membership is None:
        raise Http404
    form = EndMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_membership(
                membership=membership,
                board_member=request.user,  # type: ignore[arg-type]
                end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The membership has been ended. It stays in the register."))
            return redirect("board-register")
    return render(request, "memberships/membership_end.html", {"membership": membership, "form": form})
