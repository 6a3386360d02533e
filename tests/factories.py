"""Factories of the whole test suite (one module per app once they grow)."""

import factory
from factory.django import DjangoModelFactory

from communes.enums import CategorieOrganisation, Role, TypeEPCI
from communes.models import (
    EPCI,
    CodePostal,
    Commune,
    Departement,
    Habilitation,
    Organisation,
    Region,
    User,
)
from pvd.text import normalize_search

MOT_DE_PASSE = "Un-mot-de-passe-de-test"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{100 + n % 900}")  # 3 characters, like "975"
    nom = factory.Sequence(lambda n: f"Région {n}")


class DepartementFactory(DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{100 + n % 900}")
    nom = factory.Sequence(lambda n: f"Département {n}")
    region = factory.SubFactory(RegionFactory)


class EPCIFactory(DjangoModelFactory):
    class Meta:
        model = EPCI
        django_get_or_create = ("siren",)

    siren = factory.Sequence(lambda n: f"{200900000 + n}")
    nom = factory.Sequence(lambda n: f"CC numéro {n}")
    nom_recherche = factory.LazyAttribute(lambda o: normalize_search(o.nom))
    type = TypeEPCI.CC


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    # Five characters however many communes the whole suite makes (the sequence is global).
    code = factory.Sequence(lambda n: f"9{n % 10_000:04d}")
    nom = factory.Sequence(lambda n: f"Commune {n}")
    nom_recherche = factory.LazyAttribute(lambda o: normalize_search(o.nom))
    population = 1000
    departement = factory.SubFactory(DepartementFactory)
    epci = None

    @factory.post_generation
    def codes_postaux(self, create, extracted, **kwargs):
        for code in extracted or ():
            CodePostal.objects.create(commune=self, code=code)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("nom",)

    nom = factory.Sequence(lambda n: f"Organisation {n}")
    categorie = CategorieOrganisation.OPERATEUR


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"agent{n}@exemple.gouv.fr")
    first_name = "Dominique"
    last_name = factory.Sequence(lambda n: f"Agent{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, password=MOT_DE_PASSE, **kwargs)


class HabilitationFactory(DjangoModelFactory):
    """Give the territory of the role: `departement=` for a préfecture, `commune=`…"""

    class Meta:
        model = Habilitation

    user = factory.SubFactory(UserFactory)
    role = Role.ANCT
