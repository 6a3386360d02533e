"""Forms of the Club team's follow-up: attendance (typed or imported), audience figures,
cercles thématiques and their members. The services check the rules again whatever a form
offered."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from club.enums import Canal, EtatInscription
from club.models import Cercle, Inscription, Thematique
from club.presences import TAILLE_MAXIMALE
from communes.models import Commune, Organisation
from conventions.forms import DATE, VersionForm
from conventions.models import Dossier
from pvd.fichiers import verifier_nom
from pvd.forms import BaseForm, FilterForm

# Registrations ----------------------------------------------------------------------------


class FiltreInscriptionsForm(FilterForm):
    etat = forms.ChoiceField(
        label="État de l’inscription",
        choices=[("", "Tous les états"), *EtatInscription.choices],
        required=False,
    )


# The three answers to « did they come? », as the form sends them.
PRESENT, ABSENT, NON_RENSEIGNE = "present", "absent", ""
CHOIX_PRESENCE = [(NON_RENSEIGNE, "Non renseigné"), (PRESENT, "Présent"), (ABSENT, "Absent")]
_VALEURS = {PRESENT: True, ABSENT: False, NON_RENSEIGNE: None}


def _choix(present: bool | None) -> str:
    return {True: PRESENT, False: ABSENT}.get(present, NON_RENSEIGNE)


class PresencesForm(BaseForm):
    """Attendance of every registration shown, at once: one choice per registration."""

    def __init__(self, *args, inscriptions: Iterable[Inscription], **kwargs):
        super().__init__(*args, **kwargs)
        self.inscriptions = {str(i.pk): i for i in inscriptions}
        for pk, inscription in self.inscriptions.items():
            self.fields[f"presence_{pk}"] = forms.ChoiceField(
                label=f"Présence de {inscription.participant}",
                choices=CHOIX_PRESENCE,
                required=False,
                initial=_choix(inscription.present),
            )

    def lignes(self) -> list[tuple[Inscription, forms.BoundField]]:
        """(registration, its field) for the template's table."""
        return [(i, self[f"presence_{pk}"]) for pk, i in self.inscriptions.items()]

    def presences(self) -> dict[int, bool | None]:
        """Registration id → present, absent or unknown, for the registrations the form sent:
        a registration that appeared on the page after it was opened keeps its attendance
        rather than being reset."""
        return {
            inscription.pk: _VALEURS[self.cleaned_data[f"presence_{pk}"]]
            for pk, inscription in self.inscriptions.items()
            if self.add_prefix(f"presence_{pk}") in self.data
        }


class UploadInput(forms.FileInput):
    """DSFR's file upload (django-dsfr leaves file inputs unstyled)."""

    group_class = "fr-upload-group"

    def __init__(self, attrs=None):
        super().__init__({"class": "fr-upload", **(attrs or {})})


class ImportPresencesForm(BaseForm):
    fichier = forms.FileField(
        label="Liste des participants (CSV)",
        help_text="L’export CSV de l’outil de webinaire, 5 Mo au plus.",
        widget=UploadInput(attrs={"accept": ".csv,text/csv"}),
    )
    marquer_absents = forms.BooleanField(
        label="Marquer absents les inscrits absents du fichier",
        help_text="Sinon, la présence des inscrits qui ne figurent pas dans le fichier ne "
        "change pas.",
        required=False,
    )

    def clean_fichier(self):
        """The name and the size; the content is read by `club.presences.lire`."""
        fichier = self.cleaned_data["fichier"]
        verifier_nom(fichier.name, (".csv", ".txt"))
        if fichier.size > TAILLE_MAXIMALE:
            raise ValidationError("Le fichier dépasse 5 Mo : découpez-le en plusieurs imports.")
        return fichier


# Audience ---------------------------------------------------------------------------------


class NombreField(forms.IntegerField):
    """A whole number as French people type it: "12 500", "12500"."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def to_python(self, value):
        if isinstance(value, str):
            for space in (" ", "\u00a0", "\u202f", "."):
                value = value.replace(space, "")
        return super().to_python(value)


class AudienceForm(BaseForm):
    canal = forms.ChoiceField(label="Canal", choices=Canal.choices)
    date = forms.DateField(label="Relevé le", widget=DATE, initial=timezone.localdate)
    valeur = NombreField(
        label="Abonnés ou destinataires",
        min_value=0,
        help_text="Une nouvelle saisie pour le même canal et la même date corrige la première.",
    )


# Cercles ----------------------------------------------------------------------------------


class OrganisationChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, organisation) -> str:
        if organisation.sigle and organisation.sigle not in organisation.nom:
            return f"{organisation.nom} ({organisation.sigle})"
        return organisation.nom


class CercleForm(VersionForm):
    titre = forms.CharField(label="Titre", max_length=200)
    thematique = forms.ModelChoiceField(Thematique.objects.all(), label="Thématique")
    debut = forms.DateField(label="Début", widget=DATE)
    fin = forms.DateField(label="Fin", widget=DATE, help_text="Un cercle dure en général un an.")
    copilotes = OrganisationChoice(
        Organisation.objects.none(),
        label="Co-pilotes",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, cercle: Cercle | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = [o.pk for o in cercle.copilotes.all()] if cercle else []
        # The national organisations (not the 119 conseils départementaux and régionaux),
        # and those already chosen.
        self.fields["copilotes"].queryset = Organisation.objects.filter(
            Q(region__isnull=True, departement__isnull=True) | Q(pk__in=current)
        ).order_by("nom")
        if cercle is None:
            del self.fields["version"]

    def clean(self):
        cleaned = super().clean()
        debut, fin = cleaned.get("debut"), cleaned.get("fin")
        if debut and fin and fin <= debut:
            self.add_error("fin", "La fin du cercle doit venir après son début.")
        return cleaned


class CommuneChoice(forms.ModelChoiceField):
    def label_from_instance(self, commune) -> str:
        return f"{commune.nom} ({commune.code})"


def _jour_dans(cercle: Cercle, day: date) -> date:
    """`day` brought inside the cercle's period."""
    return min(max(day, cercle.debut), cercle.fin)


class MembreForm(BaseForm):
    commune = CommuneChoice(
        Commune.objects.none(),
        label="Commune",
        empty_label="Choisir une commune",
        help_text="Les communes Petites villes de demain.",
    )
    email = forms.EmailField(label="Adresse électronique")
    prenom = forms.CharField(label="Prénom", max_length=150)
    nom = forms.CharField(label="Nom", max_length=150)
    fonction = forms.CharField(
        label="Fonction", max_length=150, required=False, help_text="Maire, adjoint…"
    )
    depuis = forms.DateField(label="Membre depuis le", widget=DATE)

    def __init__(self, *args, cercle: Cercle, **kwargs):
        super().__init__(*args, **kwargs)
        # The élus of the programme's communes (lauréates).
        self.fields["commune"].queryset = Commune.objects.filter(
            pk__in=Dossier.objects.pvd().values("pk")
        ).order_by("nom_recherche", "code")
        self.fields["depuis"].initial = _jour_dans(cercle, timezone.localdate())
        # The bound field, built by DsfrBaseForm, keeps a copy of the help text.
        self.fields["depuis"].help_text = self["depuis"].help_text = (
            f"Entre le {date_format(cercle.debut, 'j F Y')} et le "
            f"{date_format(cercle.fin, 'j F Y')}, période du cercle."
        )


class FinMembreForm(BaseForm):
    le = forms.DateField(label="Date de sortie du cercle", widget=DATE)

    def __init__(self, *args, cercle: Cercle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["le"].initial = _jour_dans(cercle, timezone.localdate())
