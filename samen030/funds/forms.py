from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen030.organisations.models import Organisation
from samen030.places.models import Buurt

from .models import Account, SpendingLine, SupportStatement
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
    budget_line = forms.ModelChoiceField(
        label=_("Budget line"),
        queryset=Account.objects.none(),
        required=False,
        help_text=_("Which spending line of this year's budget the payment counts against."),
    )

    def __init__(self, *args: Any, fund: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.published().only("pk", "name")  # type: ignore[attr-defined]
        self.fields["buurt"].queryset = Buurt.objects.only("code", "name")  # type: ignore[attr-defined]
        self.fields["budget_line"].queryset = spending_lines(fund)  # type: ignore[attr-defined]

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


class CommitmentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        from .money import format_amount

        where = f" ({obj.buurt.name})" if obj.buurt else ""
        return _("%(project)s%(where)s: %(amount)s still committed") % {
            "project": obj.project,
            "where": where,
            "amount": format_amount(obj.balance),
        }


class ReleaseCommitmentForm(forms.Form):
    commitment = CommitmentChoiceField(label=_("Commitment"), queryset=Account.objects.none())
    amount = AmountField(
        label=_("Amount to release"),
        help_text=_("In euros, for example 1.234,56. At most what is still committed."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the project needs less. The other treasurers and the board read this in the audit log."),
    )

    def __init__(self, *args: Any, fund: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .services import releasable_commitments

        queryset = releasable_commitments(fund).select_related("buurt") if fund is not None else Account.objects.none()
        self.fields["commitment"].queryset = queryset  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The other treasurers and the board read this in the audit log."),
    )


# Grants ------------------------------------------------------------------------------------------------------------

STANCES = {
    "voor": SupportStatement.Stance.FOR,
    "for": SupportStatement.Stance.FOR,
    "tegen": SupportStatement.Stance.AGAINST,
    "against": SupportStatement.Stance.AGAINST,
    "geen mening": SupportStatement.Stance.NEUTRAL,
    "no opinion": SupportStatement.Stance.NEUTRAL,
}


def _lines(text: str) -> list[tuple[int, list[str]]]:
    """Non-empty lines split on semicolons, with their line numbers."""
    return [
        (number, [part.strip() for part in line.split(";")])
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def _line_error(number: int, error: Any) -> ValidationError:
    message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return ValidationError(_("Line %(number)s: %(message)s") % {"number": number, "message": message})


def parse_budget_lines(text: str) -> list[tuple[str, int]]:
    """'Huur zaal; 250,00' per line → [(description, cents)]."""
    rows = []
    for number, parts in _lines(text):
        if len(parts) != 2 or not parts[0]:
            raise _line_error(number, _("write a description, a semicolon and an amount, for example: Huur zaal; 250"))
        try:
            cents = parse_amount(parts[1])
        except ValidationError as error:
            raise _line_error(number, error) from error
        if cents <= 0:
            raise _line_error(number, _("the amount must be more than zero"))
        rows.append((parts[0][:200], cents))
    return rows


def parse_support(text: str) -> list[tuple[str, str]]:
    """'Fatima; voor' per line → [(name, stance)]."""
    rows = []
    for number, parts in _lines(text):
        stance = STANCES.get(parts[-1].casefold()) if len(parts) == 2 else None
        if stance is None or not parts[0]:
            raise _line_error(number, _("write a name, a semicolon and voor, tegen or geen mening"))
        rows.append((parts[0], str(stance)))
    return rows


class GrantApplicationForm(forms.Form):
    title = forms.CharField(label=_("Name of the initiative"), max_length=150)
    plan = forms.CharField(
        label=_("Plan"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What do you want to do, for whom, and why is it good for the buurt? Published once the committee "
            "has decided."
        ),
    )
    organisation = forms.ModelChoiceField(
        label=_("On behalf of organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Leave empty when you apply as a resident."),
    )
    buurt = forms.ModelChoiceField(label=_("Buurt"), queryset=Buurt.objects.none(), required=False)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Format: 31-12-2026.")
    )
    ends_on = forms.DateField(
        label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Format: 31-12-2026.")
    )
    expenses = forms.CharField(
        label=_("Expenses"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One line per cost: what, a semicolon, the amount. For example: Huur zaal; 250,00"),
    )
    income = forms.CharField(
        label=_("Other income"),
        max_length=6000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Money from others or from tickets, one line each. For example: Entree; 100"),
    )
    amount_requested = AmountField(label=_("Amount you ask for"))
    own_contribution = forms.CharField(
        label=_("Own contribution"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Time, money, materials or other funders: what you and others put in yourselves."),
    )
    own_contribution_value = forms.CharField(
        label=_("Value of the own contribution"),
        max_length=30,
        required=False,
        help_text=_("An estimate in euros, for example 500. Leave empty if you cannot say."),
    )
    support = forms.CharField(
        label=_("Support list"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One person per line: name, a semicolon and voor, tegen or geen mening. Also list people who are "
            "against. Only the committee sees the names; they are erased after the decision."
        ),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(editors__user=user) if user else Organisation.objects.none()
        self.fields["organisation"].queryset = organisations.only("pk", "name")  # type: ignore[attr-defined]
        self.fields["buurt"].queryset = Buurt.objects.only("code", "name")  # type: ignore[attr-defined]

    def clean_expenses(self) -> list[tuple[str, int]]:
        return parse_budget_lines(self.cleaned_data["expenses"])

    def clean_income(self) -> list[tuple[str, int]]:
        return parse_budget_lines(self.cleaned_data.get("income") or "")

    def clean_support(self) -> list[tuple[str, str]]:
        return parse_support(self.cleaned_data["support"])

    def clean_own_contribution_value(self) -> int:
        text = self.cleaned_data.get("own_contribution_value") or ""
        return parse_amount(text) if text.strip() else 0


class VoteForm(forms.Form):
    in_favour = forms.TypedChoiceField(
        label=_("Your vote"),
        choices=[("ja", _("For: grant it")), ("nee", _("Against: do not grant it"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )


class ConflictForm(forms.Form):
    conflict_reason = forms.CharField(
        label=_("What is the conflict of interest"),
        max_length=300,
        help_text=_("For example: I am on the board of the applying organisation. You cannot vote after this."),
    )


class DecisionForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons of the committee"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Published on the fund's page with the decision. Do not write names of private persons."),
    )
    amount_granted = forms.CharField(
        label=_("Amount granted"),
        max_length=30,
        required=False,
        help_text=_("Only when the committee grants less than was asked for. In euros, for example 1.000,00."),
    )

    def clean_amount_granted(self) -> int | None:
        text = self.cleaned_data.get("amount_granted") or ""
        return parse_amount(text) if text.strip() else None


class AgreementForm(forms.Form):
    tranches = forms.CharField(
        label=_("Tranches"),
        max_length=300,
        help_text=_("The amounts in euros, separated by semicolons, for example: 700; 300. They add up to the grant."),
    )
    budget_line = forms.ModelChoiceField(
        label=_("Budget line"),
        queryset=Account.objects.none(),
        required=False,
        help_text=_("Which spending line of this year's budget the grant counts against."),
    )

    def __init__(self, *args: Any, fund: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = spending_lines(fund)  # type: ignore[attr-defined]

    def clean_tranches(self) -> list[int]:
        amounts = []
        for part in self.cleaned_data["tranches"].split(";"):
            if part.strip():
                amounts.append(parse_amount(part))
        if not amounts:
            raise ValidationError(_("Enter at least one amount."))
        return amounts


class CommitteeMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the resident"), help_text=_("They must have an account on the platform.")
    )
    buurt = forms.ModelChoiceField(label=_("Lives in buurt"), queryset=Buurt.objects.none())

    def __init__(self, *args: Any, fund: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        buurten = Buurt.objects.only("code", "name")
        if fund is not None and fund.buurt_id:
            buurten = buurten.filter(pk=fund.buurt_id)
        elif fund is not None and fund.wijk_id:
            buurten = buurten.filter(wijk_id=fund.wijk_id)
        self.fields["buurt"].queryset = buurten  # type: ignore[attr-defined]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


SPENDING_KINDS = {
    "leverancier": SpendingLine.Kind.SUPPLIER,
    "supplier": SpendingLine.Kind.SUPPLIER,
    "loon": SpendingLine.Kind.WAGES,
    "wages": SpendingLine.Kind.WAGES,
    "vrijwilliger": SpendingLine.Kind.ALLOWANCE,
    "volunteer": SpendingLine.Kind.ALLOWANCE,
}
YES_NO = {"ja": True, "yes": True, "nee": False, "no": False}


def parse_spending(text: str) -> list[Any]:
    """One spending line per row, separated by semicolons:
    leverancier; date; what; amount; supplier; postcode   or   loon|vrijwilliger; date; what; amount; ja|nee."""
    from .grants import Spending

    rows = []
    for number, parts in _lines(text):
        kind = SPENDING_KINDS.get(parts[0].casefold())
        expected = 6 if kind == SpendingLine.Kind.SUPPLIER else 5
        if kind is None or len(parts) != expected:
            raise _line_error(
                number,
                _(
                    "write leverancier; date; what; amount; supplier; postcode — or loon or vrijwilliger; date; "
                    "what; amount; ja or nee (lives in Utrecht)"
                ),
            )
        try:
            spent_on = forms.DateField(input_formats=["%d-%m-%Y", "%Y-%m-%d"]).clean(parts[1])
            amount = parse_amount(parts[3])
        except ValidationError as error:
            raise _line_error(number, error) from error
        if amount <= 0 or not parts[2]:
            raise _line_error(number, _("say what it was for and give an amount above zero"))
        if kind == SpendingLine.Kind.SUPPLIER:
            if not parts[4]:
                raise _line_error(number, _("name the supplier"))
            rows.append(Spending(kind, spent_on, parts[2][:200], amount, supplier=parts[4][:150], postcode=parts[5]))
        else:
            local = YES_NO.get(parts[4].casefold())
            if local is None:
                raise _line_error(number, _("end with ja or nee: does the person live in Utrecht?"))
            rows.append(Spending(kind, spent_on, parts[2][:200], amount, lives_locally=local))
    if not rows:
        raise ValidationError(_("List what the money was spent on."))
    return rows


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("What was done"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Tell what happened and who took part. Published on the fund's page."),
    )
    spending = forms.CharField(
        label=_("What the money was spent on"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One line per cost. A supplier: leverancier; 12-03-2026; Verf; 120,50; Bouwmarkt Lombok; 3531 AB. "
            "Wages or a volunteer allowance: loon; 12-03-2026; Kok; 300; ja (ja when the person lives in Utrecht)."
        ),
    )
    receipts = MultipleFileField(
        label=_("Receipts"), help_text=_("PDF, JPEG or PNG files of at most 5 MB each. You can choose several.")
    )

    def clean_spending(self) -> list[Any]:
        return parse_spending(self.cleaned_data["spending"])


class PaymentReceiptForm(forms.Form):
    receipts = MultipleFileField(
        label=_("Receipts"), help_text=_("PDF, JPEG or PNG files of at most 5 MB each. You can choose several.")
    )


# Budgets -----------------------------------------------------------------------------------------------------------


def spending_lines(fund: Any, year: int | None = None) -> Any:
    from .models import BudgetLine

    lines = BudgetLine.objects.filter(fund=fund, kind=BudgetLine.Kind.EXPENSE)
    return lines.filter(year=year or timezone.localdate().year)


class BudgetLineForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the line"),
        max_length=150,
        help_text=_("For example: Bewonersinitiatieven, Groen, or Subsidie gemeente. The same name changes that line."),
    )
    kind = forms.ChoiceField(
        label=_("Income or spending"),
        choices=[("uitgaven", _("spending")), ("inkomsten", _("income"))],
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(
        label=_("Source of income"),
        choices=[("", _("– not income –")), *Account.Source.choices],
        required=False,
        help_text=_("Only for income: the gemeente, charitable funds, member contributions or pledges."),
    )
    planned = forms.CharField(label=_("Budgeted amount"), max_length=30, help_text=_("In euros, for example 12.000."))

    def clean_planned(self) -> int:
        return parse_amount(self.cleaned_data["planned"])


class CloseYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year to close"), min_value=2000, max_value=2100)


class StatementForm(forms.Form):
    statement = forms.FileField(
        label=_("Bank statement"),
        help_text=_(
            "A CAMT.053 file (XML) or a CSV export from Rabobank or ING, at most 5 MB. Nothing is booked if the file "
            "cannot be read."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.csv,text/xml,application/xml,text/csv"}),
    )


class IncomeSourceForm(forms.Form):
    source = forms.ChoiceField(label=_("Where does the money come from"), choices=Account.Source.choices)


class RespendSurveyForm(forms.Form):
    percent = forms.IntegerField(
        label=_("Percentage spent again in Utrecht"),
        min_value=0,
        max_value=100,
        help_text=_("A whole number from 0 to 100. An estimate is fine."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 4}),
    )


class TreasurerForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the new treasurer"), help_text=_("They must have an account on the platform.")
    )


class FundSettingsForm(forms.Form):
    four_eyes_threshold = AmountField(
        label=_("Four-eyes threshold"),
        help_text=_("Payments above this amount need two other treasurers to approve. In euros, for example 1.000."),
    )
    max_grant = AmountField(label=_("Maximum grant per initiative"), help_text=_("In euros, for example 20.000."))
    decision_weeks = forms.IntegerField(
        label=_("Decision period in weeks"), min_value=1, max_value=26, help_text=_("Usually 4.")
    )
