"""The API's own filters for places and organisations, as forms over the query string (see params.py), and the
queries they drive. The activities list uses the search page's form and search (`activities.search`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from samen030.memberships.models import Membership, MembershipType
from samen030.memberships.queries import with_current_membership
from samen030.organisations.models import Organisation, OrganisationQuerySet
from samen030.places.models import Buurt, Wijk

TRUE_VALUES = {"true", "1", "ja", "yes"}
FALSE_VALUES = {"false", "0", "nee", "no"}


class YesNoField(forms.Field):
    """true/false (also 1/0, ja/nee); empty means "no filter". Anything else is an error, not silently true."""

    default_error_messages = {"invalid": _("Give true or false.")}

    def to_python(self, value: Any) -> bool | None:
        text = str(value or "").strip().lower()
        if text == "":
            return None
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class CodeField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A wijk or buurt by its CBS code, in any case (wk034401 = WK034401)."""

    def to_python(self, value: Any) -> Model | None:
        return super().to_python(value.strip().upper() if isinstance(value, str) else value)


def wijk_field() -> CodeField:
    return CodeField(
        queryset=Wijk.objects.defer("geometry"),
        required=False,
        label=_("Wijk"),
        help_text=_("The CBS code of a wijk, for example WK034401."),
        error_messages={"invalid_choice": _("There is no wijk with this code.")},
    )


def buurt_field() -> CodeField:
    return CodeField(
        queryset=Buurt.objects.defer("geometry"),
        required=False,
        label=_("Buurt"),
        help_text=_("The CBS code of a buurt, for example BU03440121."),
        error_messages={"invalid_choice": _("There is no buurt with this code.")},
    )


def geometry_field() -> YesNoField:
    return YesNoField(required=False, help_text=_("true: include each boundary as GeoJSON (larger answers)."))


class WijkFilterForm(forms.Form):
    geometrie = geometry_field()


class BuurtFilterForm(forms.Form):
    wijk = wijk_field()
    geometrie = geometry_field()


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=100,
        label=_("Name"),
        help_text=_("Part of the name; accents and case do not matter."),
    )
    wijk = wijk_field()
    buurt = buurt_field()
    soort = forms.ChoiceField(
        required=False,
        label=_("Kind of organisation"),
        choices=[("", ""), *Organisation.Kind.choices],
        error_messages={"invalid_choice": _("This kind does not exist.")},
    )
    lidmaatschap = forms.ChoiceField(
        required=False,
        label=_("Membership"),
        help_text=_("stemlid or steunlid: current members of that type; geen: not a member."),
        choices=[("", ""), *MembershipType.choices, ("geen", _("not a member"))],
        error_messages={"invalid_choice": _("This type of membership does not exist.")},
    )


def filter_organisations(data: dict[str, Any]) -> OrganisationQuerySet:
    """Published organisations matching the cleaned filters, with their current membership, by name."""
    organisations = with_current_membership(Organisation.objects.published())
    if data.get("q"):
        organisations = organisations.search(data["q"])
    if data.get("wijk"):
        organisations = organisations.active_in_wijk(data["wijk"])
    if data.get("buurt"):
        organisations = organisations.active_in_buurt(data["buurt"])
    if data.get("soort"):
        organisations = organisations.filter(kind=data["soort"])
    members = Membership.objects.current()
    if data.get("lidmaatschap") == "geen":
        organisations = organisations.exclude(pk__in=members.values("organisation_id"))
    elif data.get("lidmaatschap"):
        organisations = organisations.filter(pk__in=members.filter(type=data["lidmaatschap"]).values("organisation_id"))
    return organisations.order_by("name", "pk")
