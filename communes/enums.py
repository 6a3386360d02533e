from django.db import models


class Role(models.TextChoices):
    ANCT = "anct", "Pilotage national (ANCT)"
    PREFECTURE = "prefecture", "Préfecture"
    REGION = "region", "Région"
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    PARTENAIRE = "partenaire", "Partenaire"


class TypeEPCI(models.TextChoices):
    CC = "CC", "Communauté de communes"
    CA = "CA", "Communauté d’agglomération"
    CU = "CU", "Communauté urbaine"
    METRO = "METRO", "Métropole"
    MET69 = "MET69", "Métropole de Lyon"


class CategorieOrganisation(models.TextChoices):
    OPERATEUR = "operateur", "Opérateur ou agence de l’État"
    MINISTERE = "ministere", "Ministère ou service de l’État"
    FINANCEUR_PUBLIC = "financeur_public", "Établissement financier public"
    COLLECTIVITE = "collectivite", "Collectivité territoriale"
    ASSOCIATION = "association", "Association ou fondation"
    AUTRE = "autre", "Autre"


# Which roles the holder of each role may give by invitation, inside its own territory.
ROLES_INVITABLES: dict[str, tuple[Role, ...]] = {
    Role.ANCT: (Role.ANCT, Role.PREFECTURE, Role.REGION, Role.PARTENAIRE),
    Role.PREFECTURE: (Role.COMMUNE, Role.EPCI, Role.PARTENAIRE),
}

DESCRIPTION_DES_ROLES = {
    Role.ANCT: "Un agent de l’équipe nationale du programme, pour toute la France.",
    Role.PREFECTURE: "Un agent de préfecture, de DDT ou de sous-préfecture, pour un département.",
    Role.REGION: "Un agent du SGAR, pour le comité régional d’une région.",
    Role.COMMUNE: "Un élu ou le chef de projet d’une commune.",
    Role.EPCI: "Un élu ou un agent d’une intercommunalité.",
    Role.PARTENAIRE: "Un agent d’un partenaire financeur : Banque des Territoires, Anah, Cerema…",
}
