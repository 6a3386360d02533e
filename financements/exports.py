"""The list of `financements` that exports (CSV, XLSX): the financing lines. See
`pvd.exports.base`."""

from financements.filters import FinancementFilter
from financements.models import Financement
from pvd.exports.base import Colonne, ListeExportable


def _financements(user):
    return (
        Financement.objects.for_user(user)
        .select_related("source", "mesure", "financeur", "action", "comite__departement")
        .prefetch_related("communes")
    )


FINANCEMENTS = ListeExportable(
    cle="financements",
    titre="Lignes de financement",
    colonnes=(
        Colonne("numero", "N° de la ligne", lambda f: f.pk),
        Colonne("objet", "Objet", lambda f: f.objet),
        Colonne("annee", "Année", lambda f: f.annee),
        Colonne("communes", "Communes", lambda f: ", ".join(c.nom for c in f.communes.all())),
        Colonne("codes", "Codes INSEE", lambda f: ", ".join(c.code for c in f.communes.all())),
        Colonne("source", "Source", lambda f: f.source.nom if f.source else ""),
        Colonne("mesure", "Mesure", lambda f: f.mesure.titre if f.mesure else ""),
        Colonne("financeur", "Financeur", lambda f: f.financeur.nom),
        Colonne("action", "Action financée", lambda f: f.action.titre if f.action else ""),
        Colonne("etat", "État", lambda f: f.get_etat_display()),
        Colonne("montant_demande", "Montant demandé (€)", lambda f: f.montant_demande),
        Colonne("montant_accorde", "Montant accordé (€)", lambda f: f.montant_accorde),
        Colonne("montant_verse", "Montant versé (€)", lambda f: f.montant_verse),
        Colonne("decide_le", "Décidé le", lambda f: f.decide_le),
        Colonne("decide_par", "Décidé par", lambda f: f.get_decide_par_display()),
        Colonne("comite", "Comité des financeurs", lambda f: str(f.comite) if f.comite else ""),
    ),
    objets=_financements,
    filtrer=lambda data, queryset, user: FinancementFilter(data, queryset=queryset, user=user).qs,
    url_liste="financements:financement_list",
)

LISTES = [FINANCEMENTS]
