from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conventions.services.programme import import_programme
from pvd.exceptions import DomainError
from pvd.text import nombre


class Command(BaseCommand):
    help = (
        "Importe la liste nationale du programme (JSON fusionné de l’ANCT ou CSV data.gouv.fr "
        "des Petites villes de demain) : lauréates, conventions d’adhésion signées, ORT. "
        "Valide toutes les lignes d’abord ; une seule ligne invalide et rien n’est écrit."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="tout vérifier et compter, ne rien écrire"
        )
        parser.add_argument(
            "--ignorer-lignes-invalides",
            action="store_true",
            dest="skip_invalid",
            help="importer les lignes valides même si d’autres sont refusées",
        )
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="ne rien faire si ce fichier (même empreinte) a déjà été importé",
        )

    def handle(
        self, *args, fichier: Path, dry_run: bool, skip_invalid: bool, if_changed: bool, **options
    ):
        try:
            rapport = import_programme(
                path=fichier, dry_run=dry_run, skip_invalid=skip_invalid, if_changed=if_changed
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        if rapport.deja_importe:
            self.stdout.write(f"{fichier.name} a déjà été importé : rien à faire.")
            return
        self.stdout.write(
            f"{fichier.name} ({rapport.format.upper()}) : {nombre(rapport.lignes)} lignes de "
            "communes du programme lues."
        )
        for avertissement in rapport.avertissements:
            self.stdout.write(self.style.WARNING(f"  Avertissement, {avertissement}"))
        for erreur in rapport.erreurs:
            self.stdout.write(self.style.ERROR(f"  Refusée, {erreur}"))
        if rapport.erreurs and not skip_invalid:
            raise CommandError(
                f"{nombre(len(rapport.erreurs))} ligne(s) refusée(s) : rien n’a été importé. "
                "Corrigez le fichier, ou relancez avec --ignorer-lignes-invalides pour importer "
                "les autres lignes."
            )
        verbe = "seraient créées" if dry_run else "créées"
        self.stdout.write(
            f"  Lauréates : {nombre(rapport.laureates_creees)} {verbe}, "
            f"{nombre(rapport.laureates_existantes)} déjà connues\n"
            f"  Conventions d’adhésion signées : {nombre(rapport.conventions_creees)} {verbe} "
            f"({nombre(rapport.adhesions_existantes)} communes déjà dans une convention)\n"
            f"  Conventions-cadres valant ORT : {nombre(rapport.cadres_crees)} {verbe}\n"
            f"  ORT hors convention-cadre : {nombre(rapport.ort_hors_cadre_creees)} {verbe} "
            f"({nombre(rapport.ort_existantes)} communes avaient déjà leur ORT)"
        )
        if dry_run:
            self.stdout.write(self.style.WARNING("Simulation (--dry-run) : rien n’a été écrit."))
        else:
            self.stdout.write(self.style.SUCCESS("Import terminé."))
