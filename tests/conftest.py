"""Fixtures of the whole suite: a small France of real names, and one persona per role.

The personas (ANCT agent, two préfectures of different départements, a région, a commune, an
EPCI, a partner) hold one habilitation each; anonymous is the test client without login.
"""

import importlib
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from communes.enums import Role, TypeEPCI
from communes.models import EPCI, Commune, Departement, Organisation, Region, User
from pvd.celery import app as celery_app
from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    EPCIFactory,
    HabilitationFactory,
    RegionFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run inline in tests, even when REDIS_URL points to a real broker.
    celery_app.conf.task_always_eager = True
    cache.clear()


@pytest.fixture
def orientations(db):
    """The orientations seeded by a data migration, seeded again: transactional tests flush
    every table when they end, migrated rows included."""
    from django.apps import apps

    migration = importlib.import_module("conventions.migrations.0002_orientations_du_programme")
    migration.create(apps, None)


@pytest.fixture
def referentiel(db, orientations):
    """The organisations, mesures and sources seeded by a data migration, seeded again."""
    from django.apps import apps

    from financements import referentiel

    referentiel.write(apps)


@dataclass
class Monde:
    bfc: Region
    aura: Region
    nievre: Departement
    cote_dor: Departement
    ardeche: Departement
    haut_nivernais: EPCI
    # An EPCI with communes in two départements (they exist: 58 and 21 here).
    morvan: EPCI
    privas_agglo: EPCI
    clamecy: Commune
    armes: Commune
    chateau_chinon: Commune
    saulieu: Commune
    privas: Commune
    banque_des_territoires: Organisation


@pytest.fixture
def monde(db) -> Monde:
    bfc = RegionFactory(code="27", nom="Bourgogne-Franche-Comté")
    aura = RegionFactory(code="84", nom="Auvergne-Rhône-Alpes")
    nievre = DepartementFactory(code="58", nom="Nièvre", region=bfc)
    cote_dor = DepartementFactory(code="21", nom="Côte-d'Or", region=bfc)
    ardeche = DepartementFactory(code="07", nom="Ardèche", region=aura)
    haut_nivernais = EPCIFactory(siren="200067429", nom="CC Haut Nivernais - Val d'Yonne")
    morvan = EPCIFactory(siren="200067890", nom="CC Morvan Sommets et Grands Lacs")
    privas_agglo = EPCIFactory(siren="200070761", nom="CA Privas Centre Ardèche", type=TypeEPCI.CA)
    return Monde(
        bfc=bfc,
        aura=aura,
        nievre=nievre,
        cote_dor=cote_dor,
        ardeche=ardeche,
        haut_nivernais=haut_nivernais,
        morvan=morvan,
        privas_agglo=privas_agglo,
        clamecy=CommuneFactory(
            code="58079",
            nom="Clamecy",
            departement=nievre,
            epci=haut_nivernais,
            population=3544,
            codes_postaux=["58500"],
        ),
        armes=CommuneFactory(
            code="58013", nom="Armes", departement=nievre, epci=haut_nivernais, population=223
        ),
        chateau_chinon=CommuneFactory(
            code="58062", nom="Château-Chinon (Ville)", departement=nievre, epci=morvan
        ),
        saulieu=CommuneFactory(code="21580", nom="Saulieu", departement=cote_dor, epci=morvan),
        privas=CommuneFactory(
            code="07186",
            nom="Privas",
            departement=ardeche,
            epci=privas_agglo,
            codes_postaux=["07000"],
        ),
        # Seeded by a data migration (flushed by transactional tests, hence get_or_create).
        banque_des_territoires=Organisation.objects.get_or_create(
            code="bdt",
            defaults={
                "nom": "Banque des Territoires",
                "sigle": "BdT",
                "categorie": "financeur_public",
            },
        )[0],
    )


def _persona(email: str, role: Role, **territoire) -> User:
    user = UserFactory(email=email)
    HabilitationFactory(user=user, role=role, **territoire)
    # A fresh instance, as a request would load it (no cached habilitations).
    return User.objects.get(pk=user.pk)


@pytest.fixture
def anct(monde) -> User:
    return _persona("anct@anct.gouv.fr", Role.ANCT)


@pytest.fixture
def prefecture_58(monde) -> User:
    return _persona("pref58@nievre.gouv.fr", Role.PREFECTURE, departement=monde.nievre)


@pytest.fixture
def prefecture_07(monde) -> User:
    return _persona("pref07@ardeche.gouv.fr", Role.PREFECTURE, departement=monde.ardeche)


@pytest.fixture
def region_27(monde) -> User:
    return _persona("sgar@bfc.gouv.fr", Role.REGION, region=monde.bfc)


@pytest.fixture
def commune_clamecy(monde) -> User:
    return _persona("maire@clamecy.fr", Role.COMMUNE, commune=monde.clamecy)


@pytest.fixture
def epci_haut_nivernais(monde) -> User:
    return _persona("dgs@cchnvy.fr", Role.EPCI, epci=monde.haut_nivernais)


@pytest.fixture
def partenaire(monde) -> User:
    return _persona(
        "agent@banquedesterritoires.fr",
        Role.PARTENAIRE,
        organisation=monde.banque_des_territoires,
    )


PERSONAS = [
    "anonyme",
    "anct",
    "prefecture_58",
    "prefecture_07",
    "region_27",
    "commune_clamecy",
    "epci_haut_nivernais",
    "partenaire",
]


@pytest.fixture
def as_persona(request, client, monde):
    """A function giving the test client logged in as the named persona ("anonyme": none)."""

    def login(name: str):
        if name != "anonyme":
            client.force_login(request.getfixturevalue(name))
        return client

    return login


from tests.fixtures_parcours import (  # noqa: E402
    _media,  # noqa: F401
    adhesion,  # noqa: F401
    adhesion_signee,  # noqa: F401
    laureates,  # noqa: F401
    pdf,  # noqa: F401
)


def fermer(response) -> None:
    """Close a test response (a download holds its file open) without closing the database
    connection. `close()` sends `request_finished`, whose `close_old_connections` would close
    it (on PostgreSQL; SQLite's in-memory test database ignores it): the test client has
    already closed a plain response with that handler disconnected, and closes a streamed one
    the same way once its stream is read to the end."""
    if response.streaming:
        for _ in response.streaming_content:
            pass
