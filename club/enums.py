"""The Club's vocabulary: kinds and states of events, of registrations, audience channels."""

from django.db import models

from communes.enums import Role
from pvd.workflows import Transition, Workflow


class TypeEvenement(models.TextChoices):
    SEMAINE_THEMATIQUE = "semaine_thematique", "Semaine thématique"
    WEBINAIRE = "webinaire", "Webinaire"
    FORMATION = "formation", "Session de formation"
    REUNION_CERCLE = "reunion_cercle", "Réunion de cercle thématique"
    VISITE = "visite", "Visite de terrain"


# The kinds of event a semaine thématique may group (not another week).
TYPES_DANS_UNE_SEMAINE = (
    TypeEvenement.WEBINAIRE,
    TypeEvenement.FORMATION,
    TypeEvenement.REUNION_CERCLE,
    TypeEvenement.VISITE,
)


class EtatEvenement(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    PROPOSE = "propose", "Proposé par une préfecture"
    PUBLIE = "publie", "Publié"
    ANNULE = "annule", "Annulé"


# Publishing belongs to the ANCT; a préfecture may withdraw its own proposal (the predicate
# `can_cancel_evenement` says which one).
EVENEMENT = Workflow(
    "etat",
    [
        Transition(
            "publier",
            "Publier l’événement",
            (EtatEvenement.BROUILLON, EtatEvenement.PROPOSE),
            EtatEvenement.PUBLIE,
            frozenset({Role.ANCT}),
        ),
        Transition(
            "annuler",
            "Annuler l’événement",
            (EtatEvenement.BROUILLON, EtatEvenement.PROPOSE, EtatEvenement.PUBLIE),
            EtatEvenement.ANNULE,
            frozenset({Role.ANCT, Role.PREFECTURE}),
        ),
    ],
)


class EtatInscription(models.TextChoices):
    INSCRIT = "inscrit", "Inscrit"
    ATTENTE = "attente", "En liste d’attente"
    ANNULEE = "annulee", "Annulée"


# The states that hold a registration (a place, or a rank on the waiting list).
ETATS_ACTIFS = (EtatInscription.INSCRIT, EtatInscription.ATTENTE)


class SourceInscription(models.TextChoices):
    PERSONNE = "personne", "Inscription par la personne"
    COLLEGUE = "collegue", "Inscription par un collègue"
    EQUIPE = "equipe", "Saisie par l’équipe du Club"
    IMPORT = "import", "Import de la liste des participants"


class OrigineParticipant(models.TextChoices):
    COMPTE = "compte", "Utilisateur du portail"
    COLLEGUE = "collegue", "Inscrit par un collègue"
    IMPORT = "import", "Invité (import de participants)"


class Canal(models.TextChoices):
    LINKEDIN = "linkedin", "LinkedIn (abonnés)"
    INFOLETTRE = "infolettre", "Infolettre mensuelle (destinataires)"
