import csv
import json
from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from communes.services import import_territoires
from conventions.enums import EtatCandidature, OrigineOrt
from conventions.models import (
    Candidature,
    ConventionAdhesion,
    ConventionCadre,
    Dossier,
    ImportProgramme,
    OrtHorsCadre,
)
from conventions.services.programme import import_programme, parse_date

DATA = settings.BASE_DIR / "conventions" / "data"


def write_json(tmp_path, communes: dict):
    path = tmp_path / "programmes.json"
    path.write_text(json.dumps({"meta": {}, "communes": communes}), encoding="utf-8")
    return path


def write_csv(tmp_path, rows: list[list[str]], delimiter=","):
    path = tmp_path / "laureates.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(["id_pvd", "insee_com", "lib_com", "date_signature", "siren_epci"])
        writer.writerows(rows)
    return path


JSON_SAMPLE = {
    # Clamecy and Armes (same EPCI) signed the same day: one convention; Clamecy's ORT after.
    "58079": {
        "label": "Clamecy",
        "pvd": True,
        "pvd_signed_at": "2021-06-21",
        "ort": True,
        "ort_signed_at": "2023-03-09",
    },
    "58013": {"label": "Armes", "pvd": True, "pvd_signed_at": "2021-06-21"},
    # Same EPCI as Saulieu (Côte-d'Or) but another département: separate conventions.
    "58062": {
        "label": "Château-Chinon (Ville)",
        "pvd": True,
        "pvd_signed_at": "2021-07-23",
        "ort": True,
        "ort_signed_at": "2019-05-02",
    },
    "21580": {"label": "Saulieu", "pvd": True, "pvd_signed_at": "2021-07-23"},
    # Lauréate without adhésion but with an ORT.
    "07186": {"label": "Privas", "pvd": True, "ort": True, "ort_signed_at": "2022-11-23"},
    # Not in the programme (Action Cœur de Ville only): ignored.
    "01053": {"label": "Bourg-en-Bresse", "acv": True, "ort": True},
}


def test_the_merged_json_creates_laureates_conventions_and_orts(monde, tmp_path):
    rapport = import_programme(path=write_json(tmp_path, JSON_SAMPLE))

    assert rapport.ecrit
    assert (
        rapport.laureates_creees,
        rapport.conventions_creees,
        rapport.cadres_crees,
        rapport.ort_hors_cadre_creees,
    ) == (5, 3, 1, 2)
    clamecy = ConventionAdhesion.objects.get(communes="58079")
    assert set(clamecy.communes.values_list("pk", flat=True)) == {"58079", "58013"}
    assert clamecy.signee_le == date(2021, 6, 21)
    assert ConventionCadre.objects.get().adhesion == clamecy
    assert OrtHorsCadre.objects.get(commune="58062").origine == OrigineOrt.ANTERIEURE
    assert OrtHorsCadre.objects.get(commune="07186").origine == OrigineOrt.LISTE_NATIONALE
    source = ImportProgramme.objects.get()
    assert (
        Candidature.objects.filter(import_programme=source, etat=EtatCandidature.RETENUE).count()
        == 5
    )
    dossiers = {
        d.pk: (d.etape, d.date_adhesion, d.date_ort) for d in Dossier.objects.pvd().with_etape()
    }
    assert dossiers == {
        "58079": ("ort_signee", date(2021, 6, 21), date(2023, 3, 9)),
        "58013": ("adhesion_signee", date(2021, 6, 21), None),
        "58062": ("ort_signee", date(2021, 7, 23), date(2019, 5, 2)),
        "21580": ("adhesion_signee", date(2021, 7, 23), None),
        "07186": ("ort_signee", None, date(2022, 11, 23)),
    }


def test_a_second_import_creates_nothing(monde, tmp_path):
    path = write_json(tmp_path, JSON_SAMPLE)
    import_programme(path=path)
    counts = [
        m.objects.count() for m in (Candidature, ConventionAdhesion, ConventionCadre, OrtHorsCadre)
    ]

    rapport = import_programme(path=path)

    assert [
        m.objects.count() for m in (Candidature, ConventionAdhesion, ConventionCadre, OrtHorsCadre)
    ] == counts
    assert (rapport.laureates_creees, rapport.conventions_creees, rapport.cadres_crees) == (0, 0, 0)
    assert rapport.laureates_existantes == 5
    assert import_programme(path=path, if_changed=True).deja_importe


def test_dry_run_writes_nothing(monde, tmp_path):
    rapport = import_programme(path=write_json(tmp_path, JSON_SAMPLE), dry_run=True)

    assert rapport.laureates_creees == 5
    assert not rapport.ecrit
    assert not Candidature.objects.exists()
    assert not ImportProgramme.objects.exists()


def test_every_bad_row_is_reported_and_nothing_is_written(monde, tmp_path):
    path = write_csv(
        tmp_path,
        [
            ["pvd-27-58-1", "58079", "Clamecy", "21/06/2021", ""],
            ["pvd_0001", "999999", "Trifouilly-les-Oies", "01/2021", ""],
            ["", "58999", "Inconnue", "", ""],
            ["", "58013", "Armes", "31/02/2021", ""],
            ["", "5807", "Court", "", ""],
            ["", "58079", "Clamecy", "", ""],
            ["", "58062", "Château-Chinon", "2999-01-01", ""],
        ],
    )

    rapport = import_programme(path=path)

    assert [str(e) for e in rapport.erreurs] == [
        "ligne 3 : « 999999 Trifouilly-les-Oies » — ligne de test « Trifouilly-les-Oies » publiée "
        "avec la liste de 2021 : refusée",
        "ligne 4 : « 58999 » — commune absente du code officiel géographique en vigueur",
        "ligne 5 : « 31/02/2021 » — date de signature illisible : attendu AAAA-MM-JJ ou JJ/MM/AAAA",
        "ligne 6 : « 5807 » — code INSEE invalide (5 caractères)",
        "ligne 7 : « 58079 » — commune en double (déjà ligne 2)",
        "ligne 8 : « 2999-01-01 » — date de signature dans le futur",
    ]
    assert not rapport.ecrit
    assert not Candidature.objects.exists()


def test_skipping_bad_rows_imports_the_others(monde, tmp_path):
    path = write_csv(
        tmp_path,
        [["", "58079", "Clamecy", "2021-06-21", ""], ["", "999999", "Trifouilly-les-Oies", "", ""]],
        delimiter=";",
    )

    rapport = import_programme(path=path, skip_invalid=True)

    assert len(rapport.erreurs) == 1
    assert rapport.laureates_creees == 1
    assert ConventionAdhesion.objects.get().signee_le == date(2021, 6, 21)


def test_a_renamed_commune_is_imported_with_a_warning(monde, tmp_path):
    rapport = import_programme(
        path=write_csv(tmp_path, [["", "58079", "Clamecy-la-Vieille", "", ""]])
    )

    assert rapport.laureates_creees == 1
    assert "nomme la commune 58079 « Clamecy »" in str(rapport.avertissements[0])


def test_an_existing_convention_is_never_overwritten(adhesion_signee, tmp_path):
    rapport = import_programme(
        path=write_json(
            tmp_path, {"58079": {"label": "Clamecy", "pvd": True, "pvd_signed_at": "2021-05-01"}}
        )
    )

    assert rapport.adhesions_existantes == 1
    assert ConventionAdhesion.objects.get().signee_le == date(2021, 6, 21)


@pytest.mark.parametrize(
    ("text", "expected"), [("2021-06-21", date(2021, 6, 21)), ("21/06/2021", date(2021, 6, 21))]
)
def test_dates_iso_or_french(text, expected):
    assert parse_date(text) == expected


def test_the_command_refuses_and_explains(monde, tmp_path):
    path = write_csv(tmp_path, [["", "999999", "Trifouilly-les-Oies", "", ""]])
    out = StringIO()

    with pytest.raises(CommandError, match="rien n’a été importé"):
        call_command("import_programme", path, stdout=out)

    assert "Trifouilly-les-Oies" in out.getvalue()


@pytest.mark.slow
@pytest.mark.django_db
def test_the_real_files_of_the_programme(tmp_path):
    """The full referential, the 2021 CSV as published, then the 2026 merged JSON, checked row
    by row against the source file."""
    import_territoires(source_dir=settings.TERRITOIRES_SOURCE_DIR)

    with pytest.raises(CommandError):
        call_command("import_programme", DATA / "pvd_laureates_2021-01.csv", stdout=StringIO())
    assert not Candidature.objects.exists()
    rapport = import_programme(
        path=DATA / "pvd_laureates_2021-01.csv", dry_run=True, skip_invalid=True
    )
    assert [e.valeur for e in rapport.erreurs] == ["999999 Trifouilly-les-Oies"]
    assert rapport.laureates_creees == 1606

    import_programme(path=DATA / "anct_programmes.json")

    source = {
        code: entry
        for code, entry in json.loads((DATA / "anct_programmes.json").read_text())[
            "communes"
        ].items()
        if entry.get("pvd")
    }
    dossiers = {d.pk: d for d in Dossier.objects.pvd().with_etape()}
    assert dossiers.keys() == source.keys()
    assert len(dossiers) == 1646
    for code, entry in source.items():
        assert str(dossiers[code].date_adhesion or "") == entry.get("pvd_signed_at", ""), code
        assert str(dossiers[code].date_ort or "") == entry.get("ort_signed_at", ""), code
    assert sum(1 for d in dossiers.values() if d.date_adhesion) == 1588
