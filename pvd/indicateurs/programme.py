"""The indicators of the programme's pillars 1 and 2 (seed 001, from « Les orientations et actions
des projets de territoire » to « Financement des projets »): actions and besoins of the communes,
chefs de projet and VTA, soutiens en ingénierie, the Banque des Territoires' commerce measures,
the Fonds friches, the dotations DETR, DSIL and FNADT, the France Services and conseillers
numériques.

Each figure is « as of » the context's day, by the date that says when the fact became true:

- an action counts from its creation (`created_at`), whatever its state since;
- besoins count from the signature of the convention d'adhésion they were expressed in (from
  their recording when they belong to none, or to one not signed yet);
- a chef de projet post is held from its `debut` to its `fin` (an occupied post without `fin`
  still is); a VTA likewise;
- a soutien en ingénierie counts from its `debut`, unless it is only envisaged or was
  abandoned (its current state);
- a financing line is granted from its decision (`decide_le`, state accordé or versé), and was
  requested from its recording or its decision, whichever comes first (lines recorded after
  their decision were asked before it);
- a label counts from its `debut` to its `fin`.

Percentages are of the perimeter's PVD communes on that day (`Contexte.communes_pvd`). A line or
soutien shared by several communes counts once in a perimeter's amounts, as soon as one of its
communes is in the perimeter; its communes count when they are in it. Counts of beneficiary
communes are of the perimeter's communes (in practice the PVD communes, whose dossiers hold the
lines).

Every group runs a fixed number of queries (aggregates with filters), whatever the data's size:
nine in all, and the perimeter's PVD communes that the context shares (`Contexte.pvd_q`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from club.models import fin_de_journee  # the end of a day in Paris
from financements.enums import EQUIPEMENTS, CategorieSource, EtatFinancement, TypeAction, TypeLabel
from financements.models import Action, Financement, Label, SourceFinancement
from ingenierie.enums import EtatPoste, EtatSoutien
from ingenierie.models import BesoinsExprimes, PosteChefDeProjet, SoutienIngenierie
from pvd.indicateurs.contexte import Contexte
from pvd.indicateurs.registre import Section, Unite, groupe, indicateur, pct

# Sources of seed 001's « Financement des projets » (codes of `financements.referentiel`).
DETR, DSIL, FNADT, FONDS_FRICHES = "detr", "dsil", "fnadt", "fonds-friches"
DOTATIONS = {DETR: "detr", DSIL: "dsil", FNADT: "fnadt", FONDS_FRICHES: "friches"}
# The commerce measure whose lines are posts of manager de commerce.
MANAGER_COMMERCE = "bdt-manager-commerce"
# Soutiens of this mesure finance a chef de projet's post: seed 001 leaves them out of the
# ingénierie, as it leaves out the posts.
MESURE_CHEF_DE_PROJET = "chef-de-projet"

ACCORDES = (EtatFinancement.ACCORDE, EtatFinancement.VERSE)
SOUTIENS_NON_ENGAGES = (EtatSoutien.ENVISAGE, EtatSoutien.ABANDONNE)
CENTIMES = Decimal("0.01")


# Declarations ----------------------------------------------------------------------------------

indicateur(
    "actions_equipements_pct",
    "Communes PVD par actions sur les équipements",
    "Pour chaque type d’équipement (culturel, médico-social, sportif), part des communes PVD "
    "du périmètre ayant une action de ce type, comptée à partir de sa création.",
    Unite.REPARTITION,
    Section.PROJETS,
    public=True,
)
indicateur(
    "tiers_lieu_pct",
    "Communes envisageant de créer un tiers-lieu",
    "Part des communes PVD du périmètre ayant une action « tiers-lieu », comptée à partir de "
    "sa création.",
    Unite.POURCENTAGE,
    Section.PROJETS,
    public=True,
)
indicateur(
    "opah_pct",
    "Communes menant ou envisageant une OPAH",
    "Part des communes PVD du périmètre ayant une action d’OPAH, simple ou de renouvellement "
    "urbain (OPAH-RU), comptée à partir de sa création.",
    Unite.POURCENTAGE,
    Section.PROJETS,
    public=True,
)
indicateur(
    "opah_ru_pct",
    "Communes menant ou envisageant une OPAH-RU",
    "Part des communes PVD du périmètre ayant une action d’OPAH de renouvellement urbain, "
    "comptée à partir de sa création.",
    Unite.POURCENTAGE,
    Section.PROJETS,
    public=True,
)
indicateur(
    "besoin_chef_projet_pct",
    "Besoin de financement du chef de projet",
    "Part des communes PVD du périmètre ayant exprimé le besoin d’un financement du chef de "
    "projet, dans une convention d’adhésion signée au plus tard à la date (hors convention "
    "signée : saisi au plus tard à la date).",
    Unite.POURCENTAGE,
    Section.BESOINS,
    public=True,
)
indicateur(
    "besoin_etudes_pct",
    "Besoin de financement d’études opérationnelles",
    "Part des communes PVD du périmètre ayant exprimé le besoin d’un financement d’études "
    "opérationnelles, dans une convention d’adhésion signée au plus tard à la date (hors "
    "convention signée : saisi au plus tard à la date).",
    Unite.POURCENTAGE,
    Section.BESOINS,
    public=True,
)
indicateur(
    "besoin_investissements_pct",
    "Besoin de financement des investissements",
    "Part des communes PVD du périmètre ayant exprimé le besoin d’un financement de leurs "
    "investissements, dans une convention d’adhésion signée au plus tard à la date (hors "
    "convention signée : saisi au plus tard à la date).",
    Unite.POURCENTAGE,
    Section.BESOINS,
    public=True,
)
indicateur(
    "chefs_projet_postes_occupes",
    "Postes de chef de projet occupés",
    "Postes de chef de projet d’une commune du périmètre occupés ce jour-là, d’après leurs "
    "dates de prise de poste et de fin de poste.",
    Unite.NOMBRE,
    Section.INGENIERIE,
    public=True,
)
indicateur(
    "vta",
    "Volontariats territoriaux en administration (VTA)",
    "VTA en poste ce jour-là, d’après leurs dates de début et de fin, en appui d’un chef de "
    "projet d’une commune du périmètre.",
    Unite.NOMBRE,
    Section.INGENIERIE,
    public=True,
)
indicateur(
    "ingenierie_communes",
    "Communes ayant bénéficié d’un soutien à l’ingénierie",
    "Communes du périmètre bénéficiaires d’un soutien en ingénierie (étude, AMO, diagnostic, "
    "Atelier des territoires…) commencé à la date, ni seulement envisagé ni abandonné.",
    Unite.NOMBRE,
    Section.INGENIERIE,
    public=True,
)
indicateur(
    "ingenierie_montant",
    "Montant du soutien à l’ingénierie",
    "Euros des soutiens en ingénierie commencés à la date pour une commune du périmètre, "
    "chacun compté une fois, hors prestations du Cerema comptées en jours et hors financement "
    "des postes de chef de projet.",
    Unite.EUROS,
    Section.INGENIERIE,
)
indicateur(
    "ingenierie_par_partenaire",
    "Soutien à l’ingénierie par partenaire",
    "Pour chaque partenaire, communes du périmètre bénéficiaires de ses soutiens commencés à "
    "la date, leur montant en euros et leurs jours d’intervention (objet : nom du partenaire → "
    "{communes, montant, jours}).",
    Unite.REPARTITION,
    Section.INGENIERIE,
)
indicateur(
    "commerce_collectivites",
    "Collectivités ayant sollicité les mesures d’urgence commerce",
    "Communes du périmètre ayant demandé une mesure d’urgence commerce de la Banque des "
    "Territoires, la demande comptant à partir de sa saisie ou de sa décision si elle est "
    "antérieure.",
    Unite.NOMBRE,
    Section.THEMATIQUES,
    public=True,
)
indicateur(
    "commerce_montant",
    "Montant contractualisé des mesures d’urgence commerce",
    "Euros accordés (versés ou non) au titre des mesures d’urgence commerce de la Banque "
    "des Territoires par une décision prise au plus tard à la date, chaque ligne comptée une "
    "fois.",
    Unite.EUROS,
    Section.THEMATIQUES,
)
indicateur(
    "managers_commerce",
    "Postes de manager de commerce demandés",
    "Demandes de subvention d’un poste de manager de commerce (Banque des Territoires) pour "
    "une commune du périmètre, saisies ou décidées au plus tard à la date, quelle qu’en soit "
    "l’issue.",
    Unite.NOMBRE,
    Section.THEMATIQUES,
    public=True,
)
indicateur(
    "commerce_par_mesure",
    "Mesures d’urgence commerce par mesure",
    "Pour chaque mesure d’urgence commerce, communes du périmètre l’ayant demandée, demandes "
    "saisies ou décidées à la date et euros accordés au plus tard à la date (objet : mesure → "
    "{collectivites, demandes, montant}).",
    Unite.REPARTITION,
    Section.THEMATIQUES,
)
indicateur(
    "friches_communes",
    "Communes lauréates du Fonds friches",
    "Communes du périmètre bénéficiaires d’une subvention du Fonds friches accordée par une "
    "décision prise au plus tard à la date.",
    Unite.NOMBRE,
    Section.FINANCEMENT,
    public=True,
)
indicateur(
    "friches_montant",
    "Subventions du Fonds friches",
    "Euros accordés par le Fonds friches par une décision prise au plus tard à la date, chaque "
    "ligne comptée une fois.",
    Unite.EUROS,
    Section.FINANCEMENT,
)


def _dotation(code: str, de_sigle: str, du_nom: str) -> None:
    """The two indicators of a State dotation: its beneficiary communes and its euros."""
    indicateur(
        f"{DOTATIONS[code]}_communes",
        f"Communes bénéficiaires {de_sigle}",
        f"Communes du périmètre bénéficiaires d’une subvention {du_nom} accordée par une "
        "décision prise au plus tard à la date.",
        Unite.NOMBRE,
        Section.FINANCEMENT,
        public=True,
    )
    indicateur(
        f"{DOTATIONS[code]}_montant",
        f"Montant {de_sigle}",
        f"Euros accordés au titre {du_nom} par une décision prise au plus tard à la date, "
        "chaque ligne comptée une fois.",
        Unite.EUROS,
        Section.FINANCEMENT,
    )


_dotation(DETR, "de la DETR", "de la dotation d’équipement des territoires ruraux (DETR)")
_dotation(DSIL, "de la DSIL", "de la dotation de soutien à l’investissement local (DSIL)")
_dotation(
    FNADT,
    "du FNADT",
    "du Fonds national d’aménagement et de développement du territoire (FNADT)",
)
indicateur(
    "france_services",
    "France Services",
    "France Services en place ce jour-là (ouvertes au plus tard à la date et non fermées) dans "
    "les communes PVD du périmètre.",
    Unite.NOMBRE,
    Section.THEMATIQUES,
    public=True,
)
indicateur(
    "conseillers_numeriques",
    "Conseillers numériques France Services",
    "Conseillers numériques en place ce jour-là (arrivés au plus tard à la date et non partis) "
    "dans les communes PVD du périmètre.",
    Unite.NOMBRE,
    Section.THEMATIQUES,
    public=True,
)


# The rules of « as of the day », as filters (`path` leads from the queried model to the
# object the rule is about, like `Perimetre.communes_q`) ---------------------------------------


def accorde_le(jour: date, path: str = "") -> Q:
    """A financing line granted by a decision taken on or before `jour` (paid or not since)."""
    return Q(**{f"{path}etat__in": ACCORDES, f"{path}decide_le__lte": jour})


def demande_le(jour: date, path: str = "") -> Q:
    """A financing line requested on or before `jour`: recorded by then, or decided by then
    (a line recorded after its decision was asked before it)."""
    return Q(**{f"{path}created_at__lte": fin_de_journee(jour)}) | Q(
        **{f"{path}decide_le__lte": jour}
    )


def soutien_commence_le(jour: date, path: str = "") -> Q:
    """A soutien en ingénierie begun on or before `jour`, neither only envisaged nor abandoned,
    and not the financing of a chef de projet's post."""
    return (
        Q(**{f"{path}debut__lte": jour})
        & ~Q(**{f"{path}etat__in": SOUTIENS_NON_ENGAGES})
        & (
            Q(**{f"{path}mesure__isnull": True})
            | ~Q(**{f"{path}mesure__code": MESURE_CHEF_DE_PROJET})
        )
    )


def poste_occupe_le(jour: date, path: str = "") -> Q:
    """A chef de projet post held on `jour`: taken up on or before it and left on or after it,
    or still held (occupied, without an end). A post to recruit without an end date was not
    held then, whatever start date it was given."""
    return Q(**{f"{path}debut__lte": jour}) & (
        Q(**{f"{path}fin__gte": jour})
        | Q(**{f"{path}fin__isnull": True, f"{path}etat": EtatPoste.OCCUPE})
    )


def vta_en_poste_le(jour: date, path: str = "") -> Q:
    """A VTA in post on `jour`: begun on or before it, not ended before it."""
    return Q(**{f"{path}debut__lte": jour}) & (
        Q(**{f"{path}fin__isnull": True}) | Q(**{f"{path}fin__gte": jour})
    )


def besoins_exprimes_le(jour: date, path: str = "") -> Q:
    """Besoins expressed on or before `jour`: in a convention d'adhésion signed by then, or,
    outside a signed convention, recorded by then."""
    return Q(**{f"{path}adhesion__signee_le__lte": jour}) | Q(
        **{
            f"{path}adhesion__signee_le__isnull": True,
            f"{path}created_at__lte": fin_de_journee(jour),
        }
    )


def en_euros(value: Decimal | None) -> float:
    """An amount for the JSON and the note's snapshot: a number with two decimals."""
    return float((value or Decimal(0)).quantize(CENTIMES))


def _dans_le_perimetre(queryset, contexte: Contexte):
    """The rows of `queryset` (lines, soutiens, posts: shared by communes) one of whose
    communes is in the perimeter, each once. `IN` over the links of the perimeter's communes:
    a territory's few links are found by index, where `EXISTS` would visit every row."""
    if contexte.perimetre.national:
        return queryset
    through = queryset.model.communes.through
    owner = queryset.model._meta.model_name
    liens = through.objects.filter(contexte.perimetre.communes_q("commune__"))
    return queryset.filter(pk__in=liens.values(f"{owner}_id"))


# Groups ----------------------------------------------------------------------------------------


@groupe("actions_equipements_pct", "tiers_lieu_pct", "opah_pct", "opah_ru_pct")
def actions(contexte: Contexte) -> dict:
    """One query over the links of the actions created by that day to the perimeter's PVD
    communes: how many communes have an action of each type."""

    def avec(*types) -> Count:
        return Count("commune", distinct=True, filter=Q(action__type__in=types))

    chiffres = (
        Action.communes.through.objects.order_by()
        .filter(contexte.pvd_q("commune"), action__created_at__lte=fin_de_journee(contexte.jour))
        .aggregate(
            tiers_lieu=avec(TypeAction.TIERS_LIEU),
            opah=avec(TypeAction.OPAH, TypeAction.OPAH_RU),
            opah_ru=avec(TypeAction.OPAH_RU),
            **{f"equipement_{i}": avec(t) for i, t in enumerate(EQUIPEMENTS)},
        )
    )
    pvd = contexte.nombre_pvd
    return {
        "actions_equipements_pct": {
            t.label: pct(chiffres[f"equipement_{i}"], pvd) for i, t in enumerate(EQUIPEMENTS)
        },
        "tiers_lieu_pct": pct(chiffres["tiers_lieu"], pvd),
        "opah_pct": pct(chiffres["opah"], pvd),
        "opah_ru_pct": pct(chiffres["opah_ru"], pvd),
    }


@groupe("besoin_chef_projet_pct", "besoin_etudes_pct", "besoin_investissements_pct")
def besoins(contexte: Contexte) -> dict:
    """One query over the besoins of the perimeter's PVD communes (one row per commune)."""
    chiffres = (
        BesoinsExprimes.objects.order_by()
        .filter(contexte.pvd_q("commune"), besoins_exprimes_le(contexte.jour))
        .aggregate(
            chef_de_projet=Count("pk", filter=Q(chef_de_projet=True)),
            etudes=Count("pk", filter=Q(etudes=True)),
            investissements=Count("pk", filter=Q(investissements=True)),
        )
    )
    pvd = contexte.nombre_pvd
    return {
        "besoin_chef_projet_pct": pct(chiffres["chef_de_projet"], pvd),
        "besoin_etudes_pct": pct(chiffres["etudes"], pvd),
        "besoin_investissements_pct": pct(chiffres["investissements"], pvd),
    }


@groupe("chefs_projet_postes_occupes", "vta")
def chefs_de_projet(contexte: Contexte) -> dict:
    """One query: the posts of the perimeter, those held that day and their VTA in post."""
    jour = contexte.jour
    chiffres = _dans_le_perimetre(PosteChefDeProjet.objects.order_by(), contexte).aggregate(
        postes=Count("pk", distinct=True, filter=poste_occupe_le(jour)),
        vta=Count("vtas", distinct=True, filter=vta_en_poste_le(jour, "vtas__")),
    )
    return {"chefs_projet_postes_occupes": chiffres["postes"], "vta": chiffres["vta"]}


@groupe("ingenierie_communes", "ingenierie_montant", "ingenierie_par_partenaire")
def ingenierie(contexte: Contexte) -> dict:
    """Two queries: the soutiens of the perimeter by partner (each once: euros and days), then
    their communes in the perimeter, by partner and in all."""
    jour = contexte.jour
    par_partenaire = list(
        _dans_le_perimetre(SoutienIngenierie.objects.order_by(), contexte)
        .filter(soutien_commence_le(jour))
        .values("organisation_id", "organisation__nom")
        .annotate(montant=Sum("montant_euros"), jours=Sum("nombre_jours"))
    )
    communes = (
        SoutienIngenierie.communes.through.objects.order_by()
        .filter(
            contexte.perimetre.communes_q("commune__"),
            soutien_commence_le(jour, "soutieningenierie__"),
        )
        .aggregate(
            total=Count("commune", distinct=True),
            **{
                f"o{row['organisation_id']}": Count(
                    "commune",
                    distinct=True,
                    filter=Q(soutieningenierie__organisation_id=row["organisation_id"]),
                )
                for row in par_partenaire
            },
        )
    )
    partenaires = {
        row["organisation__nom"]: {
            "communes": communes[f"o{row['organisation_id']}"],
            "montant": en_euros(row["montant"]),
            "jours": float(row["jours"] or 0),
        }
        for row in par_partenaire
    }
    return {
        "ingenierie_communes": communes["total"],
        "ingenierie_montant": en_euros(sum((row["montant"] or 0 for row in par_partenaire), 0)),
        "ingenierie_par_partenaire": dict(
            sorted(partenaires.items(), key=lambda item: (-item[1]["communes"], item[0]))
        ),
    }


@groupe(
    "commerce_collectivites",
    "commerce_montant",
    "managers_commerce",
    "commerce_par_mesure",
    "friches_communes",
    "friches_montant",
    "detr_communes",
    "detr_montant",
    "dsil_communes",
    "dsil_montant",
    "fnadt_communes",
    "fnadt_montant",
)
def financements(contexte: Contexte) -> dict:
    """Three queries: the sources (dotations, Fonds friches, commerce measures); the amounts
    granted and the requests of the perimeter's lines by source (each line once); the
    communes of the perimeter that were granted or requested each."""
    jour = contexte.jour
    sources = list(
        SourceFinancement.objects.filter(
            Q(code__in=DOTATIONS) | Q(categorie=CategorieSource.COMMERCE)
        ).order_by("pk")
    )
    commerce = [s.pk for s in sources if s.categorie == CategorieSource.COMMERCE]
    dotations = [s.pk for s in sources if s.code in DOTATIONS]
    lignes = {
        row["source_id"]: row
        for row in _dans_le_perimetre(Financement.objects.order_by(), contexte)
        .filter(source_id__in=[s.pk for s in sources])
        .values("source_id")
        .annotate(
            montant=Sum("montant_accorde", filter=accorde_le(jour)),
            demandes=Count("pk", filter=demande_le(jour)),
        )
    }
    communes = (
        Financement.communes.through.objects.order_by()
        .filter(
            contexte.perimetre.communes_q("commune__"),
            financement__source_id__in=[s.pk for s in sources],
        )
        .aggregate(
            commerce=Count(
                "commune",
                distinct=True,
                filter=Q(financement__source_id__in=commerce) & demande_le(jour, "financement__"),
            ),
            **{
                f"accordees_{pk}": Count(
                    "commune",
                    distinct=True,
                    filter=Q(financement__source_id=pk) & accorde_le(jour, "financement__"),
                )
                for pk in dotations
            },
            **{
                f"demandeuses_{pk}": Count(
                    "commune",
                    distinct=True,
                    filter=Q(financement__source_id=pk) & demande_le(jour, "financement__"),
                )
                for pk in commerce
            },
        )
    )
    vide = {"montant": None, "demandes": 0}
    values = {
        "commerce_collectivites": communes["commerce"],
        "commerce_montant": en_euros(
            sum((lignes.get(pk, vide)["montant"] or 0 for pk in commerce), 0)
        ),
        "managers_commerce": sum(
            lignes.get(s.pk, vide)["demandes"] for s in sources if s.code == MANAGER_COMMERCE
        ),
        "commerce_par_mesure": {
            s.nom: {
                "collectivites": communes[f"demandeuses_{s.pk}"],
                "demandes": lignes.get(s.pk, vide)["demandes"],
                "montant": en_euros(lignes.get(s.pk, vide)["montant"]),
            }
            for s in sources
            if s.pk in commerce
        },
    }
    for prefix in DOTATIONS.values():
        values[f"{prefix}_communes"], values[f"{prefix}_montant"] = 0, 0.0
    for s in sources:
        if s.pk in dotations:
            prefix = DOTATIONS[s.code]
            values[f"{prefix}_communes"] = communes[f"accordees_{s.pk}"]
            values[f"{prefix}_montant"] = en_euros(lignes.get(s.pk, vide)["montant"])
    return values


@groupe("france_services", "conseillers_numeriques")
def labels(contexte: Contexte) -> dict:
    """One query: the labels in place that day in the perimeter's PVD communes."""
    chiffres = (
        Label.objects.actifs_le(contexte.jour)
        .filter(contexte.pvd_q("commune"))
        .order_by()
        .aggregate(
            france_services=Count("pk", filter=Q(type=TypeLabel.FRANCE_SERVICES)),
            conseillers_numeriques=Count("pk", filter=Q(type=TypeLabel.CONSEILLER_NUMERIQUE)),
        )
    )
    return chiffres
