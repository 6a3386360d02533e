"""The base of every form of the portal (no app imports here)."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from dsfr.forms import DsfrBaseForm

from pvd.exceptions import DomainError, NotAllowed


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


def submit(form, service, /, **kwargs):
    """Call `service(**kwargs)` for a valid `form`. A `NotAllowed` becomes a 403; another
    `DomainError` becomes an error of the form, shown above its fields, and nothing is saved.
    Returns what the service returned, or None when it refused."""
    try:
        return service(**kwargs)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except DomainError as error:
        form.add_error(None, str(error))
        return None
