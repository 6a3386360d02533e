"""The Club tab of a commune's dossier (registered in `club/apps.py`): the events that
showcased it, the registrations and attendance of its people, the cercles its élus belong to.
Four queries, whatever the number of rows."""

from __future__ import annotations

from django.db.models import Count, Q

from club.models import Cercle, Evenement, Inscription, MembreCercle

# The latest registrations shown; the counts above the table cover them all.
INSCRIPTIONS_AFFICHEES = 100


def section_dossier(request, dossier) -> dict:
    """Precondition: the caller fetched `dossier` through `Dossier.objects.for_user`.

    Registrations are personal data: they come through `Inscription.objects.for_user` (the
    commune, its EPCI, préfecture and région, the ANCT see them all; a partner reading the
    dossier only those it made)."""
    user = request.user
    inscriptions = Inscription.objects.for_user(user).filter(participant__commune=dossier)
    present = Q(present=True)
    compteurs = inscriptions.aggregate(
        inscriptions=Count("pk"),
        evenements=Count("evenement", distinct=True, filter=present),
        participations=Count("pk", filter=present),
        personnes=Count("participant", distinct=True, filter=present),
    )
    return {
        "club_compteurs": compteurs,
        "club_inscriptions": list(
            inscriptions.select_related("evenement", "participant").order_by(
                "-evenement__debut", "participant__nom", "participant__prenom", "pk"
            )[:INSCRIPTIONS_AFFICHEES]
        ),
        "club_inscriptions_limite": INSCRIPTIONS_AFFICHEES,
        "club_evenements": list(
            Evenement.objects.for_user(user)
            .filter(communes_valorisees=dossier)
            .select_related("thematique")
            .order_by("-debut", "pk")
        ),
        "club_membres": list(
            MembreCercle.objects.filter(commune=dossier, cercle__in=Cercle.objects.for_user(user))
            .select_related("cercle", "participant")
            .order_by("-cercle__debut", "participant__nom", "pk")
        ),
    }
