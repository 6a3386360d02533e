"""The base of every form of the portal (no app imports here)."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from dsfr.forms import DsfrBaseForm

from pvd.exceptions import DomainError, NotAllowed
from pvd.workflows import ConflictError


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


def submit_versioned(form, obj, service, /, **kwargs):
    """`submit` for an edit form carrying the object's `version`: on a `ConflictError` (someone
    saved in between) the form keeps what the person typed and takes the current version, so
    that saving again is a knowing overwrite. Returns (what the service returned or None, the
    conflict or None)."""
    try:
        return service(**kwargs), None
    except ConflictError as error:
        form.data = form.data.copy()
        form.data["version"] = type(obj)._base_manager.get(pk=obj.pk).version
        return None, error
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except DomainError as error:
        form.add_error(None, str(error))
        return None, None
