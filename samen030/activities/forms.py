from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samen030.organisations import validators
from samen030.organisations.forms import buurt_choices, prefetch_places, set_place_fields
from samen030.organisations.models import Organisation
from samen030.places.models import Postcode

from . import schedule
from .models import LANGUAGES, Activity, Theme

REPEAT_CHOICES = [
    ("once", _("Once")),
    ("weekly", _("Every week")),
    ("biweekly", _("Every two weeks")),
    ("monthly", _("Every month, on the same weekday (for example the second Tuesday)")),
    ("custom", _("Another rule (iCalendar RRULE)")),
]
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y")


def parse_dates(text: str) -> list[dt.date]:
    dates = []
    for token in re.split(r"[\s,;]+", text.strip()):
        if not token:
            continue
        for date_format in DATE_FORMATS:
            try:
                dates.append(dt.datetime.strptime(token, date_format).date())
                break
            except ValueError:
                continue
        else:
            raise ValidationError(
                _("%(value)s is not a date. Write dates like 24-12-2026, one per line."), params={"value": token}
            )
    return dates


def split_until(rrule: str) -> tuple[str, dt.date | None]:
    """'FREQ=WEEKLY;UNTIL=20261231T225959Z' -> ('FREQ=WEEKLY', 31 December 2026 in Utrecht)."""
    parts, until = [], None
    for part in rrule.split(";"):
        if part.startswith("UNTIL="):
            value = part[len("UNTIL=") :]
            until = dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        elif part:
            parts.append(part)
    return ";".join(parts), (schedule.local(until).date() if until else None)


class ActivityForm(forms.ModelForm):  # type: ignore[type-arg]
    field_order = [
        "title",
        "kind",
        "description",
        "organisations",
        "themes",
        "target_groups",
        "languages",
        "date",
        "start_time",
        "end_time",
        "repeat",
        "custom_rule",
        "until",
        "exceptions",
        "location",
        "venue",
        "street",
        "house_number",
        "postcode",
        "online_url",
        "citywide",
        "buurten",
    ]
    date = forms.DateField(
        label=_("Date"),
        help_text=_("The date of the activity; for a repeating activity, the first date."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(
        label=_("End time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    repeat = forms.ChoiceField(label=_("How often"), choices=REPEAT_CHOICES, initial="once", widget=forms.RadioSelect)
    custom_rule = forms.CharField(
        label=_("Repeat rule"),
        required=False,
        max_length=250,
        help_text=_("Only for another rule. For example FREQ=WEEKLY;BYDAY=TU,TH for every Tuesday and Thursday."),
    )
    until = forms.DateField(
        label=_("Repeat until"),
        required=False,
        help_text=_("Leave empty if the activity keeps repeating."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    exceptions = forms.CharField(
        label=_("Dates on which it does not take place"),
        required=False,
        help_text=_("For example holidays. One date per line, like 24-12-2026."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=LANGUAGES, initial=["nl"], widget=forms.CheckboxSelectMultiple
    )
    signup_url = forms.URLField(
        label=_("Web page for more information or signing up"), required=False, assume_scheme="https"
    )
    price = forms.DecimalField(
        label=_("Price in euros"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        localize=True,
        help_text=_("Only for a price, in euros, for example 2,50."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "utrecht-textbox--house-number-size"}),
    )
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("Only for an online activity: the link to join."),
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "description",
            "organisations",
            "themes",
            "target_groups",
            "languages",
            "location",
            "venue",
            "street",
            "house_number",
            "postcode",
            "online_url",
            "citywide",
            "buurten",
            "cost",
            "price",
            "step_free",
            "hearing_loop",
            "accompaniment",
            "childcare",
            "joining",
            "contact_name",
            "contact_email",
            "contact_phone",
            "signup_url",
        ]
        labels = {"organisations": _("Organised by"), "citywide": _("For people from the whole city")}
        help_texts = {
            "title": _("Short and clear, for example Coffee morning or Help with forms."),
            "description": _(
                "What happens, for whom, and what to bring. You can use Markdown: **bold**, *italic*, lists and "
                "links. At most 6,000 characters."
            ),
            "organisations": _("Organise it together? Choose all organisations you are an editor of that take part."),
            "postcode": _("For example 3531 AB. It tells us the buurt."),
            "buurten": _(
                "Choose the buurten whose residents it is meant for. The buurt of the address counts already."
            ),
            "venue": _("For example Buurthuis De Speler."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "kind": forms.RadioSelect,
            "organisations": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "location": forms.RadioSelect,
            "buurten": forms.CheckboxSelectMultiple,
            "cost": forms.RadioSelect,
            "joining": forms.RadioSelect,
            "postcode": forms.TextInput(
                attrs={"autocomplete": "postal-code", "class": "utrecht-textbox--postal-code-nl-size"}
            ),
            "house_number": forms.TextInput(attrs={"class": "utrecht-textbox--house-number-size"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def __init__(self, *args: Any, user: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        prefetch_places(kwargs.get("instance"))
        super().__init__(*args, **kwargs)
        self.user = user
        current = set(self.instance.organisations.values_list("pk", flat=True)) if self.instance.pk else set()
        if organisation is not None:
            current.add(organisation.pk)
            self.initial.setdefault("organisations", [organisation.pk])
        self.editable_organisations = set(Organisation.objects.edited_by(user).values_list("pk", flat=True))
        organisations = cast(forms.ModelMultipleChoiceField, self.fields["organisations"])  # type: ignore[type-arg]
        organisations.queryset = Organisation.objects.filter(pk__in=current | self.editable_organisations)
        for name in ("themes", "target_groups"):
            cast(forms.ModelMultipleChoiceField, self.fields[name]).to_field_name = "slug"  # type: ignore[type-arg]
        set_place_fields(self, self.buurt_choices())
        postcode = cast(forms.CharField, self.fields["postcode"])
        postcode.max_length, postcode.validators = 42, []
        postcode.widget.attrs["maxlength"] = "42"
        if self.instance.pk:
            self.initial_schedule()

    def buurt_choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return buurt_choices()

    def initial_schedule(self) -> None:
        activity: Activity = self.instance
        start = schedule.local(activity.starts_at)
        self.initial.update({"date": start.date(), "start_time": start.time().replace(second=0)})
        if activity.ends_at:
            self.initial["end_time"] = schedule.local(activity.ends_at).time().replace(second=0)
        self.initial["postcode"] = activity.formatted_postcode
        self.initial["exceptions"] = "\n".join(day.strftime("%d-%m-%Y") for day in activity.exception_dates)
        if not activity.rrule:
            self.initial["repeat"] = "once"
            return
        base, until = split_until(activity.rrule)
        self.initial["until"] = until
        presets = {rule: name for name, rule in schedule.preset_rules(activity.starts_at).items()}
        self.initial["repeat"] = presets.get(base, "custom")
        if self.initial["repeat"] == "custom":
            self.initial["custom_rule"] = base

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"]
        if not value:
            return ""
        pc6 = validators.clean_postcode(value)
        if not Postcode.objects.filter(pc6=pc6).exists():
            raise ValidationError(_("We do not know this postcode in Utrecht. Check it."), code="unknown")
        return pc6

    def clean_organisations(self) -> Any:
        chosen = self.cleaned_data["organisations"]
        if not self.user.is_superuser and not {o.pk for o in chosen} & self.editable_organisations:
            raise ValidationError(_("Choose at least one organisation that you are an editor of."))
        return chosen

    def clean_exceptions(self) -> list[dt.date]:
        return parse_dates(self.cleaned_data["exceptions"])

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        self.check_location(cleaned)
        if cleaned.get("cost") == Activity.Cost.PRICE and cleaned.get("price") is None:
            self.add_error("price", _("Give the price, or choose free or voluntary contribution."))
        self.check_schedule(cleaned)
        return cleaned

    def check_location(self, cleaned: dict[str, Any]) -> None:
        location = cleaned.get("location")
        if location == Activity.Location.ADDRESS:
            if not cleaned.get("street"):
                self.add_error("street", _("Give the street of the address."))
            if not cleaned.get("postcode") and "postcode" not in self.errors:
                self.add_error("postcode", _("Give the postcode of the address."))
        elif location == Activity.Location.ONLINE and not cleaned.get("online_url") and "online_url" not in self.errors:
            self.add_error("online_url", _("Give the link for joining online."))
        if location != Activity.Location.ADDRESS and not cleaned.get("citywide") and not cleaned.get("buurten"):
            self.add_error("buurten", _("Choose at least one buurt, or say that it is for the whole city."))

    def check_schedule(self, cleaned: dict[str, Any]) -> None:
        day, start_time = cleaned.get("date"), cleaned.get("start_time")
        if day is None or start_time is None or "exceptions" in self.errors:
            return
        starts_at = dt.datetime.combine(day, start_time, tzinfo=schedule.AMSTERDAM)
        end_time = cleaned.get("end_time")
        ends_at = dt.datetime.combine(day, end_time, tzinfo=schedule.AMSTERDAM) if end_time else None
        repeat = cleaned.get("repeat", "once")
        rule = ""
        if repeat == "custom":
            rule = cleaned.get("custom_rule", "")
            if not rule:
                self.add_error("custom_rule", _("Write the repeat rule, or choose another option."))
                return
        elif repeat != "once":
            rule = schedule.preset_rules(starts_at)[repeat]
        if rule and cleaned.get("until"):
            rule = f"{rule};UNTIL={cleaned['until']:%Y%m%d}"
        try:
            rule, exdates = schedule.validate(
                starts_at=starts_at, ends_at=ends_at, rrule=rule, exdates=cleaned.get("exceptions") or []
            )
        except schedule.ScheduleError as error:
            field = error.field
            if field == "rrule":
                field = "custom_rule" if repeat == "custom" else "until" if cleaned.get("until") else "repeat"
            self.add_error(field, error.message)
            return
        self.instance.starts_at, self.instance.ends_at = starts_at, ends_at
        self.instance.rrule, self.instance.exdates = rule, [day.isoformat() for day in exdates]


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you hide this activity?"),
        help_text=_("The editors of the organisation see this reason."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ListingFilterForm(forms.Form):
    """Filters for a 'what's on' page; they live in the URL so that every view can be shared."""

    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All themes"),
        to_field_name="slug",
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Activities and services")), *Activity.Kind.choices]
    )
    all_optional = True
