"""The upload form of an import."""

from django import forms
from django.core.exceptions import ValidationError

from pvd.forms import BaseForm
from pvd.imports.lecture import TAILLE_MAXIMALE


class UploadInput(forms.FileInput):
    """DSFR's file upload (django-dsfr leaves file inputs unstyled)."""

    group_class = "fr-upload-group"

    def __init__(self, attrs=None):
        super().__init__({"class": "fr-upload", **(attrs or {})})


class ImportForm(BaseForm):
    fichier = forms.FileField(
        label="Fichier à importer",
        help_text="Un classeur XLSX ou un fichier CSV (séparateur « ; » ou « , »), 10 Mo au "
        "plus, dont la première ligne nomme les colonnes du modèle.",
        widget=UploadInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier.size > TAILLE_MAXIMALE:
            raise ValidationError("Le fichier dépasse 10 Mo : découpez-le en plusieurs imports.")
        return fichier
