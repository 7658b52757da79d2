from __future__ import annotations

import time
from typing import Any, cast

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Model, Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from samen030.core.images import ImageRule, process_upload
from samen030.places.models import Buurt, Postcode, Wijk

from . import validators
from .models import Organisation

LOGO = ImageRule(
    formats=frozenset({"PNG", "JPEG", "WEBP", "GIF"}),
    max_side=512,
    output="PNG",  # keeps transparency
    refusal=_("This file is not an image we can read. Upload a PNG, JPEG, WebP or GIF image."),
)


def buurt_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Buurten grouped by wijk, for a list of checkboxes that stays readable. Only codes and names: a buurt's
    boundary (GeoJSON, often tens of kilobytes) is never loaded for a form."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, wijk in Buurt.objects.order_by("wijk__code", "name").values_list("code", "name", "wijk__name"):
        groups.setdefault(wijk, []).append((code, name))
    return list(groups.items())


def prefetch_places(instance: Model | None) -> None:
    """Load the buurten and wijken of the instance a ModelForm edits without their boundaries, before the form's
    __init__ reads them as initial values (which would load whole rows)."""
    if instance is None or instance.pk is None:
        return
    related = {field.name for field in instance._meta.many_to_many}
    lookups = [
        Prefetch(name, queryset=model.objects.defer("geometry"))
        for name, model in (("buurten", Buurt), ("wijken", Wijk))
        if name in related
    ]
    prefetch_related_objects([instance], *lookups)


def set_place_fields(form: forms.ModelForm, buurten: list[tuple[str, list[tuple[str, str]]]]) -> None:  # type: ignore[type-arg]
    """The buurten (grouped by wijk) and wijken checkboxes of a form; the selected rows are checked and saved
    without their boundaries."""
    buurt_field = cast(forms.ModelMultipleChoiceField, form.fields["buurten"])  # type: ignore[type-arg]
    buurt_field.queryset = Buurt.objects.defer("geometry")
    buurt_field.choices = buurten
    if "wijken" in form.fields:
        wijk_field = cast(forms.ModelMultipleChoiceField, form.fields["wijken"])  # type: ignore[type-arg]
        wijk_field.queryset = Wijk.objects.defer("geometry").order_by("code")


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]
    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A PNG, JPEG, WebP or GIF image of at most 5 MB. We make it smaller for the website."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    website = forms.URLField(
        label=_("website"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url", "placeholder": "https://"}),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "description",
            "website",
            "email",
            "phone",
            "legal_form",
            "kvk_number",
            "rsin",
            "iban",
            "street",
            "house_number",
            "postcode",
            "place",
            "citywide",
            "wijken",
            "buurten",
        ]
        labels = {"description": _("What does your organisation do?")}
        help_texts = {
            "description": _("Write in plain language, in a few sentences. At most 4,000 characters."),
            "kvk_number": _("8 digits. Leave empty if your group is not registered with the KvK."),
            "rsin": _("9 digits, on your KvK extract. Leave empty if you do not have one."),
            "iban": _("The bank account of the organisation, for example NL91 ABNA 0417 1643 00."),
            "postcode": _("The postcode of your visiting address, for example 3511 AB. It tells us your buurt."),
            "email": _("This address is shown on your public page."),
            "citywide": _("Choose this for city-wide networks that do not work in specific buurten."),
            "wijken": _("Choose a whole wijk only if you work in all of its buurten."),
            "buurten": _("Choose the buurten where you are active."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "wijken": forms.CheckboxSelectMultiple,
            "buurten": forms.CheckboxSelectMultiple,
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "postcode": forms.TextInput(
                attrs={"autocomplete": "postal-code", "class": "utrecht-textbox--postal-code-nl-size"}
            ),
            "iban": forms.TextInput(attrs={"class": "utrecht-textbox--iban-nl-size"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        prefetch_places(kwargs.get("instance"))
        super().__init__(*args, **kwargs)
        # People type spaces and dots ("3511 AB", "NL91 ABNA …"); the clean_* methods compact the values, so the
        # form accepts more characters than the database column keeps.
        for name in ("kvk_number", "rsin", "iban", "postcode"):
            field = cast(forms.CharField, self.fields[name])
            field.max_length = 42
            field.validators = []
            field.widget.attrs["maxlength"] = "42"
        set_place_fields(self, buurt_choices())
        if self.instance.pk and self.instance.postcode:
            self.initial["postcode"] = self.instance.formatted_postcode
        if not (self.instance.pk and self.instance.logo):
            del self.fields["remove_logo"]
        self.processed_logo: ContentFile[bytes] | None = None

    def clean_kvk_number(self) -> str:
        value: str = self.cleaned_data["kvk_number"]
        return validators.clean_kvk_number(value) if value else ""

    def clean_rsin(self) -> str:
        value: str = self.cleaned_data["rsin"]
        return validators.clean_rsin(value) if value else ""

    def clean_iban(self) -> str:
        value: str = self.cleaned_data["iban"]
        return validators.clean_iban(value) if value else ""

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"]
        if not value:
            return ""
        pc6 = validators.clean_postcode(value)
        if Postcode.objects.exists() and not Postcode.objects.filter(pc6=pc6).exists():
            raise ValidationError(
                _("We do not know this postcode in Utrecht. Check it, or leave the field empty."), code="unknown"
            )
        return pc6

    def clean_logo_upload(self) -> Any:
        upload = self.cleaned_data.get("logo_upload")
        if upload:
            self.processed_logo = process_upload(upload, LOGO, name="logo.png")
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        nowhere = not cleaned.get("citywide") and not cleaned.get("wijken") and not cleaned.get("buurten")
        if nowhere and "buurten" not in self.errors:
            self.add_error("buurten", _("Choose at least one buurt or wijk, or say that you work in the whole city."))
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the new editor"),
        help_text=_("We send an invitation to this address. It stays valid for 14 days."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class ContactForm(forms.Form):
    """A message to an organisation's editors. Two spam checks: `website` is a field people never see (bots fill
    it in), and `started` is a signed moment at which the form was shown (bots post at once, or replay old forms)."""

    SALT = "organisations.contact"
    MIN_SECONDS = 3
    MAX_SECONDS = 24 * 60 * 60

    name = forms.CharField(label=_("Your name"), max_length=80, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("The organisation answers you at this address. You get a copy of your message."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = forms.CharField(
        label=_("Your message"), min_length=10, max_length=4000, widget=forms.Textarea(attrs={"rows": 8})
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, now: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now if now is not None else time.time()
        if not self.is_bound:
            self.initial["started"] = self.sign_start(self.now)

    @classmethod
    def sign_start(cls, moment: float) -> str:
        return signing.Signer(salt=cls.SALT).sign(str(int(moment)))

    def clean_name(self) -> str:
        name = " ".join(cast(str, self.cleaned_data["name"]).split())
        if not name:
            raise ValidationError(_("Fill in your name."))
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())
        if cleaned.get("website"):
            raise ValidationError(_("Your message looks like spam and was not sent."), code="spam")
        try:
            started = int(signing.Signer(salt=self.SALT).unsign(self.data.get("started", "")))
        except (signing.BadSignature, ValueError):
            self._restart()
            raise ValidationError(_("The form was damaged. Please send your message again."), code="spam") from None
        age = self.now - started
        if age < self.MIN_SECONDS:
            raise ValidationError(_("That was very fast. Check your message and send it again."), code="spam")
        if age > self.MAX_SECONDS:
            self._restart()
            raise ValidationError(_("The form has expired. Please send your message again."), code="expired")
        return cleaned

    def _restart(self) -> None:
        """Show the form again with a fresh start moment, so that sending it again works."""
        data = cast(Any, self.data).copy()
        data["started"] = self.sign_start(self.now)
        self.data = data
