from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from communes.services import import_territoires
from pvd.exceptions import DomainError
from pvd.text import nombre


class Command(BaseCommand):
    help = (
        "Importe ou met à jour les régions, départements, EPCI et communes depuis le paquet npm "
        "@etalab/decoupage-administratif (idempotent ; une commune disparue devient obsolète)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            default=settings.TERRITOIRES_SOURCE_DIR,
            help="dossier du paquet (par défaut : node_modules/@etalab/decoupage-administratif)",
        )
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="ne rien faire si les fichiers sont ceux du dernier import (même empreinte)",
        )

    def handle(self, *args, source: Path, if_changed: bool, **options):
        try:
            rapport = import_territoires(source_dir=source, if_changed=if_changed)
        except DomainError as error:
            raise CommandError(str(error)) from error
        if rapport.deja_a_jour:
            self.stdout.write(
                f"Référentiel des territoires déjà à jour (version {rapport.version}) : "
                "rien à importer."
            )
            return
        self.stdout.write(f"Référentiel @etalab/decoupage-administratif {rapport.version}")
        for bilan in rapport.bilans:
            self.stdout.write(
                f"  {bilan.libelle} : {nombre(bilan.actuels)} "
                f"(créations : {nombre(bilan.crees)}, modifications : {nombre(bilan.modifies)}, "
                f"devenus obsolètes : {nombre(bilan.rendus_obsoletes)})"
            )
        self.stdout.write(
            f"  Codes postaux : créations : {nombre(rapport.codes_postaux_crees)}, "
            f"suppressions : {nombre(rapport.codes_postaux_supprimes)}"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Import terminé en {nombre(round(rapport.duree, 1))} s "
                f"({nombre(rapport.changements)} changements)."
            )
        )
