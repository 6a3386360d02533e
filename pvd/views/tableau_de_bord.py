"""The national dashboard (*tableau de bord*): the registry's indicators for a perimeter at a
date, grouped by the sections of seed 001, each figure with its change since the previous
published note de suivi, the répartitions and the monthly series as charts (`@gouvfr/dsfr-chart`)
each followed by its data table, and the map of the départements.

Who reads what is `pvd.indicateurs.acces`, shared with the JSON. The page is for users with a
perimeter (ANCT, préfectures, régions, communes, partners); anonymous visitors are sent to log
in: the public subset is served by the JSON (`/api/v1/tableau-de-bord/`) and could become a
public page later. Everything here works from the registry: a new indicator appears in its
section without touching this module; `PRESENTATIONS` only names the columns of the charts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from communes.models import Departement
from communes.perimetre import NATIONAL, Perimetre
from conventions.models import ConventionAdhesion, Dossier
from pvd import carte
from pvd.indicateurs import REGISTRE, Contexte, Indicateur, Section, Unite, acces, calculer
from pvd.indicateurs.format import evolution, valeur
from pvd.indicateurs.registre import SCALAIRES
from pvd.models import NoteSuivi
from pvd.navigation import fil_ariane
from pvd.text import euros, jours, nombre, normalize_search

# A chart stays readable up to about ten categories (the DSFR's palette has eight colours): past
# that, it draws the largest ones and says so; the data table gives them all.
MAX_CATEGORIES = 10


@dataclass(frozen=True)
class Presentation:
    """How a répartition is drawn: the chart, the header of its categories and of its values."""

    graphique: str = "bar"  # "bar" (horizontal bars) or "pie"
    categorie: str = "Catégorie"
    valeur: str = "Valeur"


PRESENTATIONS = {
    "orientations": Presentation(categorie="Orientation", valeur="Communes"),
    "actions_equipements_pct": Presentation(
        categorie="Type d’équipement", valeur="Part des communes PVD"
    ),
    "ingenierie_par_partenaire": Presentation(categorie="Partenaire"),
    "commerce_par_mesure": Presentation(graphique="pie", categorie="Mesure"),
    "serie_communes_adhesion": Presentation(
        graphique="line", categorie="Mois", valeur="Communes signataires (cumul)"
    ),
}
# The columns of a répartition whose values are objects ({communes, montant, jours}…), and of
# the series; the first one present is the one charted.
COLONNES = {
    "communes": "Communes",
    "collectivites": "Collectivités",
    "demandes": "Demandes",
    "nombre": "Nombre",
    "montant": "Montant",
    "jours": "Jours (Cerema)",
}


@dataclass
class Chiffre:
    """A scalar figure as the page writes it."""

    indicateur: Indicateur
    valeur: str
    evolution: str | None = None
    sens: int = 0  # -1, 0, 1: the direction of the change, for its icon
    national: str | None = None  # France's value beside a territory's


@dataclass
class Graphique:
    """A répartition or a series: the attributes of its dsfr-chart component (JSON) and its
    data table (formatted cells)."""

    indicateur: Indicateur
    type: str  # "bar", "pie", "line"
    x: str
    y: str
    noms: str
    unite: str
    colonnes: list[str]
    lignes: list[list[str]]
    total: int = 0  # categories of a répartition; beyond MAX_CATEGORIES, the chart shows the first

    @property
    def tronque(self) -> bool:
        return self.total > MAX_CATEGORIES

    @property
    def dessines(self) -> int:
        return min(self.total, MAX_CATEGORIES)

    @property
    def categories(self) -> str:
        """The categories as a flat list: the legend of a pie."""
        return json.dumps(json.loads(self.x)[0], ensure_ascii=False)

    @property
    def vide(self) -> bool:
        """Nothing to draw: no row, or only zeros."""
        return not any(any(serie) for serie in json.loads(self.y))


@dataclass
class Bloc:
    section: Section
    ancre: str
    chiffres: list[Chiffre] = field(default_factory=list)
    graphiques: list[Graphique] = field(default_factory=list)
    carte: bool = False


# The one inline style attribute that @gouvfr/dsfr-chart's components write (Vue custom elements,
# which take no nonce from the page): allowed by its hash on this page only ('unsafe-hashes'
# lets a hash allow exactly that attribute value, nothing else). Another version of the package
# may change it: the browser test of this page then fails on the violation that the console
# reports, with the new hash.
STYLE_DSFR_CHART = ["'unsafe-hashes'", "'sha256-R4zUP13/SZkKngtR2PHOsHB2pXO+ODK7k/fjasFfhmU='"]


@require_GET
@csp_update({"style-src": STYLE_DSFR_CHART})
def tableau_de_bord(request):
    user_perimetre = Perimetre.of(request.user)
    if user_perimetre.is_empty:
        raise PermissionDenied("Le tableau de bord se lit depuis un périmètre.")
    today = timezone.localdate()
    jour = _jour(request, today)
    perimetre = _perimetre(request, user_perimetre)
    territoires = acces.territoires(user_perimetre)
    acces.check_lisible(user_perimetre, perimetre)
    cles = acces.cles_lisibles(user_perimetre)

    valeurs = calculer(Contexte(perimetre, jour), cles)
    nationales = None if perimetre.national else calculer(Contexte(NATIONAL, jour), cles)
    note = NoteSuivi.objects.precedente(perimetre.param, jour)
    blocs = _blocs(valeurs, nationales, note)
    nom = territoires.noms[perimetre.param]

    def lien(param: str) -> str:
        return _url(param, jour)

    return render(
        request,
        "pvd/tableau_de_bord.html",
        {
            "blocs": blocs,
            "sommaire": [{"link": f"#{bloc.ancre}", "label": bloc.section.value} for bloc in blocs],
            "date": jour,
            "aujourdhui": today,
            "perimetre": perimetre.param,
            "perimetre_nom": nom,
            "niveau": perimetre.param.partition(":")[0],
            "national": perimetre.national,
            "regions": territoires.regions,
            "departements": territoires.departements,
            "note": note,
            **_carte(perimetre, jour, territoires.lisibles, lien),
            "breadcrumb_data": _fil_ariane(perimetre, nom, territoires, lien),
        },
    )


def _jour(request, today: date) -> date:
    """The date asked for; a bad or future one is told and replaced by today."""
    try:
        return acces.lire_date(request.GET.get("date"), today)
    except acces.DateFuture:
        messages.warning(request, "Les chiffres d’une date future sont ceux du jour.")
    except acces.ParametreInvalide as error:
        messages.error(request, str(error))
    return today


def _perimetre(request, user_perimetre: Perimetre) -> Perimetre:
    """The perimeter asked for (the user's own territory by default); a bad one is told."""
    defaut = acces.perimetre_par_defaut(user_perimetre)
    if not request.GET.get("perimetre"):
        return defaut
    try:
        return acces.lire_perimetre(request.GET["perimetre"])
    except acces.ParametreInvalide as error:
        messages.error(request, str(error))
        return defaut


def _fil_ariane(perimetre: Perimetre, nom: str, territoires: acces.Territoires, lien) -> dict:
    """Up to France, through the département's région when the user may read it."""
    if perimetre.national:
        return fil_ariane("Tableau de bord")
    liens = [("Tableau de bord", lien("FR"))]
    if perimetre.departements:
        region = Departement.objects.filter(code__in=perimetre.departements).values("region")
        param = f"region:{region[0]['region']}" if region else None
        if param in territoires.lisibles:
            liens.append((territoires.noms[param], lien(param)))
    return fil_ariane(nom, *liens)


def _url(param: str, jour: date) -> str:
    return f"{reverse('tableau_de_bord')}?{urlencode({'perimetre': param, 'date': jour})}"


# The figures ----------------------------------------------------------------------------------


def _blocs(valeurs: dict, nationales: dict | None, note: NoteSuivi | None) -> list[Bloc]:
    """The sections of seed 001 that hold at least one indicator, in its order."""
    precedentes = (note.valeurs or {}) if note else {}
    blocs = {section: Bloc(section, f"section-{index}") for index, section in enumerate(Section)}
    for cle, value in valeurs.items():
        indicateur = REGISTRE[cle]
        bloc = blocs[indicateur.section]
        if indicateur.unite in SCALAIRES:
            precedente = precedentes.get(cle)
            bloc.chiffres.append(
                Chiffre(
                    indicateur,
                    valeur(cle, value),
                    evolution(cle, value, precedente, note.date if note else None),
                    _sens(value, precedente),
                    None if nationales is None else valeur(cle, nationales.get(cle)),
                )
            )
        elif indicateur.unite == Unite.SERIE:
            bloc.graphiques.append(_serie(indicateur, value or []))
        else:
            bloc.graphiques.append(_repartition(indicateur, value or {}))
    blocs[Section.DEPLOIEMENT].carte = True
    return [b for b in blocs.values() if b.chiffres or b.graphiques or b.carte]


def _sens(value, precedente) -> int:
    if not isinstance(value, int | float) or not isinstance(precedente, int | float):
        return 0
    return (value > precedente) - (value < precedente)


def _cellule(colonne: str, value, pourcentage: bool) -> str:
    if value is None:
        return "—"
    if colonne == "montant":
        return euros(value)
    if colonne == "jours":
        return jours(value)
    if pourcentage:
        return f"{nombre(value)}\u00a0%"
    return nombre(value)


def _etiquette(libelle: str, longueur: int = 40) -> str:
    """A category's label as the chart draws it: long names are cut (the data table under the
    chart gives them whole)."""
    return libelle if len(libelle) <= longueur else libelle[: longueur - 1].rstrip() + "…"


def _repartition(indicateur: Indicateur, value: dict) -> Graphique:
    """A répartition: {catégorie: nombre} or {catégorie: {colonne: nombre}}; the chart shows the
    first column (`COLONNES` order), largest first (the `MAX_CATEGORIES` largest); the table
    shows every category and every column."""
    presentation = PRESENTATIONS.get(indicateur.cle, Presentation())
    pourcentage = indicateur.cle.endswith("_pct")
    objets = any(isinstance(v, dict) for v in value.values())
    if objets:
        presentes = {k for v in value.values() if isinstance(v, dict) for k in v}
        colonnes = [k for k in COLONNES if k in presentes] + sorted(presentes - set(COLONNES))
        principale = {k: (v or {}).get(colonnes[0]) for k, v in value.items()}
    else:
        colonnes = ["valeur"]
        principale = value
    ordre = sorted(value, key=lambda k: -(principale[k] or 0))
    if objets:
        lignes = [
            [str(k), *(_cellule(c, (value[k] or {}).get(c), pourcentage) for c in colonnes)]
            for k in ordre
        ]
        entetes = [COLONNES.get(c, c.replace("_", " ").capitalize()) for c in colonnes]
    else:
        lignes = [[str(k), _cellule("valeur", value[k], pourcentage)] for k in ordre]
        entetes = [presentation.valeur]
    dessines = ordre[:MAX_CATEGORIES]
    return Graphique(
        indicateur=indicateur,
        type=presentation.graphique,
        x=json.dumps([[_etiquette(str(k)) for k in dessines]], ensure_ascii=False),
        y=json.dumps([[principale[k] or 0 for k in dessines]]),
        noms=json.dumps([entetes[0]], ensure_ascii=False),
        unite=_unite(colonnes[0], pourcentage),
        colonnes=[presentation.categorie, *entetes],
        lignes=lignes,
        total=len(ordre),
    )


def _serie(indicateur: Indicateur, value: list[dict]) -> Graphique:
    """A monthly series [{mois: "YYYY-MM", <colonne>: nombre}…]: a line per column."""
    presentation = PRESENTATIONS.get(indicateur.cle, Presentation(categorie="Mois"))
    colonnes = [k for k in (value[0] if value else {}) if k != "mois"]
    mois = [_mois(point["mois"]) for point in value]
    entetes = [COLONNES.get(c, c.replace("_", " ").capitalize()) for c in colonnes]
    if len(colonnes) == 1 and presentation.valeur != Presentation.valeur:
        entetes = [presentation.valeur]
    return Graphique(
        indicateur=indicateur,
        type="line",
        x=json.dumps([[m.strftime("%m/%Y") for m in mois]] * max(len(colonnes), 1)),
        y=json.dumps([[point.get(c) or 0 for point in value] for c in colonnes] or [[]]),
        noms=json.dumps(entetes, ensure_ascii=False),
        unite="",
        colonnes=[presentation.categorie, *entetes],
        lignes=[
            [date_format(m, "F Y").capitalize(), *(_cellule(c, p.get(c), False) for c in colonnes)]
            for m, p in zip(mois, value, strict=True)
        ],
    )


def _mois(valeur_mois: str) -> date:
    annee, mois = valeur_mois.split("-")[:2]
    return date(int(annee), int(mois), 1)


def _unite(colonne: str, pourcentage: bool) -> str:
    if pourcentage:
        return "%"
    return {"montant": "€", "jours": "jours"}.get(colonne, "")


# The map ----------------------------------------------------------------------------------------


def _carte(perimetre: Perimetre, jour: date, lisibles: set[str], lien) -> dict:
    """The départements of the perimeter coloured by the share of their PVD communes with a
    signed adhésion on `jour` (the others grey), each linked to its dashboard when the user may
    read it; and the table of the perimeter's régions (France) or départements (a région) with
    the same figures, to drill down. One query."""
    signee = ConventionAdhesion.objects.signees().filter(
        communes=OuterRef("pk"), signee_le__lte=jour
    )
    lignes = (
        Dossier.objects.pvd_le(jour)
        .filter(perimetre.communes_q())
        .order_by()
        .annotate(signee=Exists(signee))
        .values(
            "departement", "departement__nom", "departement__region", "departement__region__nom"
        )
        .annotate(total=Count("pk"), signees=Count("pk", filter=Q(signee=True)))
    )
    parts, territoires = {}, {}
    par_region = not (perimetre.regions or perimetre.departements)
    for ligne in lignes:
        if ligne["departement"] is None:  # a commune of a collectivité d’outre-mer
            continue
        parts[ligne["departement"]] = 100 * ligne["signees"] / ligne["total"]
        if par_region:
            param, nom = f"region:{ligne['departement__region']}", ligne["departement__region__nom"]
        else:
            param = f"departement:{ligne['departement']}"
            nom = f"{ligne['departement']} – {ligne['departement__nom']}"
        territoire = territoires.setdefault(param, {"nom": nom, "total": 0, "signees": 0})
        territoire["total"] += ligne["total"]
        territoire["signees"] += ligne["signees"]
    for param, territoire in territoires.items():
        territoire["part"] = 100 * territoire["signees"] / territoire["total"]
        territoire["url"] = lien(param) if param in lisibles else None
    contexte = carte.contexte(
        parts,
        titre="Part des communes PVD ayant signé leur convention d’adhésion, par département",
        unite_libelle="Part des communes PVD ayant signé leur convention d’adhésion",
        liens={
            code: lien(f"departement:{code}") for code in parts if f"departement:{code}" in lisibles
        },
    )
    if not perimetre.national:  # the table lists the perimeter's départements only
        contexte["carte_lignes"] = [
            ligne for ligne in contexte["carte_lignes"] if ligne["valeur"] is not None
        ]
    return {
        **contexte,
        "carte_balise_titre": "h4",
        "sous_territoires": []
        if perimetre.departements
        else sorted(territoires.values(), key=lambda t: normalize_search(t["nom"])),
        "sous_territoires_libelle": "Région" if par_region else "Département",
    }
