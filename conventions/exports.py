"""The lists of `conventions` that export (CSV, XLSX): the dossiers of the communes with their
stage, and the conventions d'adhésion with their convention-cadre. See `pvd.exports.base`."""

from django.utils import timezone

from conventions.enums import Echeance, Etape
from conventions.filters import ConventionFilter, DossierFilter
from conventions.models import ConventionAdhesion, Dossier
from pvd.exports.base import Colonne, ListeExportable


def _noms(communes) -> str:
    return ", ".join(c.nom for c in communes)


def _codes(communes) -> str:
    return ", ".join(c.code for c in communes)


def _statut_echeance(dossier) -> str:
    statut = dossier.statut_echeance(timezone.localdate())
    return Echeance(statut).label if statut else ""


def _dossiers(user):
    return (
        Dossier.objects.for_user(user)
        .in_programme()
        .with_etape()
        .select_related("departement", "epci")
        .order_by("nom_recherche")
    )


DOSSIERS = ListeExportable(
    cle="dossiers",
    titre="Dossiers des communes et leur étape",
    colonnes=(
        Colonne("code", "Code INSEE", lambda d: d.code),
        Colonne("commune", "Commune", lambda d: d.nom),
        Colonne("departement", "Département", lambda d: d.departement.nom),
        Colonne("code_departement", "Code du département", lambda d: d.departement_id),
        Colonne("epci", "EPCI", lambda d: d.epci.nom if d.epci else ""),
        Colonne("siren_epci", "SIREN de l’EPCI", lambda d: d.epci_id or ""),
        Colonne("population", "Population", lambda d: d.population),
        Colonne("etape", "Étape", lambda d: Etape(d.etape).label if d.etape else ""),
        Colonne("date_adhesion", "Adhésion signée le", lambda d: d.date_adhesion),
        Colonne("date_ort", "ORT signée le", lambda d: d.date_ort),
        Colonne("echeance", "Projet de territoire dû le", lambda d: d.echeance_projet),
        Colonne("statut_echeance", "Échéance du projet de territoire", _statut_echeance),
    ),
    objets=_dossiers,
    filtrer=lambda data, queryset, user: DossierFilter(data, queryset=queryset, user=user).qs,
    url_liste="conventions:dossier_list",
)


def _cadre(adhesion):
    """The convention-cadre completing the adhésion (from the prefetch), if any."""
    cadres = adhesion.conventions_cadres.all()
    return cadres[0] if cadres else None


def _conventions(user):
    return (
        ConventionAdhesion.objects.for_user(user)
        .prefetch_related("communes", "partenaires", "conventions_cadres")
        .order_by("pk")
    )


CONVENTIONS = ListeExportable(
    cle="conventions",
    titre="Conventions d’adhésion et conventions-cadres valant ORT",
    colonnes=(
        Colonne("numero", "N° de la convention d’adhésion", lambda c: c.pk),
        Colonne("etat", "État", lambda c: c.get_etat_display()),
        Colonne("signee_le", "Signée le", lambda c: c.signee_le),
        Colonne("communes", "Communes", lambda c: _noms(c.communes.all())),
        Colonne("codes", "Codes INSEE", lambda c: _codes(c.communes.all())),
        Colonne(
            "conseil_departemental",
            "Cosignée par le conseil départemental",
            lambda c: c.cosignataire_conseil_departemental,
        ),
        Colonne(
            "conseil_regional",
            "Cosignée par le conseil régional",
            lambda c: c.cosignataire_conseil_regional,
        ),
        Colonne(
            "partenaires",
            "Partenaires cosignataires",
            lambda c: ", ".join(p.nom for p in c.partenaires.all()),
        ),
        Colonne(
            "presidence",
            "Présidence du comité de projet",
            lambda c: c.get_presidence_comite_display(),
        ),
        Colonne("echeance", "Projet de territoire dû le", lambda c: c.echeance_projet),
        Colonne("cadre", "N° de la convention-cadre", lambda c: _cadre(c) and _cadre(c).pk),
        Colonne(
            "etat_cadre",
            "État de la convention-cadre",
            lambda c: _cadre(c) and _cadre(c).get_etat_display(),
        ),
        Colonne(
            "cadre_signee_le",
            "Convention-cadre signée le",
            lambda c: _cadre(c) and _cadre(c).signee_le,
        ),
    ),
    objets=_conventions,
    # No HTML list of conventions: the API's filters (?departement=58&etat=signee&annee=2021).
    filtrer=lambda data, queryset, user: ConventionFilter(data, queryset=queryset).qs,
    url_liste="conventions:dossier_list",
)

LISTES = [DOSSIERS, CONVENTIONS]
