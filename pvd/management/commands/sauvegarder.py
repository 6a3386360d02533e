"""`manage.py sauvegarder [--dossier D]`: back up the database and the documents (see
`pvd.sauvegardes`)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from pvd import sauvegardes


class Command(BaseCommand):
    help = "Sauvegarde la base et les documents déposés, avec leur manifeste (lignes, chiffres)."

    def add_arguments(self, parser):
        parser.add_argument("--dossier", default=str(settings.BACKUP_DIR))

    def handle(self, *args, dossier, **options):
        manifeste = sauvegardes.sauvegarder(Path(dossier))
        self.stdout.write(f"Sauvegarde écrite : {manifeste}")
