"""The base of every form of the portal (no app imports here)."""

from django import forms
from django.conf import settings
from dsfr.forms import DsfrBaseForm


class BaseForm(DsfrBaseForm):
    """A DSFR form that marks its optional fields (settings.DSFR_MARK_OPTIONAL_FIELDS).

    django-dsfr's own `get_context` warns on every render while that setting is transitional,
    and tells projects to override `get_context`: this one adds the flag without the warning.
    """

    def get_context(self) -> dict:
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = settings.DSFR_MARK_OPTIONAL_FIELDS
        return context


class FilterForm(BaseForm):
    """The form of a list's filters: every field is optional, none says so."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = "components/champ_filtre.html"
