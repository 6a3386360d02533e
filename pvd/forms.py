"""The base of every form of the portal (no app imports here)."""

from django import forms
from dsfr.forms import DsfrBaseForm


class BaseForm(DsfrBaseForm):
    """A DSFR form that marks the optional fields, as the DSFR now recommends.

    django-dsfr asks projects to override `get_context` to choose this behaviour (its own
    `get_context` warns until a future major version makes it the default).
    """

    def get_context(self) -> dict:
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context
