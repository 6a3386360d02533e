"""Exports of the lists (CSV and XLSX): the file (BOM, separator, chosen columns, typed cells,
neutralised formulas), the perimeter and the list's filters, the large-export path through a
Celery task, and queries that do not grow with the rows."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from club.models import Evenement, Inscription, Participant, Thematique
from communes.models import User
from conventions.models import Candidature, ConventionAdhesion
from conventions.services import candidatures as candidature_services
from financements.models import Financement, SourceFinancement
from ingenierie.models import PosteChefDeProjet
from pvd.exports import services
from pvd.exports.base import Colonne, ecrire, neutraliser
from pvd.exports.listes import LISTES
from pvd.models import EtatExport, Export
from pvd.tasks import construire_export
from tests.factories import CommuneFactory


def _url(liste: str, query: str = "") -> str:
    return reverse("exports:export_form", args=[liste]) + (f"?{query}" if query else "")


def _csv_rows(response) -> list[list[str]]:
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM, so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _xlsx_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def _export(client, liste: str, colonnes: list[str] | None = None, query="", format="csv"):
    data = {"format": format, "colonnes": colonnes or [c.cle for c in LISTES[liste].colonnes]}
    return client.post(_url(liste, query), data)


@pytest.fixture
def privas_candidate(monde, prefecture_07):
    """Privas (Ardèche) has an open candidature: it is in the programme too."""
    return candidature_services.create_candidature(
        by=prefecture_07, communes=[monde.privas], deposee_le=date(2021, 1, 4)
    )


@pytest.fixture
def detr(referentiel) -> SourceFinancement:
    return SourceFinancement.objects.get(code="detr")


def _financement(source, commune, objet="Halles", montant="1500.50") -> Financement:
    ligne = Financement.objects.create(
        source=source,
        financeur=source.financeur,
        objet=objet,
        annee=2022,
        montant_demande=Decimal(montant),
    )
    ligne.communes.add(commune)
    return ligne


# The writers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Clamecy", "Clamecy"),
        ("", ""),
    ],
)
def test_neutraliser(texte, attendu):
    assert neutraliser(texte) == attendu


COLONNES = [
    Colonne("texte", "Texte", lambda o: o["texte"]),
    Colonne("nombre", "Nombre", lambda o: o["nombre"]),
    Colonne("montant", "Montant (€)", lambda o: o["montant"]),
    Colonne("date", "Date", lambda o: o["date"]),
    Colonne("oui", "Oui ?", lambda o: o["oui"]),
]
OBJETS = [
    {
        "texte": "=1+1",
        "nombre": -1,
        "montant": Decimal("-1234.5"),
        "date": date(2021, 6, 21),
        "oui": True,
    },
    {"texte": "@SUM(A1)", "nombre": 3, "montant": None, "date": None, "oui": False},
]


def test_csv_is_french_excel_csv_numbers_stay_numbers():
    content, n = ecrire("csv", COLONNES, OBJETS)

    assert n == 2
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Texte;Nombre;Montant (€);Date;Oui ?"
    # Formulas neutralised; a negative number is a number (no apostrophe), decimal comma.
    assert lines[1] == "'=1+1;-1;-1234,5;21/06/2021;oui"
    assert lines[2] == "'@SUM(A1);3;;;non"


def test_xlsx_cells_are_typed_and_formulas_neutralised():
    content, n = ecrire("xlsx", COLONNES, OBJETS)

    rows = _xlsx_rows(content)
    assert n == 2
    assert rows[0] == ("Texte", "Nombre", "Montant (€)", "Date", "Oui ?")
    texte, nombre, montant, jour, oui = rows[1]
    assert texte == "'=1+1"
    assert nombre == -1
    assert isinstance(nombre, int)
    assert montant == -1234.5
    assert jour.date() == date(2021, 6, 21)
    assert oui == "oui"
    assert rows[2][0] == "'@SUM(A1)"
    assert not any(
        cell.data_type == "f"
        for row in load_workbook(io.BytesIO(content)).active.iter_rows()
        for cell in row
    )


# Small exports: downloaded at once ------------------------------------------------------


def test_form_ticks_every_column_and_counts_the_rows(client, anct, laureates):
    client.force_login(anct)

    response = client.get(_url("dossiers"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('type="checkbox"') == len(LISTES["dossiers"].colonnes)
    assert html.count("checked") >= len(LISTES["dossiers"].colonnes)
    assert "2 lignes" in html


def test_csv_export_has_bom_separator_and_chosen_columns_only(client, anct, laureates):
    client.force_login(anct)

    response = _export(client, "dossiers", ["commune", "code", "etape"])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="pvd-dossiers-')
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = _csv_rows(response)
    # In the order of the list, whatever the order ticked.
    assert rows == [
        ["Code INSEE", "Commune", "Étape"],
        ["58013", "Armes", "Lauréate"],
        ["58079", "Clamecy", "Lauréate"],
    ]


def test_xlsx_export_opens_with_openpyxl(client, prefecture_58, laureates, detr, monde):
    _financement(detr, monde.clamecy, objet='=HYPERLINK("http://evil")', montant="30000.25")
    client.force_login(prefecture_58)

    response = _export(
        client, "financements", ["objet", "montant_demande", "annee", "communes"], format="xlsx"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _xlsx_rows(response.content)
    assert rows[0] == ("Objet", "Année", "Communes", "Montant demandé (€)")
    assert rows[1] == ('\'=HYPERLINK("http://evil")', 2022, "Clamecy", 30000.25)


def test_export_is_limited_to_the_perimeter(
    client, prefecture_07, anct, laureates, privas_candidate
):
    client.force_login(prefecture_07)
    codes = [row[0] for row in _csv_rows(_export(client, "dossiers", ["code"]))[1:]]
    assert codes == ["07186"]  # no commune of the Nièvre

    client.force_login(anct)
    codes = [row[0] for row in _csv_rows(_export(client, "dossiers", ["code"]))[1:]]
    assert codes == ["58013", "58079", "07186"]


def test_export_applies_the_lists_filters(client, anct, laureates, privas_candidate):
    client.force_login(anct)

    response = _export(client, "dossiers", ["commune"], query="etape=candidate&page=3")

    assert _csv_rows(response)[1:] == [["Privas"]]


def test_financements_of_another_departement_are_not_exported(
    client, prefecture_07, laureates, detr, monde
):
    _financement(detr, monde.clamecy)
    client.force_login(prefecture_07)

    assert _csv_rows(_export(client, "financements", ["objet"])) == [["Objet"]]


def test_no_column_chosen_is_a_french_error(client, anct, laureates):
    client.force_login(anct)

    response = client.post(_url("dossiers"), {"format": "csv"})

    assert response.status_code == 400
    assert "Choisissez au moins une colonne." in response.content.decode()


def test_unknown_column_or_format_is_refused(client, anct, laureates):
    client.force_login(anct)

    assert (
        client.post(_url("dossiers"), {"format": "csv", "colonnes": ["mot_de_passe"]}).status_code
        == 400
    )
    assert client.post(_url("dossiers"), {"format": "pdf", "colonnes": ["code"]}).status_code == 400


def test_unknown_list_is_404(client, anct):
    client.force_login(anct)

    assert client.get(_url("utilisateurs")).status_code == 404


# Large exports: a Celery task, kept for their author --------------------------------------


@pytest.fixture
def grand(settings, laureates, privas_candidate):
    """Two rows is « large »: the threshold is a setting."""
    settings.EXPORT_LIGNES_IMMEDIATES = 1


def test_large_export_is_built_by_the_task_and_kept(
    client, anct, grand, django_capture_on_commit_callbacks
):
    client.force_login(anct)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _export(
            client, "dossiers", ["code", "commune"], query="etape=laureate", format="xlsx"
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("exports:mes_exports")
    assert len(callbacks) == 1  # queued once the request is saved
    export = Export.objects.get()
    assert (export.auteur, export.liste, export.format) == (anct, "dossiers", "xlsx")
    assert export.colonnes == ["code", "commune"]
    assert export.filtres == {"etape": ["laureate"]}
    assert export.etat == EtatExport.PRET
    assert export.nombre_lignes == 2
    assert export.fichier.name.startswith("exports/")
    assert export.fichier.name.endswith(".xlsx")

    page = client.get(reverse("exports:mes_exports")).content.decode()
    assert "Dossiers des communes et leur étape" in page
    assert "Télécharger" in page
    download = client.get(reverse("exports:telecharger", args=[export.pk]))
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    rows = _xlsx_rows(b"".join(download.streaming_content))
    download.close()
    assert rows == [("Code INSEE", "Commune"), ("58013", "Armes"), ("58079", "Clamecy")]


def test_only_the_author_downloads_an_export(client, anct, prefecture_58, grand):
    export = services.demander_export(
        by=anct, liste=LISTES["dossiers"], filtres=_querydict(), colonnes=["code"], format="csv"
    )
    construire_export(export.pk)
    client.force_login(prefecture_58)

    assert client.get(reverse("exports:telecharger", args=[export.pk])).status_code == 404
    assert (
        "Dossiers des communes" not in client.get(reverse("exports:mes_exports")).content.decode()
    )


def test_export_not_ready_is_not_downloadable(client, anct, grand):
    export = Export.objects.create(auteur=anct, liste="dossiers", format="csv", colonnes=["code"])
    client.force_login(anct)

    assert client.get(reverse("exports:telecharger", args=[export.pk])).status_code == 404
    assert "En préparation" in client.get(reverse("exports:mes_exports")).content.decode()


def test_task_is_idempotent(anct, grand):
    export = Export.objects.create(auteur=anct, liste="dossiers", format="csv", colonnes=["code"])

    assert construire_export(export.pk) == EtatExport.PRET
    fichier = Export.objects.get().fichier.name
    assert construire_export(export.pk) == EtatExport.PRET

    export.refresh_from_db()
    assert export.fichier.name == fichier  # built once
    assert export.nombre_lignes == 3


def test_task_uses_the_authors_perimeter(prefecture_07, grand):
    export = Export.objects.create(
        auteur=prefecture_07, liste="dossiers", format="csv", colonnes=["code"]
    )

    construire_export(export.pk)

    export.refresh_from_db()
    with export.fichier.open("rb") as fichier:
        assert fichier.read().decode("utf-8-sig").splitlines() == ["Code INSEE", "07186"]


def test_task_of_a_list_that_no_longer_exports_fails_in_french(anct):
    export = Export.objects.create(auteur=anct, liste="disparue", format="csv", colonnes=["code"])

    assert construire_export.delay(export.pk).get() == EtatExport.ECHEC

    export.refresh_from_db()
    assert export.etat == EtatExport.ECHEC
    assert "ne s’exportent plus" in export.motif_echec


def _querydict(**filtres):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for cle, valeur in filtres.items():
        data[cle] = valeur
    return data


# Queries that do not grow with the rows ---------------------------------------------------


def _make(liste: str, n: int, monde, detr):
    """n rows of `liste` in the Nièvre (written directly: only their reading is tested)."""
    for i in range(n):
        commune = CommuneFactory(departement=monde.nievre, epci=monde.haut_nivernais)
        match liste:
            case "dossiers":
                Candidature.objects.create(
                    etat="deposee", deposee_le=date(2021, 1, 4)
                ).communes.add(commune)
            case "conventions":
                ConventionAdhesion.objects.create().communes.add(commune)
            case "postes":
                poste = PosteChefDeProjet.objects.create(
                    employeur_commune=commune, cout_annuel=Decimal("60000")
                )
                poste.communes.add(commune)
            case "financements":
                _financement(detr, commune)
            case "evenements" | "inscriptions":
                debut = timezone.now() + timedelta(days=1)
                evenement = Evenement.objects.create(
                    thematique=Thematique.objects.get_or_create(code="t", libelle="T")[0],
                    type="webinaire",
                    titre=f"Webinaire {i}",
                    debut=debut,
                    fin=debut + timedelta(hours=1),
                    lien="https://webinaire.example.org/pvd",
                    etat="publie",
                )
                participant = Participant.objects.create(
                    email=f"p{commune.code}@example.org",
                    nom=f"Nom {i}",
                    commune=commune,
                    origine="compte",
                )
                Inscription.objects.create(
                    evenement=evenement, participant=participant, etat="inscrit", source="personne"
                )


def _queries(liste: str, user) -> tuple[int, int]:
    user = User.objects.get(pk=user.pk)  # as a request loads it (its perimeter not cached)
    with CaptureQueriesContext(connection) as queries:
        _, n = services.produire(
            liste=LISTES[liste],
            user=user,
            filtres=_querydict(),
            colonnes=[c.cle for c in LISTES[liste].colonnes],
            format="xlsx",
        )
    return len(queries), n


@pytest.mark.parametrize("liste", sorted(LISTES))
def test_queries_do_not_grow_with_rows(liste, anct, monde, detr):
    _make(liste, 2, monde, detr)
    queries_2, n_2 = _queries(liste, anct)
    _make(liste, 18, monde, detr)
    queries_20, n_20 = _queries(liste, anct)

    assert (n_2, n_20) == (2, 20)
    assert queries_20 == queries_2


def test_conventions_export_reads_the_api_filters(client, anct, adhesion_signee):
    client.force_login(anct)

    rows = _csv_rows(
        _export(client, "conventions", ["etat", "signee_le", "communes"], "departement=58")
    )
    assert rows == [
        ["État", "Signée le", "Communes"],
        ["Signée", "21/06/2021", "Armes, Clamecy"],
    ]
    assert len(_csv_rows(_export(client, "conventions", ["etat"], "departement=07"))) == 1


def test_inscriptions_export_of_one_event(client, anct, monde):
    _make("inscriptions", 2, monde, None)
    evenement = Evenement.objects.order_by("pk").first()
    client.force_login(anct)

    rows = _csv_rows(
        _export(client, "inscriptions", ["evenement", "etat"], f"evenement={evenement.pk}")
    )

    assert rows == [["Événement", "État de l’inscription"], [evenement.titre, "Inscrit"]]
