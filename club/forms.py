"""Forms of the Club. Choices stay inside what the user may pick (a préfecture its
département, a territory its communes); the services check the rules again whatever a form
offered."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from club.enums import EtatEvenement, TypeEvenement
from club.models import Cercle, Evenement, ModuleFormation, Thematique, is_club_team
from club.permissions import prefecture_departements
from communes.enums import Role
from communes.models import Commune, Departement, Organisation
from communes.perimetre import Perimetre
from conventions.models import Dossier
from pvd.forms import BaseForm

# Agenda, events, registrations (views/agenda.py) ----------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
HEURE = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
PLUSIEURS = "Ctrl (ou Cmd) + clic pour en choisir plusieurs."


class CommuneChoice(forms.ModelChoiceField):
    def label_from_instance(self, commune) -> str:
        return f"{commune.nom} ({commune.code})"


class CommunesChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, commune) -> str:
        return f"{commune.nom} ({commune.code})"


def communes_du_programme(user, current=()):
    """The communes of the programme in the perimeter of `user`, and those already chosen
    (an event shows or welcomes PVD communes)."""
    programme = Dossier.objects.for_user(user).in_programme().values("pk")
    return Commune.objects.filter(
        Q(pk__in=programme) | Q(pk__in=[c.pk for c in current if c is not None])
    ).order_by("nom_recherche")


class CreneauForm(BaseForm):
    """A time slot typed as a date and times in Paris time (`debut`, `fin` once clean)."""

    debut_date = forms.DateField(label="Date de début", widget=DATE)
    debut_heure = forms.TimeField(label="Heure de début", widget=HEURE)
    # Without an end date, the slot ends on the day it begins (the template says so).
    fin_date = forms.DateField(label="Date de fin", widget=DATE, required=False)
    fin_heure = forms.TimeField(label="Heure de fin", widget=HEURE)

    def initial_creneau(self, debut: datetime, fin: datetime) -> None:
        debut, fin = timezone.localtime(debut), timezone.localtime(fin)
        self.initial.setdefault("debut_date", debut.date())
        self.initial.setdefault("debut_heure", debut.time())
        self.initial.setdefault("fin_date", fin.date())
        self.initial.setdefault("fin_heure", fin.time())

    def clean(self):
        cleaned = super().clean()
        day, start, end = (cleaned.get(n) for n in ("debut_date", "debut_heure", "fin_heure"))
        if day and start and end:
            cleaned["debut"] = timezone.make_aware(datetime.combine(day, start))
            end_day = cleaned.get("fin_date") or day
            cleaned["fin"] = timezone.make_aware(datetime.combine(end_day, end))
            if cleaned["fin"] <= cleaned["debut"]:
                self.add_error("fin_heure", "La fin doit venir après le début.")
        return cleaned

    def creneau(self) -> dict[str, datetime]:
        return {"debut": self.cleaned_data["debut"], "fin": self.cleaned_data["fin"]}


class EvenementForm(CreneauForm):
    type = forms.ChoiceField(
        label="Type d’événement",
        choices=[("", "Sélectionner un type"), *TypeEvenement.choices],
    )
    titre = forms.CharField(label="Titre", max_length=200)
    thematique = forms.ModelChoiceField(
        Thematique.objects.all(), label="Thématique", empty_label="Sélectionner une thématique"
    )
    semaine = forms.ModelChoiceField(
        Evenement.objects.none(),
        label="Semaine thématique",
        required=False,
        empty_label="—",
        help_text="Si l’événement fait partie d’une semaine thématique.",
    )
    cercle = forms.ModelChoiceField(
        Cercle.objects.none(),
        label="Cercle thématique",
        required=False,
        empty_label="—",
        help_text="Pour une réunion de cercle thématique, et seulement pour elle.",
    )
    lien = forms.URLField(
        label="Lien de connexion",
        required=False,
        assume_scheme="https",
        help_text="Pour un événement en ligne : il n’est donné qu’aux personnes inscrites.",
    )
    lieu = forms.CharField(
        label="Adresse", max_length=300, required=False, help_text="Pour un événement sur place."
    )
    commune = CommuneChoice(
        Commune.objects.none(), label="Commune d’accueil", required=False, empty_label="—"
    )
    departement = forms.ModelChoiceField(
        Departement.objects.none(),
        label="Département (événement local)",
        required=False,
        empty_label="— (événement national)",
    )
    organisateurs = forms.ModelMultipleChoiceField(
        Organisation.objects.all(),
        label="Organisateurs",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=PLUSIEURS,
    )
    copilotes = forms.ModelMultipleChoiceField(
        Organisation.objects.all(),
        label="Co-pilotes",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=PLUSIEURS,
    )
    capacite = forms.IntegerField(
        label="Nombre de places",
        min_value=1,
        required=False,
        help_text="Vide : sans limite. Au-delà, les personnes sont en liste d’attente.",
    )
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    communes_valorisees = CommunesChoice(
        Commune.objects.none(),
        label="Petites villes de demain valorisées",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Les communes dont l’expérience est présentée. " + PLUSIEURS,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    field_order = [
        "type",
        "titre",
        "thematique",
        "semaine",
        "cercle",
        "debut_date",
        "debut_heure",
        "fin_date",
        "fin_heure",
        "lien",
        "lieu",
        "commune",
        "departement",
        "organisateurs",
        "copilotes",
        "capacite",
        "description",
        "communes_valorisees",
    ]

    def __init__(self, *args, user, evenement: Evenement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        semaines = Evenement.objects.for_user(user).filter(type=TypeEvenement.SEMAINE_THEMATIQUE)
        if evenement is None:
            del self.fields["version"]
            semaines = semaines.exclude(etat=EtatEvenement.ANNULE).filter(fin__gte=timezone.now())
        else:
            semaines = semaines.exclude(pk=evenement.pk).filter(
                Q(etat__in=[EtatEvenement.BROUILLON, EtatEvenement.PROPOSE, EtatEvenement.PUBLIE])
                | Q(pk=evenement.semaine_id)
            )
            self.initial_creneau(evenement.debut, evenement.fin)
        self.fields["semaine"].queryset = semaines.order_by("debut")
        self.fields["cercle"].queryset = Cercle.objects.for_user(user).order_by("-debut")
        current = [] if evenement is None else [evenement.commune]
        valorisees = [] if evenement is None else list(evenement.communes_valorisees.all())
        self.fields["commune"].queryset = communes_du_programme(user, current)
        self.fields["communes_valorisees"].queryset = communes_du_programme(user, valorisees)
        if is_club_team(user):
            self.fields["departement"].queryset = Departement.objects.actuels().order_by("code")
        else:
            # A préfecture proposes local events of its own département.
            codes = prefecture_departements(user)
            self.fields["departement"].queryset = Departement.objects.filter(code__in=codes)
            self.fields["departement"].required = True
            self.fields["departement"].empty_label = None
            self.fields[
                "departement"
            ].help_text = "L’équipe du Club publie les événements que les préfectures proposent."

    def clean(self):
        cleaned = super().clean()
        type_ = cleaned.get("type")
        if cleaned.get("semaine") and type_ == TypeEvenement.SEMAINE_THEMATIQUE:
            self.add_error("semaine", "Une semaine thématique ne fait pas partie d’une autre.")
        if type_ == TypeEvenement.REUNION_CERCLE and not cleaned.get("cercle"):
            self.add_error("cercle", "Indiquez le cercle thématique dont c’est la réunion.")
        if type_ and type_ != TypeEvenement.REUNION_CERCLE and cleaned.get("cercle"):
            self.add_error(
                "cercle", "Seule une réunion de cercle thématique se rattache à un cercle."
            )
        if (
            type_
            and type_ != TypeEvenement.SEMAINE_THEMATIQUE
            and not (cleaned.get("lien") or cleaned.get("lieu"))
        ):
            raise ValidationError("Indiquez le lien de connexion ou l’adresse de l’événement.")
        return cleaned

    def service_kwargs(self) -> dict:
        """The keyword arguments of `create_evenement` / `update_evenement`."""
        data = self.cleaned_data
        names = [
            "type",
            "titre",
            "thematique",
            "semaine",
            "cercle",
            "lien",
            "lieu",
            "commune",
            "departement",
            "capacite",
            "description",
        ]
        return {
            **{name: data[name] for name in names},
            **self.creneau(),
            "organisateurs": list(data["organisateurs"]),
            "copilotes": list(data["copilotes"]),
            "communes_valorisees": list(data["communes_valorisees"]),
        }


def evenement_initial(evenement: Evenement) -> dict:
    """The edit form's values: the event as it is now."""
    return {
        "type": evenement.type,
        "titre": evenement.titre,
        "thematique": evenement.thematique_id,
        "semaine": evenement.semaine_id,
        "cercle": evenement.cercle_id,
        "lien": evenement.lien,
        "lieu": evenement.lieu,
        "commune": evenement.commune_id,
        "departement": evenement.departement_id,
        "organisateurs": list(evenement.organisateurs.all()),
        "copilotes": list(evenement.copilotes.all()),
        "capacite": evenement.capacite,
        "description": evenement.description,
        "communes_valorisees": list(evenement.communes_valorisees.all()),
        "version": evenement.version,
    }


class ModuleForm(CreneauForm):
    numero = forms.IntegerField(label="Numéro du module", min_value=1)
    titre = forms.CharField(label="Titre", max_length=200)

    field_order = ["numero", "titre", "debut_date", "debut_heure", "fin_date", "fin_heure"]

    def __init__(self, *args, session: Evenement, module: ModuleFormation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if module is not None:
            self.initial.setdefault("numero", module.numero)
            self.initial.setdefault("titre", module.titre)
            self.initial_creneau(module.debut, module.fin)
        else:
            # The next number, on the session's first day by default.
            numeros = [m.numero for m in session.modules.all()]
            self.initial.setdefault("numero", max(numeros, default=0) + 1)
            debut = timezone.localtime(session.debut)
            self.initial.setdefault("debut_date", debut.date())
            self.initial.setdefault("debut_heure", debut.time())
            self.initial.setdefault("fin_heure", (debut + timedelta(hours=1)).time())


class AnnulationForm(BaseForm):
    motif = forms.CharField(
        label="Motif de l’annulation",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Il est envoyé aux personnes inscrites et affiché sur la page de l’événement.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def communes_inscriptibles(user):
    """The communes `user` may register a colleague from: its territory as a commune, an
    EPCI or a préfecture; the programme's communes for the Club team."""
    if is_club_team(user):
        return Dossier.objects.in_programme().order_by("nom_recherche")
    perimetre = Perimetre.from_habilitations(
        h for h in user.habilitations_list if h.role in (Role.COMMUNE, Role.EPCI, Role.PREFECTURE)
    )
    if perimetre.is_empty:
        return Commune.objects.none()
    return Commune.objects.actuels().filter(perimetre.communes_q()).order_by("nom_recherche")


class InscriptionCollegueForm(BaseForm):
    email = forms.EmailField(label="Adresse électronique")
    prenom = forms.CharField(label="Prénom", max_length=150)
    nom = forms.CharField(label="Nom", max_length=150)
    commune = CommuneChoice(
        Commune.objects.none(),
        label="Commune",
        required=False,
        empty_label="—",
        help_text="La commune pour laquelle votre collègue travaille, s’il y a lieu.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes = communes_inscriptibles(user)
        if not communes.exists():
            del self.fields["commune"]
            return
        self.fields["commune"].queryset = communes
        own = [h.commune_id for h in user.habilitations_list if h.role == Role.COMMUNE]
        if len(own) == 1:
            self.initial.setdefault("commune", own[0])

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()
