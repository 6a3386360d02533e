"""Times the bulk imports on the demo database: a file of N rows (10,000 by default) imported
as the demo préfecture (all created), imported again (all unchanged), modified (all updated),
and spoilt with 3 bad rows (refused, nothing written). Prints reading, validation and writing
times, the queries, the rows. Everything is rolled back at the end: the database is unchanged.

DATABASE_URL=postgres://…/pvd_imports_bench REDIS_URL= .venv/bin/python bench/imports.py \
    [--lignes 10000] [--import financements|chefs-de-projet|soutiens|tous]
"""

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from communes.models import Commune, User  # noqa: E402
from pvd.imports.lecture import ImportInvalide, lire, raison_import, valider  # noqa: E402
from pvd.imports.registre import IMPORTS  # noqa: E402


def _csv(entetes: list[str], lignes: list[list[str]]) -> bytes:
    sortie = io.StringIO()
    writer = csv.writer(sortie, delimiter=";")
    writer.writerow(entetes)
    writer.writerows(lignes)
    return sortie.getvalue().encode("utf-8-sig")


def financements(communes: list[str], n: int, variante: int) -> bytes:
    lignes = []
    for i in range(n):
        etat = ("Demandé", "Accordé", "Refusé")[i % 3]
        # The variant changes the requests only: a decided line changes no more.
        demande = 10_000 + (i % 500) * 100 + (variante if etat == "Demandé" else 0)
        lignes.append(
            [
                f"BENCH-F-{i}",
                "detr",
                ", ".join(communes[(i + k) % len(communes)] for k in range(1 + i % 2)),
                f"Opération {i}",
                "2022",
                f"{demande},00",
                etat,
                f"{demande // 2},50" if etat == "Accordé" else "",
                "15/03/2022" if etat != "Demandé" else "",
            ]
        )
    entetes = [
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
    return _csv(entetes, lignes)


def postes(communes: list[str], n: int, variante: int) -> bytes:
    lignes = []
    for i in range(n):
        commune = communes[i % len(communes)]
        lignes.append(
            [
                f"BENCH-P-{i}",
                commune,
                commune,
                "Occupé" if i % 2 else "En recrutement",
                f"Titulaire {i}" if i % 2 else "",
                "01/02/2022" if i % 2 else "",
                str(60_000 + variante),
                "20000",
                "10000",
            ]
        )
    entetes = [
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
    return _csv(entetes, lignes)


def soutiens(communes: list[str], n: int, variante: int) -> bytes:
    lignes = [
        [
            f"BENCH-S-{i}",
            "cerema" if i % 2 else "bdt",
            communes[i % len(communes)],
            "Étude",
            f"Étude {i}",
            "" if i % 2 else str(15_000 + variante),
            str(10 + variante) if i % 2 else "",
        ]
        for i in range(n)
    ]
    entetes = [
        "Référence externe",
        "Partenaire (code du référentiel)",
        "Communes (codes INSEE)",
        "Nature",
        "Objet",
        "Montant (€)",
        "Nombre de jours",
    ]
    return _csv(entetes, lignes)


FICHIERS = {"financements": financements, "chefs-de-projet": postes, "soutiens": soutiens}


def _gate(contenu: bytes, numeros: list[int]) -> bytes:
    """The same file with the given data rows (1-based) spoilt: an unknown INSEE code."""
    lignes = contenu.decode("utf-8-sig").splitlines()
    for numero in numeros:
        cellules = lignes[numero].split(";")
        index = next(i for i, c in enumerate(cellules) if c and c[:2].isdigit() and len(c) >= 5)
        cellules[index] = "99999"
        lignes[numero] = ";".join(cellules)
    return "\n".join(lignes).encode("utf-8")


def _run(definition, user, contenu: bytes, etape: str) -> None:
    with CaptureQueriesContext(connection) as requetes:
        debut = time.perf_counter()
        lignes = lire(contenu, definition.colonnes)
        lu = time.perf_counter()
        try:
            plan = valider(definition, user, lignes)
        except ImportInvalide as error:
            valide = time.perf_counter()
            print(
                f"  {etape:<22} {len(lignes):>6} lignes  lecture {lu - debut:6.2f} s  "
                f"validation {valide - lu:6.2f} s  refusé : {len(error.erreurs)} erreur(s) "
                f"lignes {sorted({e.ligne for e in error.erreurs})}  "
                f"{len(requetes)} requêtes"
            )
            return
        valide = time.perf_counter()
        with transaction.atomic():
            resultat = definition.ecrire(user, plan, raison_import(f"{etape}.csv"))
        fin = time.perf_counter()
    print(
        f"  {etape:<22} {len(lignes):>6} lignes  lecture {lu - debut:6.2f} s  "
        f"validation {valide - lu:6.2f} s  écriture {fin - valide:6.2f} s  "
        f"total {fin - debut:6.2f} s  créées {resultat.creees}, modifiées "
        f"{resultat.modifiees}, inchangées {resultat.inchangees}  {len(requetes)} requêtes"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lignes", type=int, default=10_000)
    parser.add_argument("--import", dest="slug", default="tous")
    options = parser.parse_args()
    user = User.objects.get(email="prefecture@demo.pvd.test")
    departement = user.habilitations_list[0].departement_id
    # Communes of the département, each in a convention d'adhésion when there is one (a post
    # is attached to its commune's convention).
    communes = list(
        Commune.objects.filter(departement=departement, obsolete=False)
        .order_by("code")
        .values_list("code", flat=True)
    )
    print(
        f"{connection.vendor}, préfecture du département {departement} "
        f"({len(communes)} communes), {options.lignes} lignes par fichier"
    )
    slugs = list(FICHIERS) if options.slug == "tous" else [options.slug]
    with transaction.atomic():
        for slug in slugs:
            definition, fabrique = IMPORTS[slug], FICHIERS[slug]
            print(definition.titre)
            fichier = fabrique(communes, options.lignes, 0)
            mauvais = _gate(fichier, [10, options.lignes // 2, options.lignes - 1])
            _run(definition, user, mauvais, "3 lignes fausses")
            _run(definition, user, fichier, "premier import")
            _run(definition, user, fichier, "même fichier")
            _run(definition, user, fabrique(communes, options.lignes, 1), "fichier modifié")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
