from django.db import models

from communes.enums import Role
from pvd.workflows import Transition, Workflow


class EtatPoste(models.TextChoices):
    A_RECRUTER = "a_recruter", "À recruter"
    EN_RECRUTEMENT = "en_recrutement", "En recrutement"
    OCCUPE = "occupe", "Occupé"
    VACANT = "vacant", "Vacant"


class Cofinanceur(models.TextChoices):
    """Who may co-finance a chef de projet post (up to 75 % of its cost, together)."""

    ANCT = "anct", "ANCT"
    BANQUE_DES_TERRITOIRES = "bdt", "Banque des Territoires"
    ETAT = "etat", "État"
    ANAH = "anah", "Anah"


# The co-financers' shares are columns of the post, so that the database can check their sum.
CHAMPS_COFINANCEMENT = {
    Cofinanceur.ANCT: "subvention_anct",
    Cofinanceur.BANQUE_DES_TERRITOIRES: "subvention_bdt",
    Cofinanceur.ETAT: "subvention_etat",
    Cofinanceur.ANAH: "subvention_anah",
}

TAUX_MAXIMAL_SUBVENTION = "0.75"


class NatureSoutien(models.TextChoices):
    ETUDE = "etude", "Étude"
    AMO = "amo", "Assistance à maîtrise d’ouvrage"
    DIAGNOSTIC = "diagnostic", "Diagnostic"
    ATELIER_TERRITOIRES = "atelier_territoires", "Atelier des territoires"
    FORMATION = "formation", "Formation"
    CO_CONSTRUCTION = "co_construction", "Co-construction"
    AUTRE = "autre", "Autre"


class EtatSoutien(models.TextChoices):
    ENVISAGE = "envisage", "Envisagé"
    ENGAGE = "engage", "Engagé"
    EN_COURS = "en_cours", "En cours"
    TERMINE = "termine", "Terminé"
    ABANDONNE = "abandonne", "Abandonné"


class Unite(models.TextChoices):
    EUROS = "euros", "Euros"
    JOURS = "jours", "Jours d’intervention"


RECRUTEMENT = frozenset({Role.PREFECTURE})

# The life of a chef de projet post: à recruter → en recrutement → occupé → vacant → en
# recrutement again. The préfecture records it.
POSTE = Workflow(
    "etat",
    [
        Transition(
            "recruter",
            "Ouvrir le recrutement",
            (EtatPoste.A_RECRUTER, EtatPoste.VACANT),
            EtatPoste.EN_RECRUTEMENT,
            RECRUTEMENT,
        ),
        Transition(
            "pourvoir",
            "Pourvoir le poste",
            (EtatPoste.EN_RECRUTEMENT,),
            EtatPoste.OCCUPE,
            RECRUTEMENT,
        ),
        Transition(
            "liberer",
            "Déclarer le poste vacant",
            (EtatPoste.OCCUPE,),
            EtatPoste.VACANT,
            RECRUTEMENT,
        ),
    ],
)
