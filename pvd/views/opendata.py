"""Open data: the page that documents every public file, and the public figures of the
dashboard for France, each région and each département, as CSV and JSON.

Only the indicators declared « public=True » (« pvd.indicateurs.registre »: the programme's
deployment and the Club, never money), computed as the dashboard computes them
(« calculer(Contexte(perimetre, today)) ») for today. Computing the ~120 perimeters takes
seconds (7 s on the demo data with SQLite), so the figures are computed once a day: the cache
key holds the date, and the first request of the day computes them (« chiffres_du_jour »).

The CSV is for spreadsheets: UTF-8 with a BOM, « ; » separators and decimal commas, which French
Excel opens as is; one row per perimeter, indicator and category (a distribution's category,
a series' month). The JSON is for programs: native numbers, the distributions and series as
the dashboard's API gives them, and the definition of every indicator.
"""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date, timedelta

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from communes.models import Departement, Region
from communes.perimetre import NATIONAL, Perimetre
from pvd.indicateurs import REGISTRE, Contexte, Indicateur, calculer
from pvd.navigation import fil_ariane

SOURCE = "ANCT — portail Petites villes de demain"
LICENCE = "Licence Ouverte 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
# Bump when the shape of the cached figures changes (a deployment then recomputes them).
VERSION_CACHE = 1

# The columns of communes-pvd.csv (written by `conventions.views.public`: a test compares its
# OPENDATA_COLUMNS with these) and of the dashboard's CSV, with what each holds. The page lists
# them; the dashboard's CSV writes them in this order.
COLONNES_COMMUNES = {
    "insee_com": "code INSEE de la commune",
    "lib_com": "nom de la commune (code officiel géographique)",
    "insee_dep": "code INSEE du département",
    "insee_reg": "code INSEE de la région",
    "siren_epci": "SIREN de l’intercommunalité (vide pour une commune isolée)",
    "etape": "« laureate », « adhesion_signee » (convention d’adhésion signée) ou « ort_signee » "
    "(opération de revitalisation de territoire signée)",
    "date_adhesion": "date de signature de la convention d’adhésion (AAAA-MM-JJ), vide si inconnue",
    "date_ort": "date de signature de l’ORT (AAAA-MM-JJ), vide si inconnue",
}
COLONNES_TABLEAU = {
    "perimetre": "« france », « region » ou « departement »",
    "code": "code INSEE de la région ou du département (vide pour la France)",
    "libelle": "nom du territoire",
    "date": "jour des chiffres (AAAA-MM-JJ) : le jour de la mise à jour",
    "cle": "clé stable de l’indicateur (voir la liste des indicateurs ci-dessous)",
    "indicateur": "libellé de l’indicateur",
    "categorie": "pour une répartition, la catégorie (par exemple une orientation) ; pour une "
    "série, le mois (AAAA-MM) ; vide pour un chiffre seul",
    "valeur": "la valeur, virgule décimale ; les pourcentages vont de 0 à 100, avec une décimale",
    "unite": "« nombre », « pourcentage » (des communes PVD du territoire), « moyenne », "
    "« repartition » (une ligne par catégorie : un nombre, ou un pourcentage quand la clé finit "
    "par « _pct ») ou « serie » (une ligne par mois)",
}
CLES_JSON = {
    "source": "l’origine des données",
    "licence, licence_url": "la licence de réutilisation et son texte",
    "date": "jour des chiffres (AAAA-MM-JJ)",
    "indicateurs": "la liste des indicateurs : « cle », « libelle », « definition », « unite », "
    "« section » (la partie du tableau de bord)",
    "perimetres": "un objet par territoire : « perimetre », « code », « libelle » (comme dans le "
    "CSV) et « valeurs », la valeur de chaque indicateur par clé : un nombre, un objet "
    "(répartition : catégorie → nombre) ou une liste (série : « mois », « communes »)",
}


def indicateurs_publics() -> list[Indicateur]:
    return [indicateur for indicateur in REGISTRE.values() if indicateur.public]


def perimetres() -> list[tuple[str, str, str, Perimetre]]:
    """(level, code, name, perimeter) of France, then each current région and département,
    by code."""
    regions = Region.objects.actuels().order_by("code").values_list("code", "nom")
    departements = Departement.objects.actuels().order_by("code").values_list("code", "nom")
    return [
        ("france", "", "France", NATIONAL),
        *(("region", code, nom, Perimetre(regions=frozenset({code}))) for code, nom in regions),
        *(
            ("departement", code, nom, Perimetre(departements=frozenset({code})))
            for code, nom in departements
        ),
    ]


def calculer_chiffres(jour: date) -> list[dict]:
    """The public figures of every perimeter at `jour` (seconds: see `chiffres_du_jour`)."""
    cles = [indicateur.cle for indicateur in indicateurs_publics()]
    return [
        {
            "perimetre": niveau,
            "code": code,
            "libelle": libelle,
            "valeurs": calculer(Contexte(perimetre, jour), cles),
        }
        for niveau, code, libelle, perimetre in perimetres()
    ]


def chiffres_du_jour(jour: date | None = None) -> tuple[date, list[dict]]:
    """Today's figures, computed once a day (the cache key holds the date and the public
    keys: a new indicator is published at once)."""
    jour = jour or timezone.localdate()
    cles = ",".join(indicateur.cle for indicateur in indicateurs_publics())
    empreinte = hashlib.sha256(cles.encode()).hexdigest()[:12]
    key = f"opendata:tableau-de-bord:{VERSION_CACHE}:{jour.isoformat()}:{empreinte}"
    chiffres = cache.get(key)
    if chiffres is None:
        chiffres = calculer_chiffres(jour)
        cache.set(key, chiffres, timeout=int(timedelta(hours=26).total_seconds()))
    return jour, chiffres


def _nombre(valeur) -> str:
    """A number as French Excel reads it: a decimal comma, empty when unknown."""
    if valeur is None:
        return ""
    return str(valeur).replace(".", ",")


def _categories(valeur) -> list[tuple[str, object]]:
    """(category, number) of a value: ("", value) for a single figure, one per category of a
    distribution ("a / b" when nested), one per month of a series."""
    if isinstance(valeur, dict):
        return [
            (f"{nom} / {sous}" if sous else nom, nombre)
            for nom, contenu in valeur.items()
            for sous, nombre in _categories(contenu)
        ]
    if isinstance(valeur, list):
        lignes = []
        for point in valeur:
            point = dict(point)
            mois = point.pop("mois", "")
            lignes += [
                (f"{mois} / {sous}" if len(point) > 1 else mois, nombre)
                for sous, nombre in point.items()
            ]
        return lignes
    return [("", valeur)]


def lignes_csv(jour: date, chiffres: list[dict]):
    indicateurs = indicateurs_publics()
    yield list(COLONNES_TABLEAU)
    for territoire in chiffres:
        for indicateur in indicateurs:
            for categorie, nombre in _categories(territoire["valeurs"][indicateur.cle]):
                yield [
                    territoire["perimetre"],
                    territoire["code"],
                    territoire["libelle"],
                    jour.isoformat(),
                    indicateur.cle,
                    indicateur.libelle,
                    categorie,
                    _nombre(nombre),
                    indicateur.unite.value,
                ]


@login_not_required
@require_GET
def tableau_de_bord_csv(request):
    jour, chiffres = chiffres_du_jour()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tableau-de-bord-pvd.csv"'
    response.write("\ufeff")  # the BOM: Excel then reads UTF-8
    csv.writer(response, delimiter=";", lineterminator="\r\n").writerows(lignes_csv(jour, chiffres))
    return response


@login_not_required
@require_GET
def tableau_de_bord_json(request):
    jour, chiffres = chiffres_du_jour()
    contenu = {
        "source": SOURCE,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "date": jour.isoformat(),
        "indicateurs": [
            {
                "cle": indicateur.cle,
                "libelle": indicateur.libelle,
                "definition": indicateur.definition,
                "unite": indicateur.unite.value,
                "section": indicateur.section.value,
            }
            for indicateur in indicateurs_publics()
        ],
        "perimetres": chiffres,
    }
    response = HttpResponse(
        json.dumps(contenu, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="tableau-de-bord-pvd.json"'
    return response


@login_not_required
@require_GET
def page(request):
    """The open data page: every file, every column, the licence."""
    return render(
        request,
        "opendata/index.html",
        {
            "colonnes_communes": COLONNES_COMMUNES,
            "colonnes_tableau": COLONNES_TABLEAU,
            "cles_json": CLES_JSON,
            "indicateurs": indicateurs_publics(),
            "licence_url": LICENCE_URL,
            "breadcrumb_data": fil_ariane("Données ouvertes"),
        },
    )
