"""Objects of the Club on the small France of tests/conftest.py: the seeded thématiques, an
upcoming webinar of two places published by the ANCT, a past one, a cercle."""

import importlib
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from club import services
from club.models import Thematique


def paris(*args) -> datetime:
    """An aware datetime in Paris time."""
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def thematiques(db) -> dict[str, Thematique]:
    """The thématiques (and the PUCA, the Gendarmerie) seeded by a data migration, seeded again
    (transactional tests flush)."""
    from django.apps import apps

    importlib.import_module("club.migrations.0002_thematiques_et_copilotes").create(apps, None)
    return {t.code: t for t in Thematique.objects.all()}


@pytest.fixture
def demain_14h() -> datetime:
    """Tomorrow at 14:00 in Paris."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return paris(tomorrow.year, tomorrow.month, tomorrow.day, 14, 0)


@pytest.fixture
def webinaire(anct, thematiques, monde, demain_14h):
    """A published webinar tomorrow at 14:00, two places, showcasing Clamecy."""
    evenement = services.create_evenement(
        by=anct,
        type="webinaire",
        titre="Revitaliser les commerces de centre-ville",
        thematique=thematiques["revitalisation-commerciale"],
        debut=demain_14h,
        fin=demain_14h + timedelta(hours=1, minutes=30),
        lien="https://webinaire.example.org/pvd-commerce",
        capacite=2,
        description="Retours d’expérience de deux PVD.",
        organisateurs=[monde.banque_des_territoires],
        communes_valorisees=[monde.clamecy],
    )
    return services.publier_evenement(evenement=evenement, by=anct)


@pytest.fixture
def webinaire_passe(anct, thematiques, monde):
    """A published webinar held on 12 October 2021 (attendance can be recorded)."""
    evenement = services.create_evenement(
        by=anct,
        type="webinaire",
        titre="Le Fonds friches",
        thematique=thematiques["transition-ecologique"],
        debut=paris(2021, 10, 12, 10, 0),
        fin=paris(2021, 10, 12, 11, 30),
        lien="https://webinaire.example.org/pvd-friches",
    )
    return services.publier_evenement(evenement=evenement, by=anct)


@pytest.fixture
def cercle(anct, thematiques, referentiel):
    from communes.models import Organisation

    return services.create_cercle(
        by=anct,
        titre="Cercle « Sécurité du quotidien »",
        thematique=thematiques["securite-du-quotidien"],
        debut=date(2021, 9, 29),
        fin=date(2022, 9, 28),
        copilotes=Organisation.objects.filter(code__in=["anct", "puca", "gendarmerie"]),
    )
