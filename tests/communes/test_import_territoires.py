import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from communes.models import (
    EPCI,
    CodePostal,
    CollectiviteOutreMer,
    Commune,
    Departement,
    ImportTerritoires,
    Region,
)
from communes.services import import_territoires
from pvd.exceptions import DomainError

REGIONS = [
    {"code": "27", "nom": "Bourgogne-Franche-Comté", "zone": "metro"},
    {"code": "02", "nom": "Martinique", "zone": "drom"},
    {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
]
DEPARTEMENTS = [
    {"code": "58", "nom": "Nièvre", "region": "27", "zone": "metro"},
    {"code": "972", "nom": "Martinique", "region": "02", "zone": "drom"},
    {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "region": "975", "zone": "com"},
]
EPCIS = [
    {
        "code": "200067429",
        "nom": "CC Haut Nivernais - Val d'Yonne",
        "type": "CC",
        "populationMunicipale": 21000,
        "membres": [{"code": "58079"}, {"code": "58013"}],
    },
]


def commune(code, nom, departement="58", region="27", **extra):
    return {
        "code": code,
        "nom": nom,
        "type": "commune-actuelle",
        "departement": departement,
        "region": region,
        "population": 1000,
        "siren": f"21{code}0",
        "codesPostaux": ["58500"],
        **extra,
    }


COMMUNES = [
    commune("58079", "Clamecy"),
    commune("58013", "Armes"),
    commune("97209", "Fort-de-France", departement="972", region="02", codesPostaux=["97200"]),
    {
        "code": "97502",
        "nom": "Saint-Pierre",
        "type": "commune-actuelle",
        "departement": "975",
        "region": "975",
        "codesPostaux": ["97500"],
        "population": 5500,
    },
    # Not current communes: never imported.
    {
        "code": "58079",
        "nom": "Clamecy (déléguée)",
        "type": "commune-deleguee",
        "departement": "58",
        "region": "27",
    },
]


def write_package(directory: Path, communes=COMMUNES, epcis=EPCIS, version="6.0.0") -> Path:
    (directory / "data").mkdir(parents=True, exist_ok=True)
    for name, rows in (
        ("regions.json", REGIONS),
        ("departements.json", DEPARTEMENTS),
        ("epci.json", epcis),
        ("communes.json", communes),
    ):
        (directory / "data" / name).write_text(json.dumps(rows), encoding="utf-8")
    (directory / "package.json").write_text(json.dumps({"version": version}))
    return directory


def snapshot() -> dict:
    """Every imported row, to compare two states of the tables."""
    return {
        model.__name__: sorted(model.objects.values_list(*fields))
        for model, fields in (
            (Region, ("code", "nom", "obsolete")),
            (CollectiviteOutreMer, ("code", "nom", "obsolete")),
            (Departement, ("code", "nom", "region", "obsolete")),
            (EPCI, ("siren", "nom", "nom_recherche", "type", "population", "obsolete")),
            (
                Commune,
                (
                    "code",
                    "nom",
                    "nom_recherche",
                    "population",
                    "siren",
                    "departement",
                    "collectivite_outre_mer",
                    "epci",
                    "obsolete",
                ),
            ),
            (CodePostal, ("commune", "code")),
        )
    }


@pytest.mark.django_db
def test_import_creates_every_level_and_keeps_overseas_collectivities_apart(tmp_path):
    rapport = import_territoires(source_dir=write_package(tmp_path))

    assert {b.libelle: (b.crees, b.actuels) for b in rapport.bilans} == {
        "Régions": (2, 2),
        "Collectivités d’outre-mer": (1, 1),
        "Départements": (2, 2),
        "EPCI": (1, 1),
        "Communes": (4, 4),
    }
    clamecy = Commune.objects.get(code="58079")
    assert (clamecy.nom, clamecy.departement_id, clamecy.epci_id, clamecy.siren) == (
        "Clamecy",
        "58",
        "200067429",
        "21580790",
    )
    assert list(clamecy.codes_postaux.values_list("code", flat=True)) == ["58500"]
    saint_pierre = Commune.objects.get(code="97502")
    assert saint_pierre.departement is None
    assert saint_pierre.collectivite_outre_mer.nom == "Saint-Pierre-et-Miquelon"
    assert Departement.objects.get(code="972").region_id == "02"
    assert EPCI.objects.get().nom_recherche == "cc haut nivernais val d yonne"


@pytest.mark.django_db
def test_a_second_import_changes_nothing_and_reports_zero(tmp_path):
    source = write_package(tmp_path)
    import_territoires(source_dir=source)
    before = snapshot()

    rapport = import_territoires(source_dir=source)

    assert snapshot() == before
    assert rapport.changements == 0
    assert all((b.crees, b.modifies, b.rendus_obsoletes) == (0, 0, 0) for b in rapport.bilans)


@pytest.mark.django_db
def test_a_commune_missing_from_a_later_cog_is_marked_obsolete_never_deleted(tmp_path):
    import_territoires(source_dir=write_package(tmp_path / "2025"))
    later = [c for c in COMMUNES if c["code"] != "58013"]
    epcis = [{**EPCIS[0], "membres": [{"code": "58079"}]}]

    rapport = import_territoires(
        source_dir=write_package(tmp_path / "2026", communes=later, epcis=epcis)
    )

    armes = Commune.objects.get(code="58013")
    assert armes.obsolete
    assert armes.codes_postaux.exists()  # its history is kept
    assert list(Commune.objects.actuels().values_list("code", flat=True).order_by("code")) == [
        "58079",
        "97209",
        "97502",
    ]
    bilan = next(b for b in rapport.bilans if b.libelle == "Communes")
    assert (bilan.crees, bilan.modifies, bilan.rendus_obsoletes) == (0, 0, 1)


@pytest.mark.django_db
def test_a_commune_back_in_the_cog_is_current_again(tmp_path):
    import_territoires(source_dir=write_package(tmp_path / "a", communes=COMMUNES[1:]))
    Commune.objects.filter(code="58013").update(obsolete=True)

    import_territoires(source_dir=write_package(tmp_path / "b"))

    assert not Commune.objects.get(code="58013").obsolete


@pytest.mark.django_db
def test_changed_names_and_postal_codes_are_updated(tmp_path):
    import_territoires(source_dir=write_package(tmp_path / "a"))
    renamed = [
        commune("58079", "Clamecy-sur-Yonne", codesPostaux=["58501"]) if c["code"] == "58079" else c
        for c in COMMUNES
    ]

    rapport = import_territoires(source_dir=write_package(tmp_path / "b", communes=renamed))

    clamecy = Commune.objects.get(code="58079")
    assert (clamecy.nom, clamecy.nom_recherche) == ("Clamecy-sur-Yonne", "clamecy sur yonne")
    assert list(clamecy.codes_postaux.values_list("code", flat=True)) == ["58501"]
    assert (rapport.codes_postaux_crees, rapport.codes_postaux_supprimes) == (1, 1)


@pytest.mark.django_db
def test_if_changed_skips_files_already_imported(tmp_path):
    source = write_package(tmp_path)
    import_territoires(source_dir=source)

    assert import_territoires(source_dir=source, if_changed=True).deja_a_jour
    assert ImportTerritoires.objects.count() == 1
    (source / "package.json").write_text(json.dumps({"version": "6.0.1"}))
    (source / "data" / "regions.json").write_text(json.dumps(REGIONS[:2] + REGIONS[2:]) + " ")
    assert not import_territoires(source_dir=source, if_changed=True).deja_a_jour


@pytest.mark.django_db
def test_missing_package_gives_a_french_message_and_writes_nothing(tmp_path):
    with pytest.raises(DomainError, match="npm ci"):
        import_territoires(source_dir=tmp_path)
    with pytest.raises(CommandError, match="Référentiel des territoires introuvable"):
        call_command("import_territoires", source=tmp_path)
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_command_prints_counts(tmp_path):
    out = StringIO()

    call_command("import_territoires", source=write_package(tmp_path), stdout=out)

    assert (
        "Communes : 4 (créations : 4, modifications : 0, devenus obsolètes : 0)" in out.getvalue()
    )


@pytest.mark.slow
@pytest.mark.django_db
def test_the_real_referential_gives_the_official_counts():
    """The npm package installed by `npm ci` (make test installs it)."""
    import_territoires(source_dir=settings.TERRITOIRES_SOURCE_DIR)

    assert Commune.objects.actuels().count() == 34_969
    assert EPCI.objects.actuels().count() == 1_255
    assert Departement.objects.actuels().count() == 101
    assert Region.objects.actuels().count() == 18
    assert CollectiviteOutreMer.objects.count() == 8
    assert Commune.objects.filter(epci__isnull=True).count() == 98  # islands and overseas
    clamecy = Commune.objects.select_related("departement__region", "epci").get(code="58079")
    assert (clamecy.departement.region.nom, clamecy.epci.siren) == (
        "Bourgogne-Franche-Comté",
        "200067429",
    )
