from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from samen030.core.images import ImageRule
from samen030.organisations.models import Organisation
from samen030.places.models import Buurt, Postcode
from samen030.places.postcodes import normalise_postcode

from .models import START_FIELDS, Burgerbegroting, Phase, Plan, phase_index

PHOTO = ImageRule(  # plan images and realisation photos
    formats=frozenset({"PNG", "JPEG", "WEBP"}),
    max_side=1600,
    output="JPEG",
    refusal=_("This file is not an image we can read. Upload a PNG, JPEG or WebP image."),
)


class EuroField(forms.IntegerField):
    """Whole euros, more than zero."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 100_000_000)
        kwargs.setdefault("error_messages", {"min_value": _("Give an amount of at least 1 euro.")})
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "size": 10})


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("What is the plan?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        help_text=_("Who is it for, what will you do and why? You can use Markdown: **bold**, lists and links."),
    )
    cost = EuroField(label=_("Estimated cost in euros"), help_text=_("Whole euros, for example 2500."))
    location = forms.CharField(label=_("Where"), max_length=200, required=False, help_text=_("A street or a place."))
    buurt = forms.ModelChoiceField(label=_("Buurt"), queryset=Buurt.objects.none(), required=False)
    organisation = forms.ModelChoiceField(
        label=_("On behalf of an organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Leave empty to submit the plan as a resident."),
    )
    image = forms.FileField(
        label=_("Image (optional)"), required=False, help_text=_("PNG, JPEG or WebP, at most 5 MB.")
    )
    image_alt = forms.CharField(label=_("What the image shows"), max_length=200, required=False)

    def __init__(self, *args: Any, burgerbegroting: Burgerbegroting, user: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["buurt"].queryset = burgerbegroting.area_buurten().only("code", "name")  # type: ignore[attr-defined]
        if editing or not user.is_authenticated:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                editors__user=user
            ).only("pk", "name")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("image") and not cleaned.get("image_alt", "").strip():
            self.add_error("image_alt", _("Describe what the image shows, for people who cannot see it."))
        return cleaned


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class CheckForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Feasible: on the ballot")), ("0", _("Not feasible"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Public reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Everyone can read this."),
    )
    cost_estimate = EuroField(label=_("Cost estimate in euros"), required=False)


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Plan.objects.none())

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = plan.burgerbegroting.plans.filter(  # type: ignore[attr-defined]
            status=Plan.Status.SUBMITTED
        ).exclude(pk=plan.pk)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your vote code"),
        max_length=40,
        help_text=_("It is in the letter, for example K7QXM-2HDRT-9WPAE."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class CodeBatchForm(forms.Form):
    count = forms.IntegerField(label=_("Number of codes"), min_value=1, max_value=20_000)
    note = forms.CharField(
        label=_("Note"), max_length=200, required=False, help_text=_("For example: buurt Lombok, first post.")
    )


def _age_label_text(bb: Burgerbegroting) -> str:
    return str(_("I am %(age)s years or older and live in %(area)s.") % {"age": bb.min_age, "area": bb.area_name})


_age_label = lazy(_age_label_text, str)


def _postcode_help_text(bb: Burgerbegroting) -> str:
    return str(
        _(
            "Only residents of %(area)s vote. We use your postcode only to see in which buurt you live; "
            "we keep the buurt, not your postcode."
        )
        % {"area": bb.area_name}
    )


_postcode_help = lazy(_postcode_help_text, str)


class AreaBuurtField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A buurt of the burgerbegroting's area. The list shows the area's buurten; a posted code is checked with one
    plain query and `covers` (a ballot post is the busiest request of a vote: no ORM query to build)."""

    burgerbegroting: Burgerbegroting

    def to_python(self, value: Any) -> Buurt | None:
        if value in self.empty_values:
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT code, wijk_id, name FROM places_buurt WHERE code = %s", [str(value)])
            row = cursor.fetchone()
        buurt = Buurt.from_db(connection.alias, ["code", "wijk_id", "name"], row) if row else None
        if buurt is None or not self.burgerbegroting.covers(buurt):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return buurt


class VoterForm(forms.Form):
    """Who votes. With a vote code the letter went to an address in the area, so the buurt is only asked for the
    figures per buurt. With an account the postcode decides: it must lie in the area (looked up in the PC6 table);
    only the buurt it lies in is kept, never the postcode. Everyone confirms the minimum age."""

    buurt = AreaBuurtField(label=_("The buurt you live in"), queryset=Buurt.objects.none())
    postcode = forms.CharField(
        label=_("Your postcode"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "autocapitalize": "characters"}),
    )
    age_confirmed = forms.BooleanField(label="")

    def __init__(
        self,
        *args: Any,
        burgerbegroting: Burgerbegroting,
        with_code: bool,
        earlier_buurt: Buurt | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.burgerbegroting = burgerbegroting
        self.earlier_buurt = earlier_buurt
        if with_code:
            del self.fields["postcode"]
            field: AreaBuurtField = self.fields["buurt"]  # type: ignore[assignment]
            field.burgerbegroting = burgerbegroting
            field.queryset = burgerbegroting.area_buurten().only("code", "name", "wijk_id")
        else:
            del self.fields["buurt"]
            postcode = self.fields["postcode"]
            if earlier_buurt is not None:
                postcode.required = False
                postcode.help_text = _(
                    "You voted before as a resident of %(buurt)s. Leave this empty to keep that, or give your new "
                    "postcode if you moved."
                ) % {"buurt": earlier_buurt.name}
            else:
                postcode.help_text = _postcode_help(burgerbegroting)
        # lazy: the area's name is read only when the form is shown, not when a ballot is stored
        self.fields["age_confirmed"].label = _age_label(burgerbegroting)
        self.fields["age_confirmed"].error_messages["required"] = _("You can vote from %(age)s years old.") % {
            "age": burgerbegroting.min_age
        }

    def clean_postcode(self) -> str:
        typed = self.cleaned_data["postcode"].strip()
        if not typed:
            return ""
        pc6 = normalise_postcode(typed)
        if pc6 is None:
            raise ValidationError(_("This is not a Dutch postcode. Write it like 3511 AB."), code="postcode")
        buurt = Postcode.objects.buurt_for(pc6)
        area = self.burgerbegroting.area_name
        if buurt is None:
            raise ValidationError(
                _("We do not know this postcode in Utrecht. Check it, or vote with the code from your letter."),
                code="unknown_postcode",
            )
        if not self.burgerbegroting.covers(buurt):
            raise ValidationError(
                _("This postcode lies in %(buurt)s, outside %(area)s. Only residents of %(area)s vote here.")
                % {"buurt": buurt.name, "area": area},
                code="outside",
            )
        self.cleaned_data["buurt"] = buurt
        return pc6

    def voter_buurt(self) -> Buurt | None:
        """The buurt the voter lives in: chosen (with a code), from the postcode, or from the earlier ballot."""
        return self.cleaned_data.get("buurt") or self.earlier_buurt


def choices_from_post(data: Any, bb: Burgerbegroting) -> dict[str, Any]:
    """The ballot from the form: checkboxes `plan` (approval, knapsack) or number fields `points-<id>`."""
    if bb.ballot_type == Burgerbegroting.BallotType.CUMULATIVE:
        raw: dict[str, Any] = {}
        for key, value in data.items():
            if key.startswith("points-") and str(value).strip():
                raw[key.removeprefix("points-")] = str(value).strip()
        for value in raw.values():
            if not value.lstrip("-").isdigit():
                raise ValidationError(_("Give whole numbers of points."), code="points")
        return raw
    return dict.fromkeys(data.getlist("plan"), 1)


class PaperForm(forms.Form):
    number = forms.CharField(label=_("Number on the paper ballot"), max_length=30)
    code = forms.CharField(label=_("Vote code on the paper ballot (if any)"), max_length=40, required=False)


class RealisationForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Plan.Realisation.choices)
    amount_spent = forms.IntegerField(label=_("Spent so far in euros"), min_value=0, max_value=100_000_000)
    text = forms.CharField(label=_("Update"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000, required=False)
    photo = forms.FileField(label=_("Photo (optional)"), required=False)
    photo_alt = forms.CharField(label=_("What the photo shows"), max_length=200, required=False)


class ScheduleForm(forms.Form):
    """The start of each phase, in Amsterdam time. The starts of phases that have begun are read-only (and
    services.change_dates refuses to change them, with a message)."""

    submission_start = forms.DateTimeField(label=_("Submitting plans starts"))
    support_start = forms.DateTimeField(label=_("Collecting support starts"))
    check_start = forms.DateTimeField(label=_("The feasibility check starts"))
    voting_start = forms.DateTimeField(label=_("Voting starts"))
    voting_end = forms.DateTimeField(label=_("The vote closes"), help_text=_("Then the result is computed."))
    realisation_start = forms.DateTimeField(label=_("The realisation starts"))

    def __init__(self, *args: Any, burgerbegroting: Burgerbegroting, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {field: getattr(burgerbegroting, field) for field in START_FIELDS.values()})
        super().__init__(*args, **kwargs)
        current = phase_index(burgerbegroting.phase)
        for phase, field in START_FIELDS.items():
            self.fields[field].widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            self.fields[field].error_messages["invalid"] = _("Give a date and a time, for example 2027-03-01 09:00.")
            started = phase_index(phase) <= current
            if started and not (field == "voting_end" and burgerbegroting.phase == Phase.VOTING):
                self.fields[field].widget.attrs["readonly"] = True
