"""The list of `ingenierie` that exports (CSV, XLSX): the chefs de projet's posts with their
co-financing. See `pvd.exports.base`."""

from ingenierie.enums import CHAMPS_COFINANCEMENT, Cofinanceur
from ingenierie.forms import PosteFilterForm
from ingenierie.models import PosteChefDeProjet
from pvd.exports.base import Colonne, ListeExportable


def _postes(user):
    return (
        PosteChefDeProjet.objects.for_user(user)
        .select_related("employeur_commune", "employeur_epci")
        .prefetch_related("communes", "vtas")
    )


def filtrer_postes(data, postes, user):
    """The filters of the list of posts (`ingenierie.views.poste_list`)."""
    filtre = PosteFilterForm(data or None, user=user)
    if filtre.is_valid():
        if etat := filtre.cleaned_data["etat"]:
            postes = postes.filter(etat=etat)
        if departement := filtre.cleaned_data["departement"]:
            postes = postes.filter(communes__departement=departement).distinct()
    return postes


def _subvention(field: str) -> Colonne:
    code = next(code for code, champ in CHAMPS_COFINANCEMENT.items() if champ == field)
    return Colonne(
        field, f"Subvention {Cofinanceur(code).label} (€ par an)", lambda p: getattr(p, field)
    )


POSTES = ListeExportable(
    cle="postes",
    titre="Chefs de projet",
    colonnes=(
        Colonne("numero", "N° du poste", lambda p: p.pk),
        Colonne("communes", "Communes", lambda p: ", ".join(c.nom for c in p.communes.all())),
        Colonne("codes", "Codes INSEE", lambda p: ", ".join(c.code for c in p.communes.all())),
        Colonne("employeur", "Employeur", lambda p: p.employeur.nom if p.employeur else ""),
        Colonne("etat", "État", lambda p: p.get_etat_display()),
        Colonne("titulaire", "Titulaire", lambda p: p.titulaire_nom),
        Colonne("email", "Adresse électronique du titulaire", lambda p: p.titulaire_email),
        Colonne("debut", "Prise de poste", lambda p: p.debut),
        Colonne("fin", "Fin de poste", lambda p: p.fin),
        Colonne("cout_annuel", "Coût annuel (€)", lambda p: p.cout_annuel),
        *(_subvention(field) for field in CHAMPS_COFINANCEMENT.values()),
        Colonne("subvention_totale", "Subvention totale (€ par an)", lambda p: p.subvention_totale),
        Colonne("vta", "Volontaires territoriaux en administration", lambda p: len(p.vtas.all())),
    ),
    objets=_postes,
    filtrer=filtrer_postes,
    url_liste="ingenierie:poste_list",
)

LISTES = [POSTES]
