from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen030.organisations.models import Organisation
from samen030.places.models import Buurt

from .models import Account
from .money import parse_amount


class AmountField(forms.CharField):
    """An amount in euros written the Dutch way ('1.234,56'), cleaned to whole cents (int)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 14})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", _("In euros, for example 1.234,56."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int:
        text = super().clean(value)
        cents = parse_amount(text)
        if cents <= 0:
            raise ValidationError(_("The amount must be more than zero."), code="not_positive")
        return cents


class PaymentRequestForm(forms.Form):
    amount = AmountField(label=_("Amount"))
    description = forms.CharField(
        label=_("What is it for"),
        max_length=300,
        help_text=_("Shown on the public page. Never write the name of a private person here."),
    )
    project = forms.CharField(label=_("Project"), max_length=150, help_text=_("For example: Buurtfeest Lombok 2026."))
    organisation = forms.ModelChoiceField(
        label=_("Paid to organisation"), queryset=Organisation.objects.none(), required=False
    )
    payee_name = forms.CharField(
        label=_("Or paid to a private person"),
        max_length=150,
        required=False,
        help_text=_("Only the treasurers see this name; the public page says 'a private person'."),
    )
    buurt = forms.ModelChoiceField(label=_("Buurt"), queryset=Buurt.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.published().only("pk", "name")  # type: ignore[attr-defined]
        self.fields["buurt"].queryset = Buurt.objects.only("code", "name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if bool(cleaned.get("organisation")) == bool(cleaned.get("payee_name", "").strip()):
            raise ValidationError(_("Choose an organisation or write the name of one person, not both."))
        return cleaned


class IncomeForm(forms.Form):
    source = forms.ChoiceField(label=_("Where does the money come from"), choices=Account.Source.choices)
    amount = AmountField(label=_("Amount"))
    description = forms.CharField(
        label=_("Description"), max_length=300, help_text=_("Shown on the public page, for example: Subsidie 2026.")
    )
    booked_on = forms.DateField(
        label=_("Date received"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Format: 31-12-2026."),
    )


class CommitmentForm(forms.Form):
    project = forms.CharField(label=_("Project"), max_length=150, help_text=_("For example: Buurtfeest Lombok 2026."))
    amount = AmountField(label=_("Amount"))
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        help_text=_("Shown on the public page. Never write the name of a private person here."),
    )
    buurt = forms.ModelChoiceField(label=_("Buurt"), queryset=Buurt.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buurt"].queryset = Buurt.objects.only("code", "name")  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The other treasurers and the board read this in the audit log."),
    )
