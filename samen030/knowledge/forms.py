from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samen030.activities.models import Theme
from samen030.organisations.forms import buurt_choices
from samen030.organisations.models import Organisation
from samen030.places.models import Wijk

from .files import CheckedFile, check_upload
from .models import Item

ACCEPT = (
    "application/pdf,.pdf,.docx,.odt,.xlsx,image/png,image/jpeg,image/webp,image/gif,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.oasis.opendocument.text,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
FILE_HELP = _(
    "A PDF, Word (DOCX), OpenDocument (ODT) or Excel (XLSX) document, or a PNG, JPEG, WebP or GIF image; at most "
    "25 MB. We check what is inside the file, not its name."
)


class UploadFields(forms.Form):
    """A file and, for an image, its description: shared by the item form and the 'add a file' forms."""

    upload = forms.FileField(
        label=_("File"), required=False, help_text=FILE_HELP, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    alt_text = forms.CharField(
        label=_("Description of the image (alt text)"),
        required=False,
        max_length=300,
        help_text=_("Only for an image: say in one sentence what it shows, for people who cannot see it."),
    )
    file_required = False

    def clean_upload(self) -> CheckedFile | None:
        upload = self.cleaned_data.get("upload")
        if not upload:
            if self.file_required:
                raise ValidationError(_("Choose a file."), code="required")
            return None
        return check_upload(upload)

    def check_alt_text(self, cleaned: dict[str, Any]) -> None:
        checked = cleaned.get("upload")
        if checked is not None and checked.is_image and not cleaned.get("alt_text", "").strip():
            self.add_error("alt_text", _("Describe the image in one sentence, for people who cannot see it."))


class FileForm(UploadFields):
    file_required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_alt_text(cleaned)
        return cleaned


def parse_deadlines(text: str) -> list[tuple[dt.date, str]]:
    """'1-3-2027 eerste ronde' per line -> [(1 March 2027, 'eerste ronde')]."""
    found = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        token, _sep, label = line.partition(" ")
        for date_format in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
            try:
                found.append((dt.datetime.strptime(token, date_format).date(), label.strip()[:120]))
                break
            except ValueError:
                continue
        else:
            raise ValidationError(
                _("%(value)s is not a date. Write one deadline per line, like 1-3-2027 first round."),
                params={"value": token},
            )
    return found


class ItemForm(forms.ModelForm, UploadFields):  # type: ignore[type-arg]
    link = forms.URLField(label=_("Link to the scheme"), required=False, assume_scheme="https")
    deadlines_text = forms.CharField(
        label=_("Deadlines"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the date and what is due, like 1-3-2027 first round."),
    )

    class Meta:
        model = Item
        fields = [
            "kind",
            "title",
            "summary",
            "body",
            "themes",
            "wijken",
            "buurten",
            "organisations",
            "licence",
            "language",
            "audience",
            "funder",
            "amount_min",
            "amount_max",
            "eligibility",
            "link",
            "funding_status",
        ]
        help_texts = {
            "summary": _("One or two sentences: what is it and for whom."),
            "body": _("You can use Markdown: **bold**, *italic*, lists with -, links like [text](https://…)."),
            "organisations": _("The organisations that share this with the network."),
            "audience": _("Members only: only editors of member organisations and the board can read it."),
            "funder": _("Only for a subsidy or investment opportunity, like the rest of this part."),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 10}),
            "themes": forms.CheckboxSelectMultiple,
            "wijken": forms.CheckboxSelectMultiple,
            "buurten": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
            "licence": forms.RadioSelect,
            "audience": forms.RadioSelect,
        }

    field_order = [*Meta.fields[:-6], "upload", "alt_text", *Meta.fields[-6:], "deadlines_text"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = set(self.instance.organisations.values_list("pk", flat=True)) if self.instance.pk else set()
        editable = set(Organisation.objects.edited_by(user).values_list("pk", flat=True))
        organisations = cast(forms.ModelMultipleChoiceField, self.fields["organisations"])  # type: ignore[type-arg]
        organisations.queryset = Organisation.objects.filter(pk__in=current | editable).order_by("name")
        cast(forms.ModelMultipleChoiceField, self.fields["themes"]).to_field_name = "slug"  # type: ignore[type-arg]
        cast(forms.ModelMultipleChoiceField, self.fields["buurten"]).choices = buurt_choices()  # type: ignore[type-arg]
        cast(forms.ModelMultipleChoiceField, self.fields["wijken"]).queryset = Wijk.objects.order_by("code")  # type: ignore[type-arg]
        if self.instance.pk:
            self.initial["deadlines_text"] = "\n".join(
                f"{d.date:%d-%m-%Y} {d.label}".strip() for d in self.instance.deadlines.all()
            )
            self.fields["upload"].help_text = _("Add a file here, or add versions on the item's page.")

    def clean_deadlines_text(self) -> list[tuple[dt.date, str]]:
        return parse_deadlines(self.cleaned_data.get("deadlines_text", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_alt_text(cleaned)
        if cleaned.get("kind") == Item.Kind.FUNDING:
            if not cleaned.get("funder"):
                self.add_error("funder", _("Say who gives the money."))
            if not cleaned.get("funding_status"):
                self.add_error("funding_status", _("Say whether you can apply now."))
            low, high = cleaned.get("amount_min"), cleaned.get("amount_max")
            if low is not None and high is not None and low > high:
                self.add_error("amount_max", _("The largest amount is smaller than the smallest amount."))
        if cleaned.get("kind") == Item.Kind.IMAGES and not cleaned.get("upload") and not self.instance.pk:
            self.add_error("upload", _("Add at least one image."))
        return cleaned


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you hide this item?"),
        help_text=_("The author sees this reason."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Your question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class UsageForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), required=False, empty_label=_("Just myself")
    )
    story = forms.CharField(
        label=_("How did it go? (optional)"),
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few sentences help others: what did you do, what worked, what would you do differently?"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])  # type: ignore[type-arg]
        field.queryset = Organisation.objects.edited_by(user).order_by("name")


YEAR = re.compile(r"^\d{4}$")


class SearchForm(forms.Form):
    """The library's search box and facets; they live in the URL so that every result page can be shared."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Item.Kind.choices])
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All themes"),
        to_field_name="slug",
    )
    wijk = forms.ModelChoiceField(
        label=_("Wijk"),
        queryset=Wijk.objects.defer("geometry").order_by("name"),
        required=False,
        empty_label=_("All wijken"),
        to_field_name="code",
    )
    licence = forms.ChoiceField(
        label=_("Licence"), required=False, choices=[("", _("All licences")), *Item.Licence.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    all_optional = True
