"""Forms of a commune's journey. Choices stay inside the user's perimeter; the services check
the rules again whatever a form offered."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from communes.models import Commune, Organisation
from conventions.enums import Avis, OrigineOrt, PresidenceComite
from conventions.models import (
    Candidature,
    ConventionAdhesion,
    ConventionCadre,
    Dossier,
    Orientation,
)
from pvd.documents import validate_pdf
from pvd.forms import BaseForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommuneChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, commune) -> str:
        return f"{commune.nom} ({commune.code})"


def _communes_of_prefecture(user):
    return Commune.objects.actuels().for_user(user).order_by("nom_recherche")


class VersionForm(BaseForm):
    """Carries the version of the object the form was opened on (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class CandidatureForm(BaseForm):
    communes = CommuneChoice(
        Commune.objects.none(),
        label="Communes candidates",
        help_text="Une ou plusieurs communes, avec leur intercommunalité.",
    )
    deposee_le = forms.DateField(label="Déposée le", widget=DATE)
    presentation = forms.CharField(
        label="Présentation du projet", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = _communes_of_prefecture(user).exclude(
            candidatures__etat__in=["deposee", "instruite", "retenue"]
        )
        self.fields["deposee_le"].initial = timezone.localdate()


class InstructionForm(BaseForm):
    avis = forms.ChoiceField(
        label="Avis de la préfecture", choices=Avis.choices, widget=forms.RadioSelect
    )
    instruite_le = forms.DateField(label="Date de l’avis", widget=DATE, initial=timezone.localdate)
    commentaire = forms.CharField(
        label="Motivation de l’avis", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DecisionForm(BaseForm):
    decision = forms.ChoiceField(
        label="Décision du comité régional",
        choices=[("retenir", "Retenue"), ("ne_pas_retenir", "Non retenue")],
        widget=forms.RadioSelect,
    )
    decidee_le = forms.DateField(label="Date du comité régional", widget=DATE)
    commentaire = forms.CharField(
        label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RetraitForm(BaseForm):
    commentaire = forms.CharField(
        label="Motif du retrait", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DecisionsForm(BaseForm):
    """The decisions of one comité régional on many candidatures at once."""

    CHOIX = [("", "Pas de décision"), ("retenir", "Retenue"), ("ne_pas_retenir", "Non retenue")]
    decidee_le = forms.DateField(label="Date du comité régional", widget=DATE)
    commentaire = forms.CharField(label="Commentaire (pour toutes)", required=False)

    def __init__(self, *args, candidatures, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidatures = {str(c.pk): c for c in candidatures}
        for pk in self.candidatures:
            self.fields[f"candidature_{pk}"] = forms.ChoiceField(
                label=f"Candidature n° {pk}", choices=self.CHOIX, required=False
            )

    def lignes(self):
        """(candidature, its field) for the table of the template."""
        return [(c, self[f"candidature_{pk}"]) for pk, c in self.candidatures.items()]

    def decisions(self) -> dict[Candidature, bool]:
        return {
            candidature: self.cleaned_data[f"candidature_{pk}"] == "retenir"
            for pk, candidature in self.candidatures.items()
            if self.cleaned_data.get(f"candidature_{pk}")
        }

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"candidature_{pk}") for pk in self.candidatures):
            raise ValidationError("Indiquez la décision d’au moins une candidature.")
        return cleaned


class ConventionAdhesionForm(VersionForm):
    communes = CommuneChoice(
        Commune.objects.none(),
        label="Communes signataires",
        help_text="Les communes lauréates de la convention ; leur intercommunalité et le préfet "
        "la signent avec elles.",
    )
    cosignataire_conseil_departemental = forms.BooleanField(
        label="Le conseil départemental cosigne", required=False
    )
    cosignataire_conseil_regional = forms.BooleanField(
        label="Le conseil régional cosigne", required=False
    )
    partenaires = forms.ModelMultipleChoiceField(
        Organisation.objects.all(),
        label="Partenaires cosignataires",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    presidence_comite = forms.ChoiceField(
        label="Présidence du comité de projet",
        choices=PresidenceComite.choices,
        widget=forms.RadioSelect,
    )
    president_comite = forms.CharField(
        label="Président(s) du comité de projet",
        required=False,
        help_text="Par exemple : le maire de Clamecy et le président de la communauté de communes.",
    )

    def __init__(self, *args, user, convention: ConventionAdhesion | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        free = ~Q(pk__in=ConventionAdhesion.objects.values("communes"))
        if convention is not None:
            free |= Q(pk__in=convention.communes.values("pk"))
        self.fields["communes"].queryset = (
            Dossier.objects.pvd()
            .filter(pk__in=_communes_of_prefecture(user).values("pk"))
            .filter(free)
            .order_by("nom_recherche")
        )
        if convention is None:
            del self.fields["version"]


class ConventionCadreForm(VersionForm):
    communes = CommuneChoice(
        Commune.objects.none(),
        label="Communes couvertes",
        widget=forms.CheckboxSelectMultiple,
        help_text="Les communes de la convention d’adhésion dont elle porte le projet.",
    )
    orientations = forms.ModelMultipleChoiceField(
        Orientation.objects.all(),
        label="Orientations du projet de territoire",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args, adhesion: ConventionAdhesion, cadre: ConventionCadre | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = adhesion.communes.order_by("nom_recherche")
        if cadre is None:
            del self.fields["version"]
            self.fields["communes"].initial = list(adhesion.communes.all())


class SignatureForm(VersionForm):
    signee_le = forms.DateField(label="Signée le", widget=DATE)
    document = forms.FileField(
        label="Document signé",
        help_text="Le PDF de la convention signée, 20 Mo au plus.",
        validators=[validate_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class AvenantForm(BaseForm):
    objet = forms.CharField(label="Objet de l’avenant", widget=forms.Textarea(attrs={"rows": 3}))


class OrtHorsCadreForm(BaseForm):
    signee_le = forms.DateField(label="ORT signée le", widget=DATE)
    origine = forms.ChoiceField(
        label="Origine", choices=OrigineOrt.choices, initial=OrigineOrt.ANTERIEURE
    )
