"""Forms of pillar 1. Choices stay inside the user's perimeter (and, for a partner, its own
organisations); the services check the rules again whatever a form offered: the 75 % cap, the
Anah's OPAH-RU, who may record what."""

from decimal import Decimal

from django import forms

from communes.enums import Role
from communes.models import EPCI, Commune, Departement, Organisation
from communes.perimetre import Perimetre
from conventions.forms import DATE, CommuneChoice, VersionForm
from conventions.models import ConventionAdhesion, Dossier
from financements.enums import TypeAction
from financements.models import Action, Mesure
from financements.permissions import partner_organisations
from ingenierie.enums import EtatPoste, EtatSoutien, NatureSoutien, Unite
from pvd.forms import BaseForm, FilterForm

EUROS = {"min_value": Decimal("0"), "max_digits": 14, "decimal_places": 2}


def _communes_where(user, *roles: Role):
    """The programme's communes covered by the user's habilitations of `roles`."""
    habilitations = [h for h in user.habilitations_list if h.role in roles]
    perimetre = Perimetre.from_habilitations(habilitations)
    if not habilitations:
        return Dossier.objects.none()
    return Dossier.objects.actuels().pvd().filter(perimetre.communes_q()).order_by("nom_recherche")


def _tous(label: str, choices) -> list:
    return [("", label), *choices]


# Chefs de projet ----------------------------------------------------------------------------------


class PosteFilterForm(FilterForm):
    etat = forms.ChoiceField(
        label="État", choices=_tous("Tous les états", EtatPoste.choices), required=False
    )
    departement = forms.ModelChoiceField(
        Departement.objects.none(),
        label="Département",
        empty_label="Tous les départements",
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = Departement.objects.actuels().for_user(user)


class OpahRuChoice(forms.ModelChoiceField):
    def label_from_instance(self, action) -> str:
        return f"{action.titre} ({action.get_etat_display().lower()})"


class PosteForm(VersionForm):
    """A post's communes, employer, cost and co-financing (its life goes through transitions;
    the holder's fields appear once the post has had one, to correct them)."""

    communes = CommuneChoice(
        Commune.objects.none(),
        label="Communes",
        help_text="La commune du poste, ou les communes d’une même convention d’adhésion qui le "
        "partagent (maintenez Ctrl ou ⌘ pour en choisir plusieurs).",
    )
    adhesion = forms.ModelChoiceField(
        ConventionAdhesion.objects.none(),
        label="Convention d’adhésion",
        required=False,
        help_text="Obligatoire pour un poste partagé par plusieurs communes.",
    )
    employeur_commune = forms.ModelChoiceField(
        Commune.objects.none(),
        label="Employeur : la commune",
        required=False,
        help_text="L’employeur est la commune ou l’EPCI : remplissez l’un des deux champs.",
    )
    employeur_epci = forms.ModelChoiceField(
        EPCI.objects.none(), label="Employeur : l’EPCI", required=False
    )
    cout_annuel = forms.DecimalField(label="Coût annuel du poste (€)", **EUROS)
    subvention_anct = forms.DecimalField(label="Subvention de l’ANCT (€ par an)", **EUROS)
    subvention_bdt = forms.DecimalField(
        label="Subvention de la Banque des Territoires (€ par an)", **EUROS
    )
    subvention_etat = forms.DecimalField(label="Subvention de l’État (€ par an)", **EUROS)
    subvention_anah = forms.DecimalField(
        label="Subvention de l’Anah (€ par an)",
        help_text="Seulement si le territoire mène une OPAH-RU en phase pré-opérationnelle ou "
        "opérationnelle.",
        **EUROS,
    )
    opah_ru = OpahRuChoice(
        Action.objects.none(),
        label="OPAH-RU justifiant la part de l’Anah",
        empty_label="Aucune",
        required=False,
    )
    titulaire_nom = forms.CharField(label="Nom du titulaire", max_length=200, required=False)
    titulaire_email = forms.EmailField(label="Adresse électronique du titulaire", required=False)
    debut = forms.DateField(label="Prise de poste", widget=DATE, required=False)
    fin = forms.DateField(label="Fin de poste", widget=DATE, required=False)

    TITULAIRE = ("titulaire_nom", "titulaire_email", "debut", "fin")
    SUBVENTIONS = ("subvention_anct", "subvention_bdt", "subvention_etat", "subvention_anah")

    def __init__(self, *args, user, poste=None, **kwargs):
        super().__init__(*args, **kwargs)
        communes = _communes_where(user, Role.PREFECTURE)
        if poste is not None:
            # The post's current communes stay choosable, whatever happened to them since.
            communes = Dossier.objects.filter(
                pk__in=[
                    *communes.values_list("pk", flat=True),
                    *(c.pk for c in poste.communes.all()),
                ]
            ).order_by("nom_recherche")
        self.fields["communes"].queryset = communes
        self.fields["employeur_commune"].queryset = communes
        self.fields["employeur_epci"].queryset = EPCI.objects.actuels().for_user(user)
        self.fields["adhesion"].queryset = ConventionAdhesion.objects.for_user(user).order_by("pk")
        self.fields["opah_ru"].queryset = (
            Action.objects.for_user(user).filter(type=TypeAction.OPAH_RU).order_by("titre")
        )
        for name in self.SUBVENTIONS:
            self.fields[name].required = False
            self.fields[name].initial = Decimal("0")
        if poste is None:
            del self.fields["version"]
        if poste is None or poste.etat in (EtatPoste.A_RECRUTER, EtatPoste.EN_RECRUTEMENT):
            for name in self.TITULAIRE:
                del self.fields[name]
        elif poste.etat == EtatPoste.OCCUPE:
            self.fields["titulaire_nom"].required = True
            self.fields["debut"].required = True

    def clean(self):
        cleaned = super().clean()
        for name in self.SUBVENTIONS:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = Decimal("0")
        debut, fin = cleaned.get("debut"), cleaned.get("fin")
        if debut and fin and fin < debut:
            self.add_error("fin", "La fin de poste ne peut pas précéder la prise de poste.")
        return cleaned


class TransitionForm(BaseForm):
    commentaire = forms.CharField(
        label="Commentaire", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PourvoirForm(TransitionForm):
    titulaire_nom = forms.CharField(label="Nom du chef de projet recruté", max_length=200)
    titulaire_email = forms.EmailField(label="Son adresse électronique", required=False)
    debut = forms.DateField(label="Prise de poste le", widget=DATE)

    field_order = ["titulaire_nom", "titulaire_email", "debut", "commentaire"]


class LibererForm(TransitionForm):
    fin = forms.DateField(label="Fin de poste le", widget=DATE)

    field_order = ["fin", "commentaire"]


class VtaForm(BaseForm):
    titulaire_nom = forms.CharField(label="Nom du volontaire", max_length=200)
    mission = forms.CharField(max_length=255, required=False)
    debut = forms.DateField(label="Début", widget=DATE)
    fin = forms.DateField(label="Fin", widget=DATE, required=False)


# Soutiens en ingénierie ---------------------------------------------------------------------------


class SoutienFilterForm(FilterForm):
    organisation = forms.ModelChoiceField(
        Organisation.objects.filter(soutiens_ingenierie__isnull=False).distinct(),
        label="Partenaire",
        empty_label="Tous les partenaires",
        required=False,
    )
    nature = forms.ChoiceField(
        label="Nature", choices=_tous("Toutes les natures", NatureSoutien.choices), required=False
    )
    etat = forms.ChoiceField(
        label="État", choices=_tous("Tous les états", EtatSoutien.choices), required=False
    )


class SoutienForm(VersionForm):
    """A soutien's amount is in euros or in days (the Cerema's unit), one or the other: they
    never add up."""

    organisation = forms.ModelChoiceField(Organisation.objects.none(), label="Partenaire")
    communes = CommuneChoice(
        Commune.objects.none(),
        label="Communes bénéficiaires",
        help_text="Maintenez Ctrl ou ⌘ pour en choisir plusieurs.",
    )
    nature = forms.ChoiceField(label="Nature", choices=NatureSoutien.choices)
    objet = forms.CharField(label="Objet", max_length=255)
    unite = forms.ChoiceField(
        label="Unité",
        choices=Unite.choices,
        widget=forms.RadioSelect,
        help_text="Le Cerema compte ses interventions en jours ; les autres partenaires en euros.",
    )
    quantite = forms.DecimalField(
        label="Montant ou nombre de jours",
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        help_text="En euros, ou en jours (par demi-journées : 2,5).",
    )
    mesure = forms.ModelChoiceField(
        Mesure.objects.filter(active=True), label="Mesure de l’offre", required=False
    )
    debut = forms.DateField(label="Début", widget=DATE, required=False)
    fin = forms.DateField(label="Fin", widget=DATE, required=False)
    etat = forms.ChoiceField(label="État", choices=EtatSoutien.choices, initial=EtatSoutien.ENGAGE)

    def __init__(self, *args, user, soutien=None, **kwargs):
        super().__init__(*args, **kwargs)
        communes = Dossier.objects.for_user(user).pvd().order_by("nom_recherche")
        if soutien is None:
            del self.fields["version"]
            organisations = Organisation.objects.all()
            if not user.has_role(Role.PREFECTURE):
                organisations = organisations.filter(pk__in=partner_organisations(user))
            self.fields["organisation"].queryset = organisations
        else:
            # The partner of a soutien does not change (the service refuses it too).
            del self.fields["organisation"]
            communes = Dossier.objects.filter(
                pk__in=[
                    *communes.values_list("pk", flat=True),
                    *(c.pk for c in soutien.communes.all()),
                ]
            ).order_by("nom_recherche")
        self.fields["communes"].queryset = communes

    def clean(self):
        cleaned = super().clean()
        unite, quantite = cleaned.get("unite"), cleaned.get("quantite")
        if quantite is not None and quantite <= 0:
            self.add_error("quantite", "Indiquez une quantité positive.")
        elif (
            unite == Unite.JOURS
            and quantite is not None
            and quantite != quantite.quantize(Decimal("0.1"))
        ):
            self.add_error("quantite", "Un nombre de jours a une décimale au plus (2,5).")
        debut, fin = cleaned.get("debut"), cleaned.get("fin")
        if debut and fin and fin < debut:
            self.add_error("fin", "La fin ne peut pas précéder le début.")
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned data as the services take them: the quantity in its unit's field."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        unite, quantite = data.pop("unite"), data.pop("quantite")
        data["montant_euros"] = quantite if unite == Unite.EUROS else None
        data["nombre_jours"] = quantite if unite == Unite.JOURS else None
        return data


# Besoins ------------------------------------------------------------------------------------------


class BesoinsForm(BaseForm):
    chef_de_projet = forms.BooleanField(label="Financement du chef de projet", required=False)
    etudes = forms.BooleanField(label="Financement d’études opérationnelles", required=False)
    investissements = forms.BooleanField(label="Financement des investissements", required=False)
    precisions = forms.CharField(
        label="Précisions", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
