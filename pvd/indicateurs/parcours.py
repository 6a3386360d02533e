"""The journey's indicators (seed 001: « Déploiement du programme », « L’analyse des
conventions d’adhésion », « Les orientations identifiées »): lauréates, signatures, ORT, what
the conventions d’adhésion say, and the orientations of the projets de territoire.

Everything is read as it stood at the end of the day: a convention counts from its signature
date (`signee_le`, on or before the day), an ORT outside a convention-cadre from its date, an
action from the day it was recorded on the portal. A signed convention is never edited
afterwards (changes go through avenants), so its communes, co-signatories and comité de projet
today are those of the day it was signed.

Three groups, four queries in all, whatever the volume of data (`deploiement` also gives the
context the number of PVD communes that the other groups share; for a territory, the context
first reads the codes of its PVD communes: `Contexte.codes_pvd`).
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import connections
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from conventions.enums import PresidenceComite
from conventions.models import ConventionAdhesion, ConventionCadre, Orientation, OrtHorsCadre
from financements.models import Action
from pvd.dates import add_months
from pvd.indicateurs.contexte import Contexte
from pvd.indicateurs.registre import Section, Unite, groupe, indicateur, pct

D = Section.DEPLOIEMENT
C = Section.CONVENTIONS
N, P = Unite.NOMBRE, Unite.POURCENTAGE

COPRESIDENCES = (PresidenceComite.MAIRES_EPCI, PresidenceComite.MAIRES)

# Déploiement du programme ----------------------------------------------------------------------

indicateur(
    "communes_pvd",
    "Communes Petites villes de demain",
    "Communes du périmètre lauréates à la date : retenues par une décision du comité régional "
    "prise ce jour-là ou avant (les lauréates de la liste nationale, dont la date de décision "
    "n’est pas connue, comptent à toute date).",
    N,
    D,
    public=True,
)
indicateur(
    "communes_adhesion_signee",
    "Communes ayant signé leur convention d’adhésion",
    "Communes PVD du périmètre qu’une convention d’adhésion signée à la date (date de "
    "signature ce jour-là ou avant) couvre.",
    N,
    D,
    public=True,
)
indicateur(
    "communes_adhesion_signee_pct",
    "Part des communes PVD ayant signé leur convention d’adhésion",
    "Communes PVD du périmètre couvertes par une convention d’adhésion signée à la date (date "
    "de signature ce jour-là ou avant), en pourcentage des communes PVD du périmètre à la date.",
    P,
    D,
    public=True,
)
indicateur(
    "conventions_adhesion_signees",
    "Conventions d’adhésion signées",
    "Conventions d’adhésion dont la date de signature est ce jour-là ou avant et qui comptent "
    "au moins une commune du périmètre.",
    N,
    D,
    public=True,
)
indicateur(
    "communes_ort",
    "Communes engagées dans une ORT",
    "Communes PVD du périmètre engagées dans une opération de revitalisation de territoire à "
    "la date : couvertes par une convention-cadre valant ORT signée ce jour-là ou avant, ou "
    "dont l’ORT hors convention-cadre (antérieure au programme ou connue par la liste "
    "nationale) est datée de ce jour-là ou avant.",
    N,
    D,
    public=True,
)
indicateur(
    "communes_ort_pct",
    "Part des communes PVD engagées dans une ORT",
    "Communes PVD du périmètre engagées dans une ORT à la date (convention-cadre valant ORT "
    "signée ou ORT hors convention-cadre datée de ce jour-là ou avant), en pourcentage des "
    "communes PVD du périmètre à la date.",
    P,
    D,
    public=True,
)
indicateur(
    "serie_communes_adhesion",
    "Évolution du nombre de communes signataires des conventions d’adhésion",
    "Pour chaque mois, du mois de la première signature jusqu’à celui de la date, nombre "
    "cumulé de communes PVD du périmètre couvertes par une convention d’adhésion signée à la "
    "fin du mois (le dernier mois s’arrête à la date).",
    Unite.SERIE,
    D,
    public=True,
)

# L’analyse des conventions d’adhésion -----------------------------------------------------------

indicateur(
    "communes_par_convention_moyenne",
    "Communes signataires par convention d’adhésion, en moyenne",
    "Nombre moyen de communes PVD du périmètre par convention d’adhésion signée à la date "
    "(date de signature ce jour-là ou avant), à une décimale.",
    Unite.MOYENNE,
    C,
    public=True,
)
indicateur(
    "conventions_adhesion_analysees",
    "Conventions d’adhésion analysées",
    "Conventions d’adhésion signées à la date (date de signature ce jour-là ou avant), comptant "
    "au moins une commune du périmètre, dont la présidence du comité de projet est renseignée.",
    N,
    C,
    public=True,
)
indicateur(
    "comites_projet_copresides_pct",
    "Part des comités de projet co-présidés",
    "Conventions d’adhésion signées à la date dont le comité de projet est co-présidé, en "
    "pourcentage des conventions (et non des communes) signées à la date dont la présidence "
    "du comité de projet est renseignée.",
    P,
    C,
    public=True,
)
indicateur(
    "copresidence_maires_epci_pct",
    "Co-présidences par le ou les maires et le président de l’EPCI",
    "Parmi les conventions d’adhésion signées à la date dont le comité de projet est "
    "co-présidé, pourcentage de celles où il l’est par le ou les maires et le président de "
    "l’EPCI.",
    P,
    C,
    public=True,
)
indicateur(
    "copresidence_maires_pct",
    "Co-présidences par les maires",
    "Parmi les conventions d’adhésion signées à la date dont le comité de projet est "
    "co-présidé, pourcentage de celles où il l’est par les maires seuls.",
    P,
    C,
    public=True,
)
indicateur(
    "communes_cd_cosignataire_pct",
    "Communes PVD auprès desquelles le conseil départemental s’est engagé",
    "Communes PVD du périmètre dont la convention d’adhésion, signée à la date (ce jour-là ou "
    "avant), est cosignée par le conseil départemental, en pourcentage des communes PVD du "
    "périmètre à la date.",
    P,
    C,
    public=True,
)
indicateur(
    "communes_cr_cosignataire_pct",
    "Communes PVD auprès desquelles le conseil régional s’est engagé",
    "Communes PVD du périmètre dont la convention d’adhésion, signée à la date (ce jour-là ou "
    "avant), est cosignée par le conseil régional, en pourcentage des communes PVD du "
    "périmètre à la date.",
    P,
    C,
    public=True,
)

# Les orientations identifiées ------------------------------------------------------------------

indicateur(
    "orientations",
    "Les orientations identifiées",
    "Pour chaque orientation, nombre de communes PVD du périmètre qui l’ont à la date : par une "
    "convention-cadre valant ORT signée ce jour-là ou avant qui la retient, ou par une action "
    "de cette orientation enregistrée sur le portail ce jour-là ou avant.",
    Unite.REPARTITION,
    Section.PROJETS,
    public=True,
)


def fin_du_jour(day: date) -> datetime:
    """The last instant of `day` in Paris: what was recorded « that day or before »."""
    return timezone.make_aware(datetime.combine(day, time.max))


def _compte(queryset) -> Subquery:
    """The number of rows of a correlated `queryset`, as a subquery (no GROUP BY)."""
    return Subquery(
        queryset.order_by().values(n=Func(F("pk"), function="COUNT")),
        output_field=IntegerField(),
    )


@groupe(
    "communes_pvd",
    "communes_adhesion_signee",
    "communes_adhesion_signee_pct",
    "communes_ort",
    "communes_ort_pct",
    "communes_cd_cosignataire_pct",
    "communes_cr_cosignataire_pct",
    "serie_communes_adhesion",
)
def deploiement(contexte: Contexte) -> dict:
    """One query over the perimeter's PVD communes, grouped by the month of their first
    signed adhésion (NULL: none yet): each group counts its communes, those in an ORT and
    those whose adhésion the conseil départemental / régional co-signed."""
    jour, commune = contexte.jour, OuterRef("pk")
    adhesions = ConventionAdhesion.objects.signees_le(jour).filter(communes=commune)
    ort = Exists(ConventionCadre.objects.signees_le(jour).filter(communes=commune)) | Exists(
        OrtHorsCadre.objects.filter(commune=commune, signee_le__lte=jour)
    )
    rows = (
        contexte.communes_pvd.annotate(
            premiere=Subquery(adhesions.order_by("signee_le").values("signee_le")[:1])
        )
        .annotate(mois=TruncMonth("premiere"))
        .order_by()
        .values("mois")
        .annotate(
            communes=Count("pk"),
            ort=Count("pk", filter=ort),
            cd=Count(
                "pk", filter=Exists(adhesions.filter(cosignataire_conseil_departemental=True))
            ),
            cr=Count("pk", filter=Exists(adhesions.filter(cosignataire_conseil_regional=True))),
        )
    )
    rows = list(rows)
    par_mois: dict[date, int] = {}
    ort_n = cd = cr = 0
    for row in rows:
        ort_n, cd, cr = ort_n + row["ort"], cd + row["cd"], cr + row["cr"]
        if row["mois"] is not None:
            par_mois[row["mois"]] = row["communes"]
    signees = sum(par_mois.values())
    # Every PVD commune is in one of the rows: the other groups need not count them again.
    pvd = contexte.retenir_nombre_pvd(sum(row["communes"] for row in rows))
    return {
        "communes_pvd": pvd,
        "communes_adhesion_signee": signees,
        "communes_adhesion_signee_pct": pct(signees, pvd),
        "communes_ort": ort_n,
        "communes_ort_pct": pct(ort_n, pvd),
        "communes_cd_cosignataire_pct": pct(cd, pvd),
        "communes_cr_cosignataire_pct": pct(cr, pvd),
        "serie_communes_adhesion": _serie(par_mois, jour),
    }


def _serie(par_mois: dict[date, int], jour: date) -> list[dict]:
    """Cumulative counts from the first month with a signature to the month of `jour`, every
    month present (a month without signature repeats the previous total)."""
    if not par_mois:
        return []
    serie, total = [], 0
    mois, dernier = min(par_mois), jour.replace(day=1)
    while mois <= dernier:
        total += par_mois.get(mois, 0)
        serie.append({"mois": f"{mois:%Y-%m}", "communes": total})
        mois = add_months(mois, 1)
    return serie


@groupe(
    "conventions_adhesion_signees",
    "conventions_adhesion_analysees",
    "communes_par_convention_moyenne",
    "comites_projet_copresides_pct",
    "copresidence_maires_epci_pct",
    "copresidence_maires_pct",
)
def conventions(contexte: Contexte) -> dict:
    """One aggregate over the conventions d'adhésion signed by the day with a commune in the
    perimeter, each with its number of PVD communes of the perimeter."""
    dans_perimetre = ConventionAdhesion.communes.through.objects.filter(
        contexte.perimetre.communes_q("commune__"), conventionadhesion=OuterRef("pk")
    )
    communes_pvd = contexte.communes_pvd.filter(conventions_adhesion=OuterRef("pk"))
    chiffres = (
        ConventionAdhesion.objects.signees_le(contexte.jour)
        .filter(Exists(dans_perimetre))
        .annotate(pvd=_compte(communes_pvd))
        .aggregate(
            signees=Count("pk"),
            communes=Sum("pvd", default=0),
            analysees=Count("pk", filter=~Q(presidence_comite="")),
            maires_epci=Count("pk", filter=Q(presidence_comite=PresidenceComite.MAIRES_EPCI)),
            maires=Count("pk", filter=Q(presidence_comite=PresidenceComite.MAIRES)),
        )
    )
    signees, copresidees = chiffres["signees"], chiffres["maires_epci"] + chiffres["maires"]
    return {
        "conventions_adhesion_signees": signees,
        "conventions_adhesion_analysees": chiffres["analysees"],
        "communes_par_convention_moyenne": (
            round(chiffres["communes"] / signees, 1) if signees else 0.0
        ),
        "comites_projet_copresides_pct": pct(copresidees, chiffres["analysees"]),
        "copresidence_maires_epci_pct": pct(chiffres["maires_epci"], copresidees),
        "copresidence_maires_pct": pct(chiffres["maires"], copresidees),
    }


@groupe("orientations")
def orientations(contexte: Contexte) -> dict:
    """Two queries: the orientations (in their order), then the distinct (orientation, commune)
    pairs of the perimeter's PVD communes — through a signed convention-cadre or a recorded
    action — counted by orientation. The two sources are joined by `UNION` (which removes the
    pairs both give) in one query that the database groups: the pairs never reach Python, and
    each source is read through the perimeter's communes only."""
    libelles = dict(Orientation.objects.order_by("ordre", "pk").values_list("pk", "libelle"))
    par_cadre = (
        ConventionCadre.communes.through.objects.filter(
            contexte.pvd_q("commune"),
            conventioncadre__in=ConventionCadre.objects.signees_le(contexte.jour).values("pk"),
            conventioncadre__orientations__isnull=False,
        )
        .order_by()
        .values(orientation=F("conventioncadre__orientations"), commune_code=F("commune_id"))
    )
    par_action = (
        Action.communes.through.objects.filter(
            contexte.pvd_q("commune"),
            action__created_at__lte=fin_du_jour(contexte.jour),
            action__orientation__isnull=False,
        )
        .order_by()
        .values(orientation=F("action__orientation"), commune_code=F("commune_id"))
    )
    sql, params = par_cadre.union(par_action).query.sql_with_params()
    with connections[par_cadre.db].cursor() as cursor:
        cursor.execute(
            f"SELECT paires.orientation, COUNT(*) FROM ({sql}) paires GROUP BY paires.orientation",
            params,
        )
        chiffres = dict(cursor.fetchall())
    return {"orientations": {libelle: chiffres.get(code, 0) for code, libelle in libelles.items()}}
