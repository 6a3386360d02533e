"""Demo data of the three pillars on top of the real programme (see `pvd.demo`)."""

from django.core.management.base import BaseCommand, CommandError

from pvd.demo import generate_demo, remove_demo
from pvd.exceptions import DomainError
from pvd.text import nombre


class Command(BaseCommand):
    help = (
        "Génère les données de démonstration des trois piliers (chefs de projet, soutiens en "
        "ingénierie, besoins, actions, financements, labels, événements et participants du "
        "Club, cercle thématique, audience) dans les proportions du tableau de "
        "bord national, sur le programme réel déjà importé. Déterministe et idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="multiplie le volume (communes, lignes et montants) ; 1 par défaut",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="graine des tirages aléatoires ; 1 par défaut"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="régénère même si les données de ces options sont déjà en place",
        )
        parser.add_argument(
            "--remove",
            action="store_true",
            help="supprime les données de démonstration générées, sans en créer",
        )

    def handle(self, *args, scale, seed, force, remove, **options):
        if remove:
            removed = remove_demo()
            self.stdout.write(f"Données de démonstration supprimées : {nombre(removed)}.")
            return
        try:
            rapport = generate_demo(scale=scale, seed=seed, force=force)
        except DomainError as error:
            raise CommandError(str(error)) from None
        duree = f"{rapport.duree:.1f}".replace(".", ",")
        if rapport.deja_genere:
            self.stdout.write(
                f"Données de démonstration déjà en place (échelle {scale}, graine {seed}) : "
                f"rien à faire ({duree} s)."
            )
            return
        if rapport.removed:
            self.stdout.write(
                f"Données de démonstration précédentes supprimées : {nombre(rapport.removed)}."
            )
        self.stdout.write(f"Données de démonstration (échelle {scale}, graine {seed}) :")
        for libelle, compte in rapport.created.items():
            self.stdout.write(f"  {libelle} : {nombre(compte)}")
        self.stdout.write(self.style.SUCCESS(f"Génération terminée en {duree} s."))
