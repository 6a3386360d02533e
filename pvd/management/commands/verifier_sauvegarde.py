"""`manage.py verifier_sauvegarde [MANIFESTE]`: restore a backup into a scratch database and
check it against its manifest (see `pvd.sauvegardes`). Without argument, the latest backup of
BACKUP_DIR. Exits with an error when anything differs."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pvd import sauvegardes
from pvd.text import nombre


class Command(BaseCommand):
    help = "Restaure une sauvegarde dans une base jetable et la compare à son manifeste."

    def add_arguments(self, parser):
        parser.add_argument("manifeste", nargs="?")

    def handle(self, *args, manifeste=None, **options):
        if manifeste is None:
            candidats = sorted(Path(settings.BACKUP_DIR).glob("pvd-*.json"))
            if not candidats:
                raise CommandError(f"Aucune sauvegarde dans {settings.BACKUP_DIR}.")
            manifeste = candidats[-1]
        resultat = sauvegardes.verifier(Path(manifeste))
        for ecart in resultat.ecarts:
            self.stderr.write(f"  écart — {ecart}")
        if not resultat.ok:
            raise CommandError(f"Sauvegarde {manifeste} : {len(resultat.ecarts)} écart(s).")
        self.stdout.write(
            f"Sauvegarde {manifeste} restaurée et vérifiée : {resultat.tables} tables, "
            f"{nombre(resultat.lignes)} lignes, {resultat.documents} documents, tableau de bord "
            "national identique."
        )
