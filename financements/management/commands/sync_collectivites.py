from django.core.management.base import BaseCommand

from financements.collectivites import sync_collectivites


class Command(BaseCommand):
    help = "Crée les conseils départementaux et régionaux manquants du référentiel des partenaires."

    def handle(self, *args, **options):
        created = sync_collectivites()
        self.stdout.write(f"Conseils départementaux et régionaux créés : {created}.")
