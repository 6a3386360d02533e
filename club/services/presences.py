"""Attendance: typed by the Club team, or imported from a webinar tool's export (all or
nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from club.enums import (
    EtatInscription,
    OrigineParticipant,
    SourceInscription,
)
from club.models import (
    Evenement,
    ImportPresences,
    Inscription,
    Participant,
)
from club.permissions import (
    can_record_presences,
    is_club_team,
)
from club.presences import DOMAINES_PERSONNELS, CommuneResolver, Erreur, FichierIllisible, lire
from club.services.inscriptions import _lock_event
from pvd.audit import Channel, channel
from pvd.exceptions import DomainError, NotAllowed
from pvd.fichiers import nom_affiche
from pvd.text import nombre

if TYPE_CHECKING:
    from communes.models import User


def _check_presences(by: User, evenement: Evenement) -> None:
    if not can_record_presences(by, evenement):
        if not is_club_team(by):
            raise NotAllowed("Seule l’équipe du Club enregistre les présences.")
        raise DomainError(
            "Les présences s’enregistrent pour un événement publié, une fois qu’il a commencé."
        )


@transaction.atomic
def record_presences(*, evenement: Evenement, by: User, presences: dict[int, bool | None]) -> int:
    """Record who attended (`presences`: registration id → present, absent, or unknown).
    Returns the number of registrations changed."""
    _check_presences(by, evenement)
    inscriptions = {
        i.pk: i for i in evenement.inscriptions.select_for_update().filter(pk__in=presences)
    }
    unknown = set(presences) - set(inscriptions)
    if unknown:
        raise DomainError("Certaines inscriptions n’appartiennent pas à cet événement.")
    now = timezone.now()
    changed = []
    for pk, present in presences.items():
        inscription = inscriptions[pk]
        if inscription.present is present:
            continue
        inscription.present = present
        inscription.presence_saisie_le = now
        inscription.presence_saisie_par = by
        inscription._history_user = by
        inscription._change_reason = "Présence"
        inscription.save(update_fields=["present", "presence_saisie_le", "presence_saisie_par"])
        changed.append(inscription)
    return len(changed)


class ImportInvalide(DomainError):
    """The file has bad rows: nothing was written; `erreurs` lists every one."""

    def __init__(self, erreurs: list[Erreur]):
        super().__init__(
            f"{nombre(len(erreurs))} ligne{'s' if len(erreurs) > 1 else ''} à corriger : rien "
            "n’a été importé. Corrigez le "
            "fichier puis importez-le à nouveau."
        )
        self.erreurs = erreurs


def domaines_des_communes() -> dict[str, str]:
    """E-mail domain → INSEE code, learnt from the people whose commune is known: a domain
    counts when all of them belong to one commune (personal webmails never do)."""
    rows = (
        Participant.objects.filter(commune__isnull=False)
        .values_list("email", "commune_id")
        .iterator()
    )
    by_domain: dict[str, set[str]] = {}
    for email, commune in rows:
        domain = email.rpartition("@")[2]
        if domain not in DOMAINES_PERSONNELS:
            by_domain.setdefault(domain, set()).add(commune)
    return {domain: codes.pop() for domain, codes in by_domain.items() if len(codes) == 1}


@dataclass(frozen=True)
class ResultatImport:
    trace: ImportPresences
    presents: int
    nouvelles_inscriptions: int
    invites_crees: int
    absents: int
    doublons: int


def import_presences(
    *,
    evenement: Evenement,
    by: User,
    nom_fichier: str,
    contenu: bytes,
    marquer_absents: bool = False,
) -> ResultatImport:
    """Import a webinar tool's list of participants: each is marked present (registered if
    they were not; unknown people become guest participants, with their commune when the
    file or their e-mail's domain says it). `marquer_absents`: the registered people missing
    from the file are marked absent. All or nothing: ImportInvalide lists every bad row."""
    _check_presences(by, evenement)
    try:
        lecture = lire(contenu, CommuneResolver(domaines_des_communes()))
    except FichierIllisible as error:
        raise DomainError(str(error)) from error
    if lecture.erreurs:
        raise ImportInvalide(lecture.erreurs)
    now = timezone.now()
    with transaction.atomic():
        _lock_event(evenement)
        emails = [ligne.email for ligne in lecture.lignes]
        known = {p.email: p for p in Participant.objects.filter(email__in=emails)}
        guests = [
            Participant(
                email=ligne.email,
                prenom=ligne.prenom,
                nom=ligne.nom,
                commune=ligne.commune,
                origine=OrigineParticipant.IMPORT,
                created_at=now,
            )
            for ligne in lecture.lignes
            if ligne.email not in known
        ]
        try:
            Participant.objects.bulk_create(guests)
        except IntegrityError as error:  # someone created one of them meanwhile
            raise DomainError(
                "Des participants ont été créés pendant l’import : recommencez."
            ) from error
        participants = {p.email: p for p in Participant.objects.filter(email__in=emails)}
        # A known person whose commune was unknown gets it from the file.
        for ligne in lecture.lignes:
            participant = participants[ligne.email]
            if ligne.commune and participant.commune_id is None:
                participant.commune = ligne.commune
                participant.save(update_fields=["commune"])
        existing = {
            i.participant_id: i
            for i in evenement.inscriptions.select_for_update().filter(
                participant__in=participants.values()
            )
        }
        changed, new, absents = [], [], []
        for participant in participants.values():
            inscription = existing.get(participant.pk)
            if inscription is None:
                new.append(
                    Inscription(
                        evenement=evenement,
                        participant=participant,
                        etat=EtatInscription.INSCRIT,
                        etat_notifie=EtatInscription.INSCRIT,  # they are not written to
                        demandee_le=now,
                        inscrit_par=by,
                        source=SourceInscription.IMPORT,
                        present=True,
                        presence_saisie_le=now,
                        presence_saisie_par=by,
                    )
                )
            elif inscription.present is not True or inscription.etat != EtatInscription.INSCRIT:
                # Who came had a place, whatever their registration said.
                inscription.etat = EtatInscription.INSCRIT
                inscription.present = True
                inscription.presence_saisie_le, inscription.presence_saisie_par = now, by
                changed.append(inscription)
        champs = ["etat", "present", "presence_saisie_le", "presence_saisie_par"]
        if marquer_absents:
            for inscription in (
                evenement.inscriptions.filter(etat=EtatInscription.INSCRIT)
                .exclude(participant__in=participants.values())
                .exclude(present=False)
            ):
                inscription.present = False
                inscription.presence_saisie_le, inscription.presence_saisie_par = now, by
                absents.append(inscription)
        # In bulk, each registration with its history row: author, reason, channel « Import ».
        historique = {
            "default_user": by,
            "default_change_reason": f"Import du fichier {nom_affiche(nom_fichier)}",
        }
        with channel(Channel.IMPORT):
            bulk_create_with_history(new, Inscription, **historique)
            bulk_update_with_history([*changed, *absents], Inscription, champs, **historique)
        absents = len(absents)
        trace = ImportPresences.objects.create(
            evenement=evenement,
            fichier=nom_affiche(nom_fichier)[:255],
            importe_par=by,
            importe_le=now,
            lignes=len(lecture.lignes) + lecture.doublons,
            presents=len(participants),
            invites_crees=len(guests),
        )
    return ResultatImport(
        trace=trace,
        presents=len(participants),
        nouvelles_inscriptions=len(new),
        invites_crees=len(guests),
        absents=absents,
        doublons=lecture.doublons,
    )
