"""The upload form of an import."""

from django import forms
from django.core.exceptions import ValidationError

from pvd.fichiers import verifier_nom
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
        """The size and the name; the content is read by `lecture.lire` (a CSV or an XLSX
        whatever its name says), except an `.xlsx` that is not one, refused here."""
        fichier = self.cleaned_data["fichier"]
        verifier_nom(fichier.name, (".csv", ".xlsx", ".txt"))
        if fichier.size > TAILLE_MAXIMALE:
            raise ValidationError("Le fichier dépasse 10 Mo : découpez-le en plusieurs imports.")
        fichier.seek(0)
        zip = fichier.read(4) == b"PK\x03\x04"
        fichier.seek(0)
        if fichier.name.lower().endswith(".xlsx") and not zip:
            raise ValidationError(
                "Ce fichier porte l’extension .xlsx mais n’est pas un classeur XLSX : "
                "enregistrez-le depuis votre tableur au format XLSX ou CSV."
            )
        return fichier
