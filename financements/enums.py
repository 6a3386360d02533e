from django.db import models

from communes.enums import Role
from pvd.workflows import Transition, Workflow


class Pilier(models.TextChoices):
    INGENIERIE = "ingenierie", "Soutien en ingénierie"
    MESURES = "mesures", "Mesures thématiques ciblées"
    RESEAU = "reseau", "Réseau (Club Petites villes de demain)"


class CategorieSource(models.TextChoices):
    DOTATION = "dotation", "Dotation de l’État"
    FONDS = "fonds", "Fonds de l’État"
    COMMERCE = "commerce", "Mesure d’urgence commerce de la Banque des Territoires"
    RELANCE = "relance", "Plan de relance"
    PARTENAIRE = "partenaire", "Aide d’un partenaire"
    REGION = "region", "Fonds régional"
    DEPARTEMENT = "departement", "Fonds départemental"


class EtatFinancement(models.TextChoices):
    DEMANDE = "demande", "Demandé"
    ACCORDE = "accorde", "Accordé"
    REFUSE = "refuse", "Refusé"
    VERSE = "verse", "Versé"


class Decideur(models.TextChoices):
    COMITE_FINANCEURS = "comite_financeurs", "Comité des financeurs"
    COMITE_SOURCE = "comite_source", "Comité propre au financeur"


class TypeAction(models.TextChoices):
    EQUIPEMENT_CULTUREL = "equipement_culturel", "Équipement culturel"
    EQUIPEMENT_MEDICO_SOCIAL = "equipement_medico_social", "Équipement médico-social"
    EQUIPEMENT_SPORTIF = "equipement_sportif", "Équipement sportif"
    TIERS_LIEU = "tiers_lieu", "Tiers-lieu"
    COMMERCE = "commerce", "Commerce"
    OPAH = "opah", "Habitat : OPAH"
    OPAH_RU = "opah_ru", "Habitat : OPAH-RU"
    ESPACE_PUBLIC = "espace_public", "Espace public"
    MOBILITE = "mobilite", "Mobilité"
    PATRIMOINE = "patrimoine", "Patrimoine"
    NUMERIQUE = "numerique", "Numérique"
    FRICHE = "friche", "Reconversion de friche"
    AUTRE = "autre", "Autre"


EQUIPEMENTS = (
    TypeAction.EQUIPEMENT_CULTUREL,
    TypeAction.EQUIPEMENT_MEDICO_SOCIAL,
    TypeAction.EQUIPEMENT_SPORTIF,
)


class EtatAction(models.TextChoices):
    ENVISAGEE = "envisagee", "Envisagée"
    PRE_OPERATIONNELLE = "pre_operationnelle", "Pré-opérationnelle"
    OPERATIONNELLE = "operationnelle", "Opérationnelle, en cours"
    REALISEE = "realisee", "Réalisée"


# An OPAH-RU in one of these phases lets the Anah co-finance a chef de projet.
PHASES_OPAH_RU_ELIGIBLES = (EtatAction.PRE_OPERATIONNELLE, EtatAction.OPERATIONNELLE)


class TypeLabel(models.TextChoices):
    FRANCE_SERVICES = "france_services", "France Services"
    CONSEILLER_NUMERIQUE = "conseiller_numerique", "Conseiller numérique"
    MICRO_FOLIE = "micro_folie", "Micro-Folie"
    FABRIQUE_TERRITOIRE = "fabrique_territoire", "Fabrique de territoire"


# Who records financing lines: the préfecture of their communes, and the partner whose line it
# is (`permissions.can_edit_financement` adds the organisation's condition).
FINANCEMENT = Workflow(
    "etat",
    [
        Transition(
            "accorder",
            "Accorder",
            (EtatFinancement.DEMANDE,),
            EtatFinancement.ACCORDE,
            frozenset({Role.PREFECTURE, Role.PARTENAIRE}),
        ),
        Transition(
            "refuser",
            "Refuser",
            (EtatFinancement.DEMANDE,),
            EtatFinancement.REFUSE,
            frozenset({Role.PREFECTURE, Role.PARTENAIRE}),
        ),
        Transition(
            "verser",
            "Versé en totalité",
            (EtatFinancement.ACCORDE,),
            EtatFinancement.VERSE,
            frozenset({Role.PREFECTURE, Role.PARTENAIRE}),
        ),
    ],
)
