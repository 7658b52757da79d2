from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class SignupExtraForm(forms.Form):
    """Adds the one thing we ask beyond email and password: the name others see."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("Your first name is enough. Others on the platform see this name."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["name", "email", "password1", "password2"]

    def signup(self, request: HttpRequest, user: Any) -> None:
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])
