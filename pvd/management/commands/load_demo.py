"""Demo accounts, one per role, on real territories (Nièvre, Bourgogne-Franche-Comté, Clamecy).

Idempotent: a second run changes nothing but resets the demo passwords. Refused when DEBUG is
off, since the passwords are printed and public.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communes.enums import CategorieOrganisation, Role
from communes.models import EPCI, Commune, Departement, Habilitation, Organisation, Region, User

MOT_DE_PASSE_DEMO = "Demo-PVD-2026"


@dataclass(frozen=True)
class CompteDemo:
    email: str
    first_name: str
    last_name: str
    role: Role
    territoire: tuple[type, str] | None = None
    organisation: str | None = None


COMPTES = [
    CompteDemo("anct@demo.pvd.test", "Camille", "Martin", Role.ANCT),
    CompteDemo(
        "prefecture@demo.pvd.test", "Dominique", "Bernard", Role.PREFECTURE, (Departement, "58")
    ),
    CompteDemo("region@demo.pvd.test", "Claude", "Petit", Role.REGION, (Region, "27")),
    CompteDemo("commune@demo.pvd.test", "Sacha", "Robert", Role.COMMUNE, (Commune, "58079")),
    CompteDemo("epci@demo.pvd.test", "Alix", "Richard", Role.EPCI, (EPCI, "200067429")),
    CompteDemo(
        "partenaire@demo.pvd.test",
        "Morgan",
        "Durand",
        Role.PARTENAIRE,
        organisation="Banque des Territoires",
    ),
]
ORGANISATIONS = {
    "Banque des Territoires": ("BdT", CategorieOrganisation.FINANCEUR_PUBLIC),
}


class Command(BaseCommand):
    help = "Crée les comptes de démonstration (un par rôle) et affiche leurs identifiants."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Les comptes de démonstration ont un mot de passe public : load_demo est refusé "
                "quand DEBUG est désactivé."
            )
        if not Commune.objects.exists():
            raise CommandError("Importez d’abord les territoires : manage.py import_territoires.")
        with transaction.atomic():
            comptes = [(compte, self._create(compte)) for compte in COMPTES]
        self.stdout.write(self.style.SUCCESS("Comptes de démonstration :"))
        width = max(len(compte.email) for compte in COMPTES)
        for compte, habilitation in comptes:
            self.stdout.write(f"  {compte.email:<{width}}  {MOT_DE_PASSE_DEMO}  {habilitation}")

    def _create(self, compte: CompteDemo) -> Habilitation:
        user, _ = User.objects.update_or_create(
            email=compte.email,
            defaults={
                "first_name": compte.first_name,
                "last_name": compte.last_name,
                "is_active": True,
            },
        )
        user.set_password(MOT_DE_PASSE_DEMO)
        user.save(update_fields=["password"])
        fields = {}
        if compte.territoire:
            model, code = compte.territoire
            fields[model._meta.model_name] = model.objects.get(pk=code)
        if compte.organisation:
            sigle, categorie = ORGANISATIONS[compte.organisation]
            fields["organisation"], _ = Organisation.objects.get_or_create(
                nom=compte.organisation, defaults={"sigle": sigle, "categorie": categorie}
            )
        habilitation, _ = Habilitation.objects.get_or_create(user=user, role=compte.role, **fields)
        return habilitation
