"""The embedded demo in one process (one Django start-up instead of six): migrations, the
official territories and the real programme when their files changed, the demo accounts, the
conseils départementaux and régionaux, then the demo data of the three pillars (skipped when
already generated with the same options, so that a second `make run` stays fast)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

PROGRAMME = settings.BASE_DIR / "conventions" / "data" / "anct_programmes.json"


class Command(BaseCommand):
    help = (
        "Prépare la base de démonstration : migrations, référentiel des territoires, "
        "programme réel (s’ils ont changé), comptes de démonstration, conseils départementaux "
        "et régionaux, données de démonstration des trois piliers."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=1, stdout=self.stdout)
        call_command("import_territoires", if_changed=True, stdout=self.stdout)
        call_command("import_programme", PROGRAMME, if_changed=True, stdout=self.stdout)
        call_command("load_demo", stdout=self.stdout)
        call_command("sync_collectivites", stdout=self.stdout)
        call_command("generate_demo", stdout=self.stdout)
