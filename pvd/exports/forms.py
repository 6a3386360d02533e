from django import forms

from pvd.exports.base import ListeExportable
from pvd.forms import BaseForm
from pvd.models import FormatExport


class ExportForm(BaseForm):
    """The format and the columns of an export (every column ticked at first)."""

    format = forms.ChoiceField(
        label="Format",
        choices=FormatExport.choices,
        initial=FormatExport.XLSX,
        widget=forms.RadioSelect,
    )
    colonnes = forms.MultipleChoiceField(
        label="Colonnes",
        help_text="Décochez les colonnes dont vous n’avez pas besoin.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une colonne."},
    )

    def __init__(self, *args, liste: ListeExportable, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(c.cle, c.titre) for c in liste.colonnes]
        self.fields["colonnes"].choices = choices
        self.fields["colonnes"].initial = [cle for cle, _ in choices]

    def clean_colonnes(self) -> list[str]:
        """The chosen columns in the list's order, whatever the order they were sent in."""
        chosen = set(self.cleaned_data["colonnes"])
        return [cle for cle, _ in self.fields["colonnes"].choices if cle in chosen]
