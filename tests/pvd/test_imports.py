"""Bulk imports (pvd/imports/, financements/imports.py, ingenierie/imports.py): every row is
checked first, every bad row reported, nothing written if one is bad; a re-import updates by
external reference; who may import what; the templates; the file formats."""

import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from financements.models import Financement
from ingenierie.models import PosteChefDeProjet, SoutienIngenierie
from pvd.imports.lecture import Erreur, FichierIllisible, ImportInvalide, executer, lire, valider
from pvd.imports.registre import IMPORTS
from pvd.models import TransitionLog

FINANCEMENTS = IMPORTS["financements"]
POSTES = IMPORTS["chefs-de-projet"]
SOUTIENS = IMPORTS["soutiens"]

ENTETES_FINANCEMENTS = [
    "Référence externe",
    "Source de financement (code)",
    "Communes (codes INSEE)",
    "Objet",
    "Année",
    "Montant demandé (€)",
    "État",
    "Montant accordé (€)",
    "Décidé le",
]


def fichier(entetes, lignes, *, delimiter=";", encoding="utf-8", bom=False) -> bytes:
    sortie = io.StringIO()
    writer = csv.writer(sortie, delimiter=delimiter)
    writer.writerow(entetes)
    writer.writerows(lignes)
    return (("\ufeff" if bom else "") + sortie.getvalue()).encode(encoding)


def ligne_detr(i: int, **changes) -> list[str]:
    valeurs = {
        "reference": f"DETR-{i}",
        "source": "detr",
        "communes": "58079, 58013" if i % 2 else "58079",
        "objet": f"Opération {i}",
        "annee": "2022",
        "demande": f"{10000 + i},50",
        "etat": "Accordé" if i % 3 == 0 else "Demandé",
        "accorde": "8000" if i % 3 == 0 else "",
        "decide_le": "15/03/2022" if i % 3 == 0 else "",
    }
    valeurs.update(changes)
    return list(valeurs.values())


@pytest.fixture
def donnees(monde, referentiel):
    return monde


# Financing lines ----------------------------------------------------------------------------------


def test_three_bad_rows_among_many_write_nothing_and_are_all_reported(donnees, prefecture_58):
    lignes = [ligne_detr(i) for i in range(60)]
    lignes[4] = ligne_detr(4, communes="58079, 99999")  # line 6 of the spreadsheet
    lignes[18] = ligne_detr(18, demande="-5")  # line 20
    lignes[33] = ligne_detr(33, accorde="20000")  # line 35: more than requested
    contenu = fichier(ENTETES_FINANCEMENTS, lignes)

    with pytest.raises(ImportInvalide) as refus:
        executer(FINANCEMENTS, prefecture_58, "lignes.csv", contenu)

    assert refus.value.erreurs == [
        Erreur(6, "Communes (codes INSEE)", "58079, 99999", "code(s) INSEE inconnu(s) : 99999"),
        Erreur(20, "Montant demandé (€)", "-5", "Le montant demandé ne peut pas être négatif."),
        Erreur(
            35,
            "Montant accordé (€)",
            "20000",
            "Le montant accordé (20\u00a0000\u00a0€) dépasse le montant demandé "
            "(10\u00a0033,50\u00a0€) : modifiez d’abord la demande.",
        ),
    ]
    assert not Financement.objects.exists()


def test_fixed_file_imports_every_row_with_history_and_log(donnees, prefecture_58):
    contenu = fichier(ENTETES_FINANCEMENTS, [ligne_detr(i) for i in range(60)])

    resultat = executer(FINANCEMENTS, prefecture_58, "lignes DETR.csv", contenu)

    assert (resultat.creees, resultat.modifiees, resultat.inchangees) == (60, 0, 0)
    ligne = Financement.objects.get(reference_externe="DETR-3")
    assert ligne.etat == "accorde"
    assert ligne.montant_demande == Decimal("10003.50")
    assert ligne.montant_accorde == Decimal("8000")
    assert ligne.financeur.code == "etat"
    assert ligne.created_by == prefecture_58
    assert {c.code for c in ligne.communes.all()} == {"58079", "58013"}
    historique = ligne.history.get()
    assert historique.history_user == prefecture_58
    assert historique.history_change_reason == "Import du fichier lignes DETR.csv"
    assert {c.commune_id for c in historique.communes.all()} == {"58079", "58013"}
    etapes = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Financement), object_id=ligne.pk
    )
    assert [(e.transition, e.cible) for e in etapes] == [
        ("demander", "demande"),
        ("accorder", "accorde"),
    ]


def test_same_file_again_creates_no_duplicate_and_a_change_updates(donnees, prefecture_58):
    lignes = [ligne_detr(i) for i in range(30)]
    executer(FINANCEMENTS, prefecture_58, "a.csv", fichier(ENTETES_FINANCEMENTS, lignes))

    encore = executer(FINANCEMENTS, prefecture_58, "a.csv", fichier(ENTETES_FINANCEMENTS, lignes))
    lignes[1] = ligne_detr(1, demande="99000", communes="58079")
    lignes[2] = ligne_detr(2, etat="Refusé", decide_le="2022-04-01")
    modifie = executer(FINANCEMENTS, prefecture_58, "b.csv", fichier(ENTETES_FINANCEMENTS, lignes))

    assert (encore.creees, encore.modifiees, encore.inchangees) == (0, 0, 30)
    assert (modifie.creees, modifie.modifiees, modifie.inchangees) == (0, 2, 28)
    assert Financement.objects.count() == 30
    une = Financement.objects.get(reference_externe="DETR-1")
    assert (une.montant_demande, une.version) == (Decimal("99000"), 2)
    assert [c.code for c in une.communes.all()] == ["58079"]
    derniere = une.history.order_by("-history_id").first()
    assert derniere.history_change_reason == "Import du fichier b.csv"
    assert [c.commune_id for c in derniere.communes.all()] == ["58079"]
    refusee = Financement.objects.get(reference_externe="DETR-2")
    assert refusee.etat == "refuse"


def test_a_decided_line_cannot_change_by_import(donnees, prefecture_58):
    lignes = [ligne_detr(3)]  # granted
    executer(FINANCEMENTS, prefecture_58, "a.csv", fichier(ENTETES_FINANCEMENTS, lignes))

    with pytest.raises(ImportInvalide) as refus:
        executer(
            FINANCEMENTS,
            prefecture_58,
            "b.csv",
            fichier(ENTETES_FINANCEMENTS, [ligne_detr(3, objet="Autre chose")]),
        )

    [erreur] = refus.value.erreurs
    assert (erreur.ligne, erreur.colonne) == (2, "Référence externe")
    assert erreur.raison.startswith("Ce financement est décidé")
    assert "Objet" in erreur.raison


def test_a_reference_given_twice_in_the_file_is_an_error(donnees, prefecture_58):
    contenu = fichier(ENTETES_FINANCEMENTS, [ligne_detr(1), ligne_detr(1)])

    with pytest.raises(ImportInvalide) as refus:
        executer(FINANCEMENTS, prefecture_58, "a.csv", contenu)

    assert [(e.ligne, e.raison) for e in refus.value.erreurs] == [
        (3, "cette référence figure déjà ligne 2")
    ]


def test_partner_cannot_import_lines_of_another_financeur(donnees, partenaire):
    lignes = [
        ligne_detr(1, source="bdt-manager-commerce", reference="BDT-1"),
        ligne_detr(2),  # DETR: the État's line
    ]

    with pytest.raises(ImportInvalide) as refus:
        executer(FINANCEMENTS, partenaire, "a.csv", fichier(ENTETES_FINANCEMENTS, lignes))

    [erreur] = refus.value.erreurs
    assert (erreur.ligne, erreur.colonne, erreur.valeur) == (
        3,
        "Source de financement (code)",
        "detr",
    )
    assert "vous n’enregistrez que celles de votre organisation" in erreur.raison
    resultat = executer(
        FINANCEMENTS, partenaire, "b.csv", fichier(ENTETES_FINANCEMENTS, lignes[:1])
    )
    assert resultat.creees == 1
    assert Financement.objects.get().financeur == donnees.banque_des_territoires


def test_prefecture_cannot_import_outside_its_departement(donnees, prefecture_07):
    lignes = [ligne_detr(1, communes="07186"), ligne_detr(2, communes="58079")]

    with pytest.raises(ImportInvalide) as refus:
        executer(FINANCEMENTS, prefecture_07, "a.csv", fichier(ENTETES_FINANCEMENTS, lignes))

    [erreur] = refus.value.erreurs
    assert (erreur.ligne, erreur.colonne, erreur.valeur) == (3, "Communes (codes INSEE)", "58079")
    assert "ne relèvent pas de votre périmètre" in erreur.raison
    assert not Financement.objects.exists()


def test_a_reference_of_a_line_outside_the_perimeter_is_refused(
    donnees, prefecture_58, prefecture_07
):
    executer(FINANCEMENTS, prefecture_58, "a.csv", fichier(ENTETES_FINANCEMENTS, [ligne_detr(2)]))

    with pytest.raises(ImportInvalide) as refus:
        executer(
            FINANCEMENTS,
            prefecture_07,
            "b.csv",
            fichier(ENTETES_FINANCEMENTS, [ligne_detr(2, communes="07186")]),
        )

    assert [e.colonne for e in refus.value.erreurs] == ["Référence externe"]


@pytest.mark.parametrize(
    ("delimiter", "encoding", "bom"),
    [(";", "utf-8", True), (",", "utf-8", False), (";", "cp1252", False), ("\t", "utf-8", True)],
)
def test_csv_delimiters_and_encodings(donnees, prefecture_58, delimiter, encoding, bom):
    contenu = fichier(
        ENTETES_FINANCEMENTS,
        [ligne_detr(3, objet="Halles : études préalables")],
        delimiter=delimiter,
        encoding=encoding,
        bom=bom,
    )

    executer(FINANCEMENTS, prefecture_58, "a.csv", contenu)

    ligne = Financement.objects.get()
    assert (ligne.objet, ligne.etat) == ("Halles : études préalables", "accorde")


def test_xlsx_with_typed_cells(donnees, prefecture_58):
    classeur = Workbook()
    feuille = classeur.active
    feuille.append(ENTETES_FINANCEMENTS)
    feuille.append(
        ["X-1", "detr", 58079, "Halles", 2022, 12345.67, "accordé", 10000, datetime(2022, 3, 15)]
    )
    feuille.append([None] * 9)  # an empty row is skipped
    sortie = io.BytesIO()
    classeur.save(sortie)

    resultat = executer(FINANCEMENTS, prefecture_58, "a.xlsx", sortie.getvalue())

    ligne = Financement.objects.get()
    assert resultat.creees == 1
    assert (ligne.montant_demande, ligne.decide_le.isoformat()) == (
        Decimal("12345.67"),
        "2022-03-15",
    )


def test_unreadable_files_are_refused_with_one_message(donnees, prefecture_58):
    with pytest.raises(FichierIllisible, match="Colonnes obligatoires absentes"):
        lire(b"Nom;Prenom\nA;B\n", FINANCEMENTS.colonnes)
    with pytest.raises(FichierIllisible, match="vide"):
        lire(b"", FINANCEMENTS.colonnes)
    with pytest.raises(FichierIllisible, match="XLSX ne peut pas"):
        lire(b"PK\x03\x04pas un zip", FINANCEMENTS.colonnes)
    with pytest.raises(FichierIllisible, match="dépasse 10\u00a0000 lignes"):
        lire(fichier(ENTETES_FINANCEMENTS, [ligne_detr(1)] * 10_001), FINANCEMENTS.colonnes)


def test_validation_queries_do_not_grow_with_rows(
    donnees, prefecture_58, django_assert_num_queries
):
    def requetes(n: int) -> int:
        lignes = lire(
            fichier(ENTETES_FINANCEMENTS, [ligne_detr(i) for i in range(n)]),
            FINANCEMENTS.colonnes,
        )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as capture:
            valider(FINANCEMENTS, prefecture_58, lignes)
        return len(capture)

    executer(
        FINANCEMENTS,
        prefecture_58,
        "a.csv",
        fichier(ENTETES_FINANCEMENTS, [ligne_detr(i) for i in range(40)]),
    )
    assert requetes(2) == requetes(40)


# Chefs de projet and soutiens ---------------------------------------------------------------------


ENTETES_POSTES = [
    "Référence externe",
    "Communes (codes INSEE)",
    "Employeur (code INSEE ou SIREN)",
    "État",
    "Nom du titulaire",
    "Prise de poste",
    "Coût annuel (€)",
    "Subvention ANCT (€ par an)",
    "Subvention Banque des Territoires (€ par an)",
]


def test_postes_import_log_steps_and_update(donnees, prefecture_58, adhesion_signee):
    lignes = [
        [
            "CDP-1",
            "58079, 58013",
            "200067429",
            "Occupé",
            "Camille Martin",
            "01/02/2022",
            "60000",
            "20000",
            "10000",
        ],
        ["CDP-2", "58079", "58079", "", "", "", "50000", "25000", ""],
    ]

    resultat = executer(POSTES, prefecture_58, "postes.csv", fichier(ENTETES_POSTES, lignes))
    lignes[1][6] = "55000"
    encore = executer(POSTES, prefecture_58, "postes.csv", fichier(ENTETES_POSTES, lignes))

    assert (resultat.creees, encore.modifiees, encore.inchangees) == (2, 1, 1)
    partage = PosteChefDeProjet.objects.get(reference_externe="CDP-1")
    assert partage.adhesion == adhesion_signee
    assert partage.employeur_epci_id == "200067429"
    assert (partage.etat, partage.titulaire_nom) == ("occupe", "Camille Martin")
    etapes = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(PosteChefDeProjet), object_id=partage.pk
    )
    assert [(e.transition, e.source, e.cible) for e in etapes] == [
        ("creer", "", "a_recruter"),
        ("recruter", "a_recruter", "en_recrutement"),
        ("pourvoir", "en_recrutement", "occupe"),
    ]
    seul = PosteChefDeProjet.objects.get(reference_externe="CDP-2")
    assert (seul.cout_annuel, seul.version, seul.history.count()) == (Decimal("55000"), 2, 2)


def test_postes_rules_of_the_services_and_perimeter(donnees, prefecture_58, prefecture_07):
    lignes = [
        ["A", "58079", "58079", "", "", "", "40000", "30001", ""],  # above 75 %
        ["B", "58079", "58079", "Occupé", "", "", "40000", "", ""],  # no holder
        ["C", "58079, 58013", "58079", "", "", "", "40000", "", ""],  # shared, no convention
    ]

    with pytest.raises(ImportInvalide) as refus:
        executer(POSTES, prefecture_58, "postes.csv", fichier(ENTETES_POSTES, lignes))
    with pytest.raises(ImportInvalide) as ailleurs:
        executer(POSTES, prefecture_07, "postes.csv", fichier(ENTETES_POSTES, [lignes[0]]))

    assert [(e.ligne, e.colonne) for e in refus.value.erreurs] == [
        (2, "Coût annuel (€)"),
        (3, "État"),
        (4, "Communes (codes INSEE)"),
    ]
    assert "dépasse 75 %" in refus.value.erreurs[0].raison
    assert "préfecture des communes" in ailleurs.value.erreurs[0].raison
    assert not PosteChefDeProjet.objects.exists()


ENTETES_SOUTIENS = [
    "Référence externe",
    "Partenaire (code du référentiel)",
    "Communes (codes INSEE)",
    "Nature",
    "Objet",
    "Montant (€)",
    "Nombre de jours",
]


def test_soutiens_of_the_partner_only_in_one_unit(donnees, partenaire):
    lignes = [
        ["S-1", "bdt", "58079", "Étude", "Étude de revitalisation", "15000", ""],
        ["S-2", "cerema", "58079", "Diagnostic", "Diagnostic", "", "12"],
        ["S-3", "bdt", "58079", "AMO", "AMO", "15000", "12"],
    ]

    with pytest.raises(ImportInvalide) as refus:
        executer(SOUTIENS, partenaire, "soutiens.csv", fichier(ENTETES_SOUTIENS, lignes))
    resultat = executer(SOUTIENS, partenaire, "s.csv", fichier(ENTETES_SOUTIENS, lignes[:1]))
    encore = executer(SOUTIENS, partenaire, "s.csv", fichier(ENTETES_SOUTIENS, lignes[:1]))

    assert [(e.ligne, e.colonne) for e in refus.value.erreurs] == [
        (3, "Partenaire (code du référentiel)"),
        (4, "Montant (€)"),
    ]
    assert (resultat.creees, encore.inchangees) == (1, 1)
    soutien = SoutienIngenierie.objects.get()
    assert (soutien.nature, soutien.montant_euros, soutien.organisation.code) == (
        "etude",
        Decimal("15000"),
        "bdt",
    )


# The pages ----------------------------------------------------------------------------------------


def test_error_report_page_lists_every_bad_row(donnees, client, prefecture_58):
    client.force_login(prefecture_58)
    lignes = [ligne_detr(i) for i in range(10)]
    lignes[3] = ligne_detr(3, annee="1999")
    contenu = fichier(ENTETES_FINANCEMENTS, lignes)

    response = client.post(
        reverse("imports:importer", args=["financements"]),
        {"fichier": io.BytesIO(contenu)},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "1 ligne est à corriger" in page
    assert "Un nombre entier de 2020 à 2100 est attendu" in page
    assert "« 1999 »" in page
    assert not Financement.objects.exists()


def test_success_page_says_created_and_updated(donnees, client, prefecture_58):
    client.force_login(prefecture_58)
    url = reverse("imports:importer", args=["financements"])
    contenu = fichier(ENTETES_FINANCEMENTS, [ligne_detr(i) for i in range(3)])
    upload = io.BytesIO(contenu)
    upload.name = "lignes.csv"

    response = client.post(url, {"fichier": upload}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert "Import de « lignes.csv » réussi : 3 lignes créées, 0 ligne mise à jour" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("slug", "persona"),
    [
        ("financements", "partenaire"),
        ("chefs-de-projet", "prefecture_58"),
        ("soutiens", "partenaire"),
    ],
)
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_template_downloads_and_imports_empty_but_valid(donnees, as_persona, slug, persona, format):
    client = as_persona(persona)

    modele = client.get(reverse("imports:modele", args=[slug, format]))
    upload = io.BytesIO(modele.content)
    upload.name = f"modele.{format}"
    response = client.post(
        reverse("imports:importer", args=[slug]), {"fichier": upload}, follow=True
    )

    assert modele.status_code == 200
    assert "attachment" in modele["Content-Disposition"]
    assert "le fichier ne contient aucune ligne, rien n’a changé" in response.content.decode()
    if format == "xlsx":
        classeur = load_workbook(io.BytesIO(modele.content))
        assert [c.value for c in classeur["Import"][1]] == [
            c.entete for c in IMPORTS[slug].colonnes
        ]
        assert classeur["Aide"]["A3"].value == IMPORTS[slug].colonnes[0].entete
    else:
        assert modele.content.startswith("\ufeffRéférence externe;".encode())
