"""The Club's indicators (pillar 3), from `club.chiffres.chiffres_club`."""

from club.chiffres import chiffres_club
from pvd.indicateurs.contexte import Contexte
from pvd.indicateurs.registre import Section, Unite, groupe, indicateur

S = Section.CLUB
N = Unite.NOMBRE

indicateur(
    "club_semaines_thematiques",
    "Semaines thématiques",
    "Semaines thématiques du Club publiées et commencées à la date.",
    N,
    S,
    public=True,
)
indicateur(
    "club_webinaires",
    "Webinaires",
    "Webinaires du Club publiés et commencés à la date.",
    N,
    S,
    public=True,
)
indicateur(
    "club_communes_valorisees",
    "PVD valorisées",
    "Communes du périmètre mises à l’honneur par un événement du Club tenu à la date.",
    N,
    S,
    public=True,
)
indicateur(
    "club_participants",
    "Participants",
    "Participations (présences enregistrées) aux événements du Club tenus à la date, des "
    "personnes du périmètre.",
    N,
    S,
    public=True,
)
indicateur(
    "club_formations_sessions",
    "Sessions de formation",
    "Sessions de formation du Club commencées à la date.",
    N,
    S,
    public=True,
)
indicateur(
    "club_formations_modules",
    "Modules de formation",
    "Modules de ces sessions commencés à la date.",
    N,
    S,
    public=True,
)
indicateur(
    "club_formations_participants",
    "Participants aux formations",
    "Participations aux sessions de formation, des personnes du périmètre.",
    N,
    S,
    public=True,
)

indicateur(
    "club_personnes",
    "Personnes différentes",
    "Personnes du périmètre ayant participé à au moins un événement du Club tenu à la date.",
    N,
    S,
    public=True,
)
indicateur(
    "club_cercles",
    "Cercles thématiques",
    "Cercles thématiques commencés à la date (pour un territoire : comptant un membre de ses "
    "communes).",
    N,
    S,
    public=True,
)
indicateur(
    "club_cercles_membres",
    "Membres des cercles",
    "Élus membres d’un cercle thématique ce jour-là (pour un territoire : de ses communes).",
    N,
    S,
    public=True,
)
indicateur(
    "club_audience_linkedin",
    "Abonnés LinkedIn",
    "Dernier nombre d’abonnés LinkedIn relevé à la date (chiffre national, saisi à la main).",
    N,
    S,
    public=True,
)
indicateur(
    "club_audience_infolettre",
    "Destinataires de l’infolettre",
    "Dernier nombre de destinataires de l’infolettre relevé à la date (chiffre national, "
    "saisi à la main).",
    N,
    S,
    public=True,
)


@groupe(
    "club_semaines_thematiques",
    "club_webinaires",
    "club_communes_valorisees",
    "club_participants",
    "club_formations_sessions",
    "club_formations_modules",
    "club_formations_participants",
    "club_personnes",
    "club_cercles",
    "club_cercles_membres",
    "club_audience_linkedin",
    "club_audience_infolettre",
)
def club(contexte: Contexte) -> dict:
    chiffres = chiffres_club(contexte.perimetre, contexte.jour)
    return {
        "club_semaines_thematiques": chiffres["semaines_thematiques"],
        "club_webinaires": chiffres["webinaires"],
        "club_communes_valorisees": chiffres["communes_valorisees"],
        "club_participants": chiffres["participants"]["participations"],
        "club_formations_sessions": chiffres["formations"]["sessions"],
        "club_formations_modules": chiffres["formations"]["modules"],
        "club_formations_participants": chiffres["formations"]["participants"],
        "club_personnes": chiffres["participants"]["personnes"],
        "club_cercles": chiffres["cercles"]["cercles"],
        "club_cercles_membres": chiffres["cercles"]["membres"],
        "club_audience_linkedin": chiffres["audience"]["linkedin"],
        "club_audience_infolettre": chiffres["audience"]["infolettre"],
    }
