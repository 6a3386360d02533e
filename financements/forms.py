"""Forms of pillar 2. Choices stay inside the user's perimeter (and, for a partner, its
organisations' sources and mesures); the services check the rules again whatever a form
offered."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from dsfr.utils import dsfr_input_class_attr

from communes.enums import Role
from communes.models import Commune, Departement
from conventions.models import Dossier, Orientation
from financements.enums import EtatAction, TypeAction, TypeLabel
from financements.models import Action, Financement, Mesure, SourceFinancement
from financements.permissions import partner_organisations
from financements.services import Decision
from pvd.forms import BaseForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EUROS = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}


class MontantField(forms.DecimalField):
    """An amount in euros as French people type it: "12 500,50", "12500.50", "12 500 €"."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def __init__(self, **kwargs):
        super().__init__(**{**EUROS, **kwargs})

    def to_python(self, value):
        if isinstance(value, str):
            for space in (" ", "\u00a0", "\u202f", "€"):
                value = value.replace(space, "")
            value = value.replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return str(value).replace(".", ",")
        return value


class CommuneChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, commune) -> str:
        return f"{commune.nom} ({commune.code})"


def communes_choices(user, current=()):
    """The communes of the programme in the perimeter of `user`, and those already chosen."""
    programme = Dossier.objects.for_user(user).in_programme().values("pk")
    return Commune.objects.filter(Q(pk__in=programme) | Q(pk__in=[c.pk for c in current])).order_by(
        "nom_recherche"
    )


class VersionForm(BaseForm):
    """Carries the version of the object the form was opened on (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


# Financing lines ----------------------------------------------------------------------------------


class FinancementForm(VersionForm):
    source = forms.ModelChoiceField(
        SourceFinancement.objects.none(),
        label="Source de financement",
        required=False,
        empty_label="—",
        help_text="Une source (DETR, DSIL, Fonds friches…) ou une mesure du programme, "
        "pas les deux.",
    )
    mesure = forms.ModelChoiceField(
        Mesure.objects.none(), label="Mesure du programme", required=False, empty_label="—"
    )
    communes = CommuneChoice(
        Commune.objects.none(),
        label="Communes bénéficiaires",
        help_text="Une ligne partagée par plusieurs communes compte entière pour chacune.",
    )
    objet = forms.CharField(label="Objet", max_length=255)
    annee = forms.IntegerField(label="Année", min_value=2020, max_value=2100)
    montant_demande = MontantField(label="Montant demandé (€)")
    action = forms.ModelChoiceField(
        Action.objects.none(), label="Action financée", required=False, empty_label="—"
    )

    def __init__(self, *args, user, financement: Financement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = list(financement.communes.all()) if financement else []
        self.fields["communes"].queryset = communes_choices(user, current)
        self.fields["action"].queryset = (
            Action.objects.for_user(user).select_related("orientation").order_by("titre")
        )
        if financement is None:
            del self.fields["version"]
            sources = SourceFinancement.objects.filter(active=True).select_related("financeur")
            mesures = Mesure.objects.filter(active=True).select_related("partenaire")
            if not user.has_role(Role.PREFECTURE):
                # A partner records only its organisations' lines.
                organisations = partner_organisations(user)
                sources = sources.filter(financeur__in=organisations)
                mesures = mesures.filter(partenaire__in=organisations)
            self.fields["source"].queryset = sources
            self.fields["mesure"].queryset = mesures
            self.fields["annee"].initial = timezone.localdate().year
        else:
            # The organisation of a line does not change: record another line instead.
            del self.fields["source"], self.fields["mesure"]

    def clean(self):
        cleaned = super().clean()
        if "source" in self.fields and bool(cleaned.get("source")) == bool(cleaned.get("mesure")):
            raise ValidationError(
                "Choisissez une source de financement ou une mesure, et une seule."
            )
        return cleaned


class DecisionFinancementForm(BaseForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("accorder", "Accordé"), ("refuser", "Refusé")],
        widget=forms.RadioSelect,
    )
    montant_accorde = MontantField(
        label="Montant accordé (€)", required=False, help_text="Si accordé."
    )
    decide_le = forms.DateField(label="Décidé le", widget=DATE, initial=timezone.localdate)
    commentaire = forms.CharField(
        label="Commentaire", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "accorder" and cleaned.get("montant_accorde") is None:
            self.add_error("montant_accorde", "Indiquez le montant accordé.")
        return cleaned


class VersementForm(BaseForm):
    verse_le = forms.DateField(label="Versé le", widget=DATE, initial=timezone.localdate)
    montant = MontantField(label="Montant versé (€)")


# Comités des financeurs ---------------------------------------------------------------------------


class ComiteForm(BaseForm):
    departement = forms.ModelChoiceField(Departement.objects.none(), label="Département")
    date = forms.DateField(label="Date de la séance", widget=DATE)
    intitule = forms.CharField(label="Intitulé", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        codes = [h.departement_id for h in user.habilitations_list if h.role == Role.PREFECTURE]
        self.fields["departement"].queryset = Departement.objects.filter(code__in=codes)
        if len(codes) == 1:
            self.fields["departement"].initial = codes[0]


class FinancementChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, financement) -> str:
        from pvd.text import euros

        communes = ", ".join(c.nom for c in financement.communes.all())
        return f"{financement} — {communes} — {euros(financement.montant_demande)}"


class InscriptionForm(BaseForm):
    financements = FinancementChoice(
        Financement.objects.none(),
        label="Demandes à inscrire à l’ordre du jour",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financements"].queryset = candidates


class DecisionsComiteForm(BaseForm):
    """The decisions of one session on the requests of its agenda, all at once: one choice
    and one amount per request."""

    CHOIX = [("", "Pas de décision"), ("accorder", "Accordé"), ("refuser", "Refusé")]
    commentaire = forms.CharField(label="Commentaire commun aux décisions", required=False)

    def __init__(self, *args, financements, **kwargs):
        super().__init__(*args, **kwargs)
        self.financements = {str(f.pk): f for f in financements}
        for pk, financement in self.financements.items():
            self.fields[f"decision_{pk}"] = forms.ChoiceField(
                label=f"Décision sur « {financement} »", choices=self.CHOIX, required=False
            )
            self.fields[f"montant_{pk}"] = MontantField(
                label=f"Montant accordé pour « {financement} » (€)",
                required=False,
                initial=financement.montant_demande,
            )

    def lignes(self):
        """(financement, its decision field, its amount field) for the template's table."""
        return [
            (f, self[f"decision_{pk}"], self[f"montant_{pk}"])
            for pk, f in self.financements.items()
        ]

    def clean(self):
        cleaned = super().clean()
        chosen = False
        for pk in self.financements:
            decision = cleaned.get(f"decision_{pk}")
            chosen = chosen or bool(decision)
            if decision == "accorder" and cleaned.get(f"montant_{pk}") is None:
                self.add_error(f"montant_{pk}", "Indiquez le montant accordé.")
        if not chosen:
            raise ValidationError("Indiquez la décision d’au moins une demande.")
        return cleaned

    def decisions(self) -> list[Decision]:
        return [
            Decision(
                financement=financement,
                accorde=self.cleaned_data[f"decision_{pk}"] == "accorder",
                montant_accorde=self.cleaned_data.get(f"montant_{pk}"),
            )
            for pk, financement in self.financements.items()
            if self.cleaned_data.get(f"decision_{pk}")
        ]


# Actions ------------------------------------------------------------------------------------------


class ActionForm(VersionForm):
    titre = forms.CharField(label="Titre", max_length=200)
    communes = CommuneChoice(Commune.objects.none(), label="Communes concernées")
    orientation = forms.ModelChoiceField(Orientation.objects.all(), label="Orientation")
    type = forms.ChoiceField(label="Type d’action", choices=TypeAction.choices)
    etat = forms.ChoiceField(label="État", choices=EtatAction.choices)
    budget = MontantField(label="Budget prévisionnel (€)", required=False)
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, user, action: Action | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = list(action.communes.all()) if action else []
        self.fields["communes"].queryset = communes_choices(user, current)
        if action is None:
            del self.fields["version"]


# Labels -------------------------------------------------------------------------------------------


class LabelForm(BaseForm):
    commune = forms.ModelChoiceField(Commune.objects.none(), label="Commune")
    type = forms.ChoiceField(label="Label", choices=TypeLabel.choices)
    nom = forms.CharField(
        label="Nom", max_length=200, required=False, help_text="Par exemple : France Services de…"
    )
    debut = forms.DateField(label="Depuis le", widget=DATE)
    fin = forms.DateField(label="Jusqu’au", widget=DATE, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_choices(user)
        self.fields["commune"].label_from_instance = lambda c: f"{c.nom} ({c.code})"


class FinLabelForm(BaseForm):
    fin = forms.DateField(label="Fin du label le", widget=DATE, initial=timezone.localdate)


# The catalogue ------------------------------------------------------------------------------------


def _field(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class CatalogueForm(BaseForm):
    """The fields of a catalogue model, and a code unique among them."""

    model = None
    field_names: list[str] = []

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial", forms.models.model_to_dict(instance, fields=self.field_names)
            )
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(self.model, fields=self.field_names, formfield_callback=_field)
        )
        for name in self.field_names:  # added after DsfrBaseForm styled the declared ones
            dsfr_input_class_attr(self[name])
        self.fields["code"].help_text = "Identifiant dans les adresses : minuscules et tirets."

    def clean_code(self):
        code = self.cleaned_data["code"]
        others = self.model.objects.filter(code=code)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError("Ce code est déjà pris.")
        return code


class MesureForm(CatalogueForm):
    model = Mesure
    field_names = [
        "code",
        "titre",
        "partenaire",
        "pilier",
        "orientation",
        "description",
        "conditions",
        "url",
        "cle",
        "active",
    ]


class SourceForm(CatalogueForm):
    model = SourceFinancement
    field_names = ["code", "nom", "sigle", "categorie", "financeur", "region", "departement"]
    field_names += ["active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].label = "Région (fonds régional)"
        self.fields["departement"].label = "Département (fonds départemental)"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("region") and cleaned.get("departement"):
            raise ValidationError(
                "Une source relève d’une région ou d’un département, pas des deux."
            )
        return cleaned
