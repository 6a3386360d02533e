from django.db import models

from communes.enums import Role
from pvd.workflows import Transition, Workflow


class EtatCandidature(models.TextChoices):
    DEPOSEE = "deposee", "Déposée"
    INSTRUITE = "instruite", "Instruite"
    RETENUE = "retenue", "Retenue"
    NON_RETENUE = "non_retenue", "Non retenue"
    RETIREE = "retiree", "Retirée"


class Avis(models.TextChoices):
    FAVORABLE = "favorable", "Favorable"
    DEFAVORABLE = "defavorable", "Défavorable"


class EtatConvention(models.TextChoices):
    EN_PREPARATION = "en_preparation", "En préparation"
    SIGNEE = "signee", "Signée"


class PresidenceComite(models.TextChoices):
    UNIQUE = "unique", "Présidence unique"
    MAIRES_EPCI = "maires_epci", "Co-présidé par le ou les maires et le président de l’EPCI"
    MAIRES = "maires", "Co-présidé par les maires"


class Etape(models.TextChoices):
    """Where a commune stands in the programme; derived, never stored."""

    CANDIDATE = "candidate", "Candidate"
    LAUREATE = "laureate", "Lauréate"
    ADHESION_SIGNEE = "adhesion_signee", "Convention d’adhésion signée"
    ORT_SIGNEE = "ort_signee", "ORT signée"


class OrigineOrt(models.TextChoices):
    ANTERIEURE = "anterieure", "ORT signée avant la convention d’adhésion"
    LISTE_NATIONALE = "liste_nationale", "ORT connue par la liste nationale, sans convention-cadre"


class Echeance(models.TextChoices):
    """The state of the projet de territoire's 18-month deadline."""

    A_VENIR = "a_venir", "À venir"
    PROCHE = "proche", "À échéance dans 90 jours"
    EN_RETARD = "en_retard", "En retard"
    TENUE = "tenue", "Achevé"


# The workflows: one table of transitions each (name, label, from, to, which roles may fire it
# on the communes of their perimeter).
CANDIDATURE = Workflow(
    "etat",
    [
        Transition(
            "instruire",
            "Instruire",
            (EtatCandidature.DEPOSEE,),
            EtatCandidature.INSTRUITE,
            frozenset({Role.PREFECTURE}),
        ),
        Transition(
            "retenir",
            "Retenir (décision du comité régional)",
            (EtatCandidature.INSTRUITE,),
            EtatCandidature.RETENUE,
            frozenset({Role.PREFECTURE, Role.REGION}),
        ),
        Transition(
            "ne_pas_retenir",
            "Ne pas retenir (décision du comité régional)",
            (EtatCandidature.INSTRUITE,),
            EtatCandidature.NON_RETENUE,
            frozenset({Role.PREFECTURE, Role.REGION}),
        ),
        Transition(
            "retirer",
            "Retirer la candidature",
            (EtatCandidature.DEPOSEE, EtatCandidature.INSTRUITE),
            EtatCandidature.RETIREE,
            frozenset({Role.PREFECTURE}),
        ),
    ],
)

CONVENTION = Workflow(
    "etat",
    [
        Transition(
            "signer",
            "Signer",
            (EtatConvention.EN_PREPARATION,),
            EtatConvention.SIGNEE,
            frozenset({Role.PREFECTURE}),
        ),
    ],
)
