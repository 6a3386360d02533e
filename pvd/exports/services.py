"""Exports of the lists: a small one is written at once; a large one is an `Export` row built
by a background job (`pvd.tasks.construire_export`) and kept for its author."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from pvd.exceptions import DomainError
from pvd.exports.base import ListeExportable, ecrire
from pvd.exports.listes import LISTES
from pvd.models import EtatExport, Export
from pvd.taches import planifier


def produire(*, liste: ListeExportable, user, filtres, colonnes: list[str], format: str):
    """(content, number of rows) of the export of `liste` as `user` sees it with `filtres`."""
    lignes = liste.lignes(user, filtres)
    return ecrire(
        format, [liste.colonne(cle) for cle in colonnes], lignes.iterator(chunk_size=1000)
    )


def est_volumineux(nombre_lignes: int) -> bool:
    return nombre_lignes > settings.EXPORT_LIGNES_IMMEDIATES


@transaction.atomic
def demander_export(
    *, by, liste: ListeExportable, filtres, colonnes: list[str], format: str
) -> Export:
    """Record the request and queue its job once the request is saved."""
    from pvd.tasks import construire_export

    unknown = set(colonnes) - {c.cle for c in liste.colonnes}
    if unknown or not colonnes:
        raise DomainError("Choisissez les colonnes parmi celles de la liste.")
    export = Export.objects.create(
        auteur=by,
        liste=liste.cle,
        format=format,
        colonnes=colonnes,
        filtres={cle: filtres.getlist(cle) for cle in filtres if cle != "page"},
    )
    planifier(construire_export, export.pk)
    return export


def construire_export(export_id: int) -> Export:
    """Build the file of the export `export_id` (idempotent: a ready export is left as it is;
    the row is locked, so that two runs of the job build it once)."""
    with transaction.atomic():
        export = Export.objects.select_for_update().select_related("auteur").get(pk=export_id)
        if export.etat == EtatExport.PRET:
            return export
        liste = LISTES.get(export.liste)
        if liste is None or not {c.cle for c in liste.colonnes} >= set(export.colonnes):
            # Asked before a change of the code: retrying would not help.
            export.etat = EtatExport.ECHEC
            export.motif_echec = "Cette liste ou ces colonnes ne s’exportent plus."
            export.save(update_fields=["etat", "motif_echec"])
            return export
        filtres = _querydict(export.filtres)
        contenu, n = produire(
            liste=liste,
            user=export.auteur,
            filtres=filtres,
            colonnes=export.colonnes,
            format=export.format,
        )
        export.fichier.save(f"export.{export.format}", ContentFile(contenu), save=False)
        export.etat = EtatExport.PRET
        export.nombre_lignes = n
        export.pret_le = timezone.now()
        export.motif_echec = ""
        export.save(update_fields=["fichier", "etat", "nombre_lignes", "pret_le", "motif_echec"])
    return export


def abandonner_export(export_id: int, motif: str) -> None:
    Export.objects.filter(pk=export_id).exclude(etat=EtatExport.PRET).update(
        etat=EtatExport.ECHEC, motif_echec=motif
    )


def _querydict(filtres: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for cle, valeurs in filtres.items():
        data.setlist(cle, valeurs)
    return data
