"""The import of financing lines from a financeur's spreadsheet (CSV or XLSX).

Every row is checked with the services' rules (`check_amount`, `check_accord`, the writer's
right `can_record_for`) against the referentials read once for the whole file (sources,
mesures, communes, the lines already imported under the same references); the lines are then
written by `services.import_financements`. A row naming the external reference of an existing
line of the same financeur updates it: while it is a request, any field; once decided, a row
identical to the line is counted unchanged, any difference is an error.
"""

from __future__ import annotations

from django.db.models import Prefetch

from communes.enums import Role
from communes.models import Commune
from financements import services
from financements.enums import Decideur, EtatFinancement
from financements.models import Financement, Mesure, SourceFinancement
from financements.permissions import can_record_for, partner_organisations, records_lines
from pvd.imports.lecture import Colonne, DefinitionImport, Ligne, Resultat, reference_unique


class EtatImporte:
    """The states a row may give: a line « versé » is reached by its payments only."""

    choices = [(e.value, e.label) for e in EtatFinancement if e != EtatFinancement.VERSE]
    values = [code for code, _ in choices]
    labels = [label for _, label in choices]


COLONNES = (
    Colonne(
        "reference_externe",
        "Référence externe",
        "Votre identifiant de la ligne (100 caractères au plus), facultatif : importer à "
        "nouveau une ligne de même référence la met à jour au lieu d’en créer une autre.",
    ),
    Colonne(
        "source",
        "Source de financement (code)",
        "Le code d’une source du référentiel (par exemple detr, dsil, fonds-friches) ; "
        "une source ou une mesure, pas les deux.",
    ),
    Colonne(
        "mesure",
        "Mesure (code)",
        "Le code d’une mesure du programme, si la ligne ne relève pas d’une source.",
    ),
    Colonne(
        "communes",
        "Communes (codes INSEE)",
        "Le code INSEE de chaque commune bénéficiaire, séparés par des virgules.",
        obligatoire=True,
    ),
    Colonne("objet", "Objet", "L’objet financé (255 caractères au plus).", obligatoire=True),
    Colonne("annee", "Année", "L’année de la demande, de 2020 à 2100.", obligatoire=True),
    Colonne(
        "montant_demande",
        "Montant demandé (€)",
        "En euros, deux décimales au plus (12345,67).",
        obligatoire=True,
    ),
    Colonne("etat", "État", "Demandé (par défaut), Accordé ou Refusé."),
    Colonne(
        "montant_accorde",
        "Montant accordé (€)",
        "Pour un financement accordé : au plus le montant demandé.",
    ),
    Colonne(
        "decide_le",
        "Décidé le",
        "La date de la décision (JJ/MM/AAAA) d’un financement accordé ou refusé, passée.",
    ),
)


def communes_de(ligne: Ligne, index: dict[str, Commune]) -> list[Commune] | None:
    """The row's communes (column « communes ») from `index` (code → commune, read once)."""
    codes = ligne.codes("communes")
    if not codes:
        ligne.erreur("communes", "Indiquez au moins une commune bénéficiaire.")
        return None
    inconnus = [code for code in codes if code not in index]
    if inconnus:
        ligne.erreur("communes", "code(s) INSEE inconnu(s) : " + ", ".join(inconnus))
        return None
    obsoletes = [code for code in codes if index[code].obsolete]
    if obsoletes:
        ligne.erreur("communes", "commune(s) qui n’existe(nt) plus : " + ", ".join(obsoletes))
        return None
    return [index[code] for code in dict.fromkeys(codes)]


def droit_de_saisie(ligne: Ligne, user, organisation, communes: list[Commune], colonne: str):
    """`can_record_for` on a row: the error names the organisation's column when a partner
    imports another organisation's row, the communes' column when they are outside the
    importer's perimeter."""
    if can_record_for(user, organisation, communes):
        return
    if not user.has_role(Role.PREFECTURE) and organisation.pk not in partner_organisations(user):
        ligne.erreur(
            colonne,
            f"cette ligne est celle de {organisation} : vous n’enregistrez que celles de votre "
            "organisation",
        )
    else:
        ligne.erreur(
            "communes",
            f"Vous ne pouvez pas enregistrer pour {organisation} de ligne de ces communes : "
            "elles ne relèvent pas de votre périmètre.",
        )


def valider(user, lignes: list[Ligne]) -> tuple[list[services.LigneImportee], int]:
    sources = {s.code: s for s in SourceFinancement.objects.select_related("financeur")}
    mesures = {m.code: m for m in Mesure.objects.select_related("partenaire")}
    codes = {code for ligne in lignes for code in ligne.codes("communes")}
    index = Commune.objects.select_related("departement").in_bulk(codes)
    references = {ligne.cellules.get("reference_externe", "") for ligne in lignes} - {""}
    existantes = {
        (f.financeur_id, f.reference_externe): f
        for f in Financement.objects.filter(reference_externe__in=references)
        .select_related("financeur")
        .prefetch_related(
            Prefetch("communes", queryset=Commune.objects.select_related("departement")),
            "action__communes",
        )
    }
    plan, inchangees = [], 0
    for ligne in lignes:
        reference = ligne.texte("reference_externe", longueur=100)
        source = mesure = None
        if code := ligne.texte("source"):
            source = sources.get(code)
            if source is None:
                ligne.erreur("source", "aucune source de financement n’a ce code")
        if code := ligne.texte("mesure"):
            mesure = mesures.get(code)
            if mesure is None:
                ligne.erreur("mesure", "aucune mesure n’a ce code")
        financeur = None
        if ligne.ok:
            with ligne.regle("source"):
                financeur = services._financeur(source, mesure)
        communes = communes_de(ligne, index)
        objet = ligne.texte("objet", obligatoire=True)
        annee = ligne.entier("annee", obligatoire=True, mini=2020, maxi=2100)
        montant_demande = ligne.decimal("montant_demande")
        with ligne.regle("montant_demande"):
            services.check_amount(montant_demande, "montant demandé")
        etat = ligne.choix("etat", EtatImporte, defaut=EtatFinancement.DEMANDE)
        montant_accorde = ligne.decimal("montant_accorde")
        decide_le = ligne.date("decide_le")
        if etat == EtatFinancement.DEMANDE:
            for cle, valeur in (("montant_accorde", montant_accorde), ("decide_le", decide_le)):
                if valeur is not None:
                    ligne.erreur(cle, "une demande n’est pas encore décidée : laissez vide")
        elif etat is not None:
            if decide_le is None and not ligne.en_erreur("decide_le"):
                ligne.erreur("decide_le", "indiquez la date de la décision")
            with ligne.regle("decide_le"):
                services.check_not_future(decide_le, "de décision")
            if etat == EtatFinancement.ACCORDE and not ligne.en_erreur("montant_demande"):
                with ligne.regle("montant_accorde"):
                    services.check_accord(montant_demande, montant_accorde, None)
        if financeur is not None and communes is not None:
            droit_de_saisie(ligne, user, financeur, communes, "source" if source else "mesure")
        existante = existantes.get((financeur.pk, reference)) if financeur and reference else None
        if not ligne.ok:
            continue
        valeurs = {
            "source": source,
            "mesure": mesure,
            "objet": objet,
            "annee": annee,
            "montant_demande": montant_demande,
            "etat": etat,
            "montant_accorde": montant_accorde,
            "decide_le": decide_le,
        }
        if existante is None:
            financement = Financement(financeur=financeur, reference_externe=reference, **valeurs)
            if etat != EtatFinancement.DEMANDE:
                financement.decide_par = Decideur.COMITE_SOURCE
            plan.append(services.LigneImportee(financement, communes))
            continue
        ligne_importee = _mise_a_jour(user, ligne, existante, valeurs, communes)
        if ligne_importee is not None:
            plan.append(ligne_importee)
        elif ligne.ok:
            inchangees += 1
    reference_unique(lignes, "reference_externe", lambda ligne: _portee(ligne, sources, mesures))
    return plan, inchangees


def _portee(ligne: Ligne, sources: dict, mesures: dict):
    """Which financeur a row's reference belongs to (the references are unique per financeur)."""
    source = sources.get(ligne.cellules.get("source", ""))
    mesure = mesures.get(ligne.cellules.get("mesure", ""))
    return source.financeur_id if source else mesure.partenaire_id if mesure else None


def _mise_a_jour(
    user, ligne: Ligne, existante: Financement, valeurs: dict, communes: list[Commune]
) -> services.LigneImportee | None:
    """The update of an existing line by a row (None: the row changes nothing)."""
    anciennes = list(existante.communes.all())
    if not can_record_for(user, existante.financeur, anciennes):
        ligne.erreur(
            "reference_externe",
            "cette référence désigne une ligne de communes hors de votre périmètre",
        )
        return None
    changees = [
        ligne.entete(cle)
        for cle, valeur in valeurs.items()
        # Foreign keys compared by key: reading them would cost a query per row.
        if getattr(existante, f"{cle}_id" if cle in ("source", "mesure") else cle)
        != (getattr(valeur, "pk", None) if cle in ("source", "mesure") else valeur)
    ]
    if {c.pk for c in anciennes} != {c.pk for c in communes}:
        changees.append(ligne.entete("communes"))
    else:
        communes = None
    if not changees:
        return None
    if existante.etat != EtatFinancement.DEMANDE:
        ligne.erreur(
            "reference_externe",
            "Ce financement est décidé : seuls ses versements s’enregistrent désormais "
            f"(la ligne diffère par : {', '.join(changees)}).",
        )
        return None
    if communes is not None and existante.action is not None:
        with ligne.regle("communes"):
            services._check_action_of(existante.action, communes)
        if not ligne.ok:
            return None
    etat_avant = existante.etat
    for cle, valeur in valeurs.items():
        setattr(existante, cle, valeur)
    if existante.etat != EtatFinancement.DEMANDE:
        existante.decide_par = Decideur.COMITE_SOURCE
    return services.LigneImportee(existante, communes, etat_avant)


def ecrire(user, plan: tuple[list[services.LigneImportee], int], raison: str) -> Resultat:
    lignes, inchangees = plan
    creees, modifiees = services.import_financements(by=user, lignes=lignes, raison=raison)
    return Resultat(creees=creees, modifiees=modifiees, inchangees=inchangees)


IMPORT = DefinitionImport(
    slug="financements",
    titre="Lignes de financement",
    description=(
        "Les lignes de financement d’un financeur : demandes, décisions (accordé, refusé), "
        "pour les communes de votre périmètre. Un partenaire importe les lignes de son "
        "organisation ; la préfecture, celles de son département."
    ),
    colonnes=COLONNES,
    peut_importer=records_lines,
    valider=valider,
    ecrire=ecrire,
)
