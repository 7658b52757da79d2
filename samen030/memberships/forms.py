from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CRITERIA, Application, MembershipType

CRITERIA_HELP = {
    "criterion_located": _("Where is your organisation based, and where in Utrecht do you work?"),
    "criterion_residents": _("With which residents or volunteers do you work, and how?"),
    "criterion_governance": _(
        "How do active residents and/or neighbourhood entrepreneurs decide in your organisation?"
    ),
    "criterion_transparency": _("How do you share what you do and decide, and how do you make sure everyone can join?"),
    "criterion_commercial": _(
        "Do you sell services or products? How does that serve your social purpose? If not, say so."
    ),
}


class CriteriaForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Application
        fields = [field for field, _label in CRITERIA]
        widgets = {field: forms.Textarea(attrs={"rows": 3}) for field, _label in CRITERIA}
        help_texts = CRITERIA_HELP


class ApplicationForm(CriteriaForm):
    requested_type = forms.ChoiceField(
        label=_("Which membership do you apply for?"),
        choices=[
            (MembershipType.STEMLID, _("Stemlid: voting member and co-owner, with a vote in the general assembly")),
            (MembershipType.STEUNLID, _("Steunlid: supporting member, without a vote")),
        ],
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("I may apply on behalf of this organisation, and what I wrote is true."), required=True
    )

    class Meta(CriteriaForm.Meta):
        fields = ["requested_type", *CriteriaForm.Meta.fields]


class SupplyInformationForm(CriteriaForm):
    message = forms.CharField(
        label=_("Your answer to the board"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )


class DecisionForm(forms.Form):
    class Decision:
        ADMIT_STEMLID = "admit_stemlid"
        ADMIT_STEUNLID = "admit_steunlid"
        ASK = "ask"
        REFUSE = "refuse"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.ADMIT_STEMLID, _("Admit as stemlid")),
            (Decision.ADMIT_STEUNLID, _("Admit as steunlid")),
            (Decision.ASK, _("Ask for more information")),
            (Decision.REFUSE, _("Refuse")),
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        help_text=_("Needed when you ask for information or refuse: the applicant reads this."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=3000,
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if (
            cleaned.get("decision") in (self.Decision.ASK, self.Decision.REFUSE)
            and not cleaned.get("message", "").strip()
        ):
            self.add_error("message", _("Write a message: the applicant needs to know what you ask or why."))
        return cleaned


class EndMembershipForm(forms.Form):
    end_date = forms.DateField(
        label=_("Last day of membership plus one (end date)"),
        help_text=_("From this date the organisation is no longer a member. Format: 31-12-2026."),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("For example: cancelled by the member, or decision of the board. It is kept in the register."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class MemberFilterForm(forms.Form):
    all_optional = True  # every filter may stay empty, so the form does not mark each one "(optional)"
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    wijk = forms.ChoiceField(label=_("Wijk"), required=False)
    buurt = forms.ChoiceField(label=_("Buurt"), required=False)
    kind = forms.ChoiceField(label=_("Kind of organisation"), required=False)
    type = forms.ChoiceField(label=_("Membership"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from samen030.organisations.forms import buurt_choices
        from samen030.organisations.models import Organisation
        from samen030.places.models import Wijk

        super().__init__(*args, **kwargs)
        everything = ("", _("All"))
        choices: dict[str, list[Any]] = {
            "wijk": [everything, *Wijk.objects.values_list("code", "name")],
            "buurt": [everything, *buurt_choices()],
            "kind": [everything, *Organisation.Kind.choices],
            "type": [everything, *MembershipType.choices],
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = options
