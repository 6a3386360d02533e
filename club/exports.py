"""The lists of the Club that export (CSV, XLSX): the events of the agenda, and the
registrations (all those the user sees, or one event's). See `pvd.exports.base`."""

from django import forms
from django.db.models import Count, Q

from club.enums import EtatInscription
from club.filters import AgendaFilter
from club.forms_gestion import FiltreInscriptionsForm
from club.models import Evenement, Inscription
from pvd.exports.base import Colonne, ListeExportable


def _evenements(user):
    return (
        Evenement.objects.for_user(user)
        .published()
        .select_related("thematique", "commune", "departement")
        .annotate(
            nb_inscrits=Count("inscriptions", filter=Q(inscriptions__etat=EtatInscription.INSCRIT))
        )
        .order_by("debut", "pk")
    )


EVENEMENTS = ListeExportable(
    cle="evenements",
    titre="Événements du Club",
    colonnes=(
        Colonne("numero", "N°", lambda e: e.pk),
        Colonne("titre", "Titre", lambda e: e.titre),
        Colonne("type", "Type", lambda e: e.get_type_display()),
        Colonne("thematique", "Thématique", lambda e: e.thematique.libelle if e.thematique else ""),
        Colonne("debut", "Début", lambda e: e.debut),
        Colonne("fin", "Fin", lambda e: e.fin),
        Colonne("lieu", "Adresse", lambda e: e.lieu),
        Colonne("commune", "Commune d’accueil", lambda e: e.commune.nom if e.commune else ""),
        Colonne(
            "departement",
            "Département (événement local)",
            lambda e: e.departement.nom if e.departement else "",
        ),
        Colonne("capacite", "Places", lambda e: e.capacite),
        Colonne("inscrits", "Inscrits", lambda e: e.nb_inscrits),
        Colonne("etat", "État", lambda e: e.get_etat_display()),
    ),
    objets=_evenements,
    # The agenda's filter, always bound: without a filter, the events to come.
    filtrer=lambda data, queryset, user: AgendaFilter(data, queryset=queryset).qs,
    url_liste="club:agenda",
)


class FiltreExportInscriptions(FiltreInscriptionsForm):
    """The filter of an event's registrations, and the event (absent: every event)."""

    evenement = forms.IntegerField(required=False, widget=forms.HiddenInput)


def filtrer_inscriptions(data, inscriptions, user):
    filtre = FiltreExportInscriptions(data or None)
    if filtre.is_valid():
        if evenement := filtre.cleaned_data["evenement"]:
            inscriptions = inscriptions.filter(evenement=evenement)
        if etat := filtre.cleaned_data["etat"]:
            inscriptions = inscriptions.filter(etat=etat)
    return inscriptions


def _inscriptions(user):
    return (
        Inscription.objects.for_user(user)
        .select_related(
            "evenement",
            "participant__commune",
            "participant__organisation",
            "inscrit_par",
        )
        .order_by("evenement__debut", "evenement", "participant__nom", "participant__prenom", "pk")
    )


def _present(inscription) -> str:
    return {True: "présent", False: "absent"}.get(inscription.present, "")


INSCRIPTIONS = ListeExportable(
    cle="inscriptions",
    titre="Inscriptions aux événements du Club",
    colonnes=(
        Colonne("evenement", "Événement", lambda i: i.evenement.titre),
        Colonne("debut", "Début de l’événement", lambda i: i.evenement.debut),
        Colonne("nom", "Nom", lambda i: i.participant.nom),
        Colonne("prenom", "Prénom", lambda i: i.participant.prenom),
        Colonne("email", "Adresse électronique", lambda i: i.participant.email),
        Colonne(
            "commune",
            "Commune",
            lambda i: i.participant.commune.nom if i.participant.commune else "",
        ),
        Colonne(
            "code_commune",
            "Code INSEE",
            lambda i: i.participant.commune_id or "",
        ),
        Colonne(
            "organisation",
            "Organisation",
            lambda i: i.participant.organisation.nom if i.participant.organisation else "",
        ),
        Colonne("etat", "État de l’inscription", lambda i: i.get_etat_display()),
        Colonne("demandee_le", "Demandée le", lambda i: i.demandee_le),
        Colonne(
            "inscrit_par", "Inscrit par", lambda i: i.inscrit_par.email if i.inscrit_par else ""
        ),
        Colonne("present", "Présence", _present),
    ),
    objets=_inscriptions,
    filtrer=filtrer_inscriptions,
    url_liste="club:agenda",
)

LISTES = [EVENEMENTS, INSCRIPTIONS]
