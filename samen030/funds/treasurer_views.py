"""The board sets up a fund's treasurers and rules on the platform itself, outside the Django admin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from samen030.accounts.models import User

from . import services
from .access import get_fund
from .forms import FundSettingsForm, TreasurerForm
from .money import format_plain


@login_required
def treasurers_manage(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_fund(request, slug, "funds.manage_treasurers")
    action = request.POST.get("action", "")
    form = TreasurerForm(request.POST if action == "add" else None)
    settings_form = FundSettingsForm(
        request.POST if action == "settings" else None,
        initial={
            "four_eyes_threshold": format_plain(fund.four_eyes_threshold),
            "max_grant": format_plain(fund.max_grant),
            "decision_weeks": fund.decision_weeks,
        },
    )
    errors: list[str] = []
    if request.method == "POST":
        actor: User = request.user  # type: ignore[assignment]
        try:
            if action == "add":
                if form.is_valid():
                    user = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
                    if user is None:
                        raise ValidationError(_("Nobody has an account with this email address."))
                    services.add_treasurer(fund=fund, user=user, actor=actor)
                    messages.success(request, _("%(name)s is a treasurer now.") % {"name": user.name})
                    return redirect("treasurers-manage", slug=fund.slug)
            elif action == "remove":
                user = fund.treasurers.filter(pk=request.POST.get("user") or 0).first()
                if user is None:
                    raise Http404
                services.remove_treasurer(fund=fund, user=user, actor=actor)
                messages.success(request, _("%(name)s is no longer a treasurer.") % {"name": user.name})
                return redirect("treasurers-manage", slug=fund.slug)
            elif action == "settings":
                if settings_form.is_valid():
                    services.change_fund_settings(fund=fund, actor=actor, **settings_form.cleaned_data)
                    messages.success(request, _("The rules of the fund are saved."))
                    return redirect("treasurers-manage", slug=fund.slug)
            else:
                raise Http404
        except ValidationError as error:
            errors = error.messages
    context = {
        "fund": fund,
        "form": form,
        "settings_form": settings_form,
        "errors": errors,
        "treasurers": fund.treasurers.order_by("name"),
        "breadcrumbs": [
            (reverse("fund-list"), _("Neighbourhood funds")),
            (fund.get_absolute_url(), fund.name),
            (reverse("fund-manage", args=[fund.slug]), _("Treasurers")),
            (None, _("Treasurers and rules")),
        ],
    }
    status = 400 if errors or form.errors or settings_form.errors else 200
    return render(request, "funds/treasurers_manage.html", context, status=status)
