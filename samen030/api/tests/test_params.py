"""Filter forms described as OpenAPI parameters: types, allowed values and repeated parameters."""

from django import forms
from drf_spectacular.types import OpenApiTypes

from samen030.api.filters import YesNoField
from samen030.api.params import form_parameters


class ExampleForm(forms.Form):
    soort = forms.ChoiceField(required=False, choices=[("", "all"), ("a", "A"), ("b", "B")])
    groep = forms.ChoiceField(required=False, choices=[("", "all"), ("West", [("x", "X"), ("y", "Y")])])
    later = forms.ChoiceField(required=False)  # choices filled in __init__ from the database
    dag = forms.MultipleChoiceField(required=False, choices=[("ma", "Monday"), ("di", "Tuesday")])
    van = forms.DateField(required=False)
    aantal = forms.IntegerField(required=False, help_text="How many")
    gratis = YesNoField(required=False)


def test_each_field_becomes_a_typed_query_parameter():
    parameters = {parameter.name: parameter for parameter in form_parameters(ExampleForm)}
    assert set(parameters) == {"soort", "groep", "later", "dag", "van", "aantal", "gratis"}
    assert parameters["soort"].enum == ["a", "b"]
    assert parameters["groep"].enum == ["x", "y"]
    assert parameters["later"].enum is None
    assert parameters["dag"].many is True
    assert parameters["dag"].enum == ["ma", "di"]
    assert parameters["van"].type == OpenApiTypes.DATE
    assert parameters["aantal"].type == OpenApiTypes.INT
    assert parameters["aantal"].description == "How many"
    assert parameters["gratis"].type == OpenApiTypes.BOOL
    assert all(parameter.location == "query" and not parameter.required for parameter in parameters.values())
