"""The imports of pillar 1 (CSV or XLSX): the chefs de projet posts of a préfecture, the
soutiens en ingénierie of a partner.

Every row is checked with the services' rules (`check_cofinancement`, `_check_etat_du_poste`,
`_check_unite`…) against referentials read once for the whole file; the objects are then
written by `services.import_postes` / `services.import_soutiens`. A row naming the external
reference of an existing object updates it. A post's convention d'adhésion is the one its
communes signed (as for the besoins); a state reached through the workflow is logged as the
steps the forms would have taken.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch

from communes.models import EPCI, Commune, Organisation
from conventions.models import ConventionAdhesion
from financements.imports import communes_de, droit_de_saisie
from financements.models import Action, Mesure
from financements.permissions import can_record_for, records_lines
from financements.services import check_amount
from ingenierie import services
from ingenierie.enums import CHAMPS_COFINANCEMENT, POSTE, EtatPoste, EtatSoutien, NatureSoutien
from ingenierie.models import PosteChefDeProjet, SoutienIngenierie
from ingenierie.permissions import can_manage_postes, records_postes
from pvd.exceptions import DomainError
from pvd.imports.ecriture import chemin
from pvd.imports.lecture import Colonne, DefinitionImport, Ligne, Resultat, reference_unique

REFERENCE = Colonne(
    "reference_externe",
    "Référence externe",
    "Votre identifiant (100 caractères au plus), facultatif : importer à nouveau une ligne de "
    "même référence met à jour l’objet au lieu d’en créer un autre.",
)
COMMUNES = Colonne(
    "communes",
    "Communes (codes INSEE)",
    "Le code INSEE de chaque commune, séparés par des virgules.",
    obligatoire=True,
)


def _communes_index(lignes: list[Ligne], *autres: str) -> dict[str, Commune]:
    codes = {code for ligne in lignes for cle in ("communes", *autres) for code in ligne.codes(cle)}
    return Commune.objects.select_related("departement").in_bulk(codes)


def _existants(model, lignes: list[Ligne], *related: str):
    references = {ligne.cellules.get("reference_externe", "") for ligne in lignes} - {""}
    return (
        model.objects.filter(reference_externe__in=references)
        .select_related(*related)
        .prefetch_related(
            Prefetch("communes", queryset=Commune.objects.select_related("departement"))
        )
    )


def _differences(ligne: Ligne, objet, valeurs: dict, communes: list[Commune]):
    """The headers of the columns whose value differs from `objet`'s, and the communes to
    write (None: unchanged)."""
    changees = [
        ligne.entete(cle)
        for cle, valeur in valeurs.items()
        # Foreign keys compared by key: reading them would cost a query per row.
        if getattr(objet, objet._meta.get_field(cle).attname) != getattr(valeur, "pk", valeur)
    ]
    if {c.pk for c in objet.communes.all()} == {c.pk for c in communes}:
        return changees, None
    return [*changees, ligne.entete("communes")], communes


# Chefs de projet ----------------------------------------------------------------------------------


COLONNES_POSTES = (
    REFERENCE,
    COMMUNES,
    Colonne(
        "employeur",
        "Employeur (code INSEE ou SIREN)",
        "Le code INSEE de la commune employeuse, ou le SIREN (9 chiffres) de l’EPCI employeur.",
        obligatoire=True,
    ),
    Colonne("etat", "État", "À recruter (par défaut), En recrutement, Occupé ou Vacant."),
    Colonne("titulaire_nom", "Nom du titulaire", "Obligatoire pour un poste occupé."),
    Colonne("titulaire_email", "Adresse électronique du titulaire", "Facultative."),
    Colonne("debut", "Prise de poste", "JJ/MM/AAAA ; obligatoire pour un poste occupé."),
    Colonne("fin", "Fin de poste", "JJ/MM/AAAA, après la prise de poste."),
    Colonne(
        "cout_annuel", "Coût annuel (€)", "Le coût annuel du poste, en euros.", obligatoire=True
    ),
    Colonne("subvention_anct", "Subvention ANCT (€ par an)", "0 par défaut."),
    Colonne("subvention_bdt", "Subvention Banque des Territoires (€ par an)", "0 par défaut."),
    Colonne("subvention_etat", "Subvention État (€ par an)", "0 par défaut."),
    Colonne(
        "subvention_anah",
        "Subvention Anah (€ par an)",
        "0 par défaut ; suppose une OPAH-RU en phase pré-opérationnelle ou opérationnelle. "
        "Le total des subventions ne dépasse pas 75 % du coût.",
    ),
    Colonne(
        "opah_ru",
        "OPAH-RU (numéro de l’action)",
        "Le numéro de l’action OPAH-RU qui justifie la part de l’Anah (dans son adresse).",
    ),
)


def _adhesion(communes: list[Commune], adhesions_de: dict[str, list[ConventionAdhesion]]):
    """The convention d'adhésion all the post's communes signed (the signed one first)."""
    candidates = [
        adhesion
        for adhesion in adhesions_de.get(communes[0].pk, [])
        if {c.pk for c in communes} <= {c.pk for c in adhesion.communes.all()}
    ]
    candidates.sort(key=lambda a: (a.signee_le is None, a.signee_le, a.pk))
    return candidates[0] if candidates else None


def valider_postes(user, lignes: list[Ligne]):
    index = _communes_index(lignes, "employeur")
    sirens = {code for ligne in lignes for code in ligne.codes("employeur") if len(code) == 9}
    epcis = EPCI.objects.in_bulk(sirens)
    adhesions_de: dict[str, list[ConventionAdhesion]] = {}
    for adhesion in (
        ConventionAdhesion.objects.filter(communes__in=index.keys())
        .distinct()
        .prefetch_related("communes")
    ):
        for commune in adhesion.communes.all():
            adhesions_de.setdefault(commune.pk, []).append(adhesion)
    numeros = {
        int(v) for ligne in lignes if (v := ligne.cellules.get("opah_ru", "")) and v.isdigit()
    }
    actions = (
        Action.objects.for_user(user).filter(pk__in=numeros).prefetch_related("communes")
        if numeros
        else []
    )
    actions = {action.pk: action for action in actions}
    eligibles = set(
        Action.objects.opah_ru_eligibles().filter(pk__in=list(actions)).values_list("pk", flat=True)
    )
    existants = {p.reference_externe: p for p in _existants(PosteChefDeProjet, lignes)}
    plan, inchangees = [], 0
    for ligne in lignes:
        reference = ligne.texte("reference_externe", longueur=100)
        communes = communes_de(ligne, index)
        if communes is not None and not can_manage_postes(user, communes):
            ligne.erreur(
                "communes",
                "Les chefs de projet sont enregistrés par la préfecture des communes : "
                "celles-ci ne relèvent pas de la vôtre.",
            )
        employeur_commune = employeur_epci = None
        match ligne.codes("employeur"):
            case [code] if len(code) == 9:
                employeur_epci = epcis.get(code)
            case [code]:
                employeur_commune = index.get(code)
            case _:
                code = None
        if code is not None and employeur_commune is None and employeur_epci is None:
            ligne.erreur("employeur", "aucune commune (code INSEE) ni EPCI (SIREN) n’a ce code")
        elif code is None:
            with ligne.regle("employeur"):
                services._check_employeur(None, None)
        valeurs = {
            "etat": ligne.choix("etat", EtatPoste, defaut=EtatPoste.A_RECRUTER),
            "titulaire_nom": ligne.texte("titulaire_nom", longueur=200),
            "titulaire_email": ligne.email("titulaire_email"),
            "employeur_commune": employeur_commune,
            "employeur_epci": employeur_epci,
            "debut": ligne.date("debut"),
            "fin": ligne.date("fin"),
            "cout_annuel": ligne.decimal("cout_annuel", obligatoire=True),
        }
        for cle in CHAMPS_COFINANCEMENT.values():
            valeurs[cle] = ligne.decimal(cle) or Decimal("0")
            with ligne.regle(cle):
                check_amount(valeurs[cle], ligne.entete(cle).lower())
        opah_ru = None
        if numero := ligne.texte("opah_ru"):
            opah_ru = actions.get(int(numero)) if numero.isdigit() else None
            if opah_ru is None:
                ligne.erreur("opah_ru", "aucune action de votre périmètre n’a ce numéro")
        valeurs["opah_ru"] = opah_ru
        if communes is not None and ligne.ok:
            valeurs["adhesion"] = _adhesion(communes, adhesions_de)
            with ligne.regle("communes"):
                services._check_communes_du_poste(communes, valeurs["adhesion"])
            try:
                services.check_cofinancement(
                    cout_annuel=valeurs["cout_annuel"],
                    subventions={code: valeurs[cle] for code, cle in CHAMPS_COFINANCEMENT.items()},
                    opah_ru=opah_ru,
                    communes=communes,
                    opah_ru_eligibles=eligibles,
                )
            except DomainError as error:
                anah = "Anah" in str(error) and "75 %" not in str(error)
                ligne.erreur("subvention_anah" if anah else "cout_annuel", str(error))
            with ligne.regle("etat"):
                services._check_etat_du_poste(PosteChefDeProjet(**valeurs))
        if not ligne.ok:
            continue
        existant = existants.get(reference) if reference else None
        if existant is None:
            # Every state is reachable from « à recruter », the state a post is created in.
            etapes = chemin(POSTE, EtatPoste.A_RECRUTER, valeurs["etat"])
            poste = PosteChefDeProjet(reference_externe=reference, **valeurs)
            creation = ("creer", "Poste créé", "", EtatPoste.A_RECRUTER)
            etapes = [creation, *_etapes(EtatPoste.A_RECRUTER, etapes)]
            plan.append(services.ObjetImporte(poste, communes, etapes))
            continue
        if not can_manage_postes(user, existant.communes.all()):
            ligne.erreur(
                "reference_externe",
                "cette référence désigne un poste hors de votre préfecture : choisissez-en une "
                "autre",
            )
            continue
        changees, communes_a_ecrire = _differences(ligne, existant, valeurs, communes)
        if not changees:
            inchangees += 1
            continue
        etapes = chemin(POSTE, existant.etat, valeurs["etat"])
        if etapes is None:
            ligne.erreur(
                "etat",
                f"un poste « {existant.get_etat_display()} » ne peut pas devenir "
                f"« {EtatPoste(valeurs['etat']).label} »",
            )
            continue
        etapes = _etapes(existant.etat, etapes)
        for cle, valeur in valeurs.items():
            setattr(existant, cle, valeur)
        plan.append(services.ObjetImporte(existant, communes_a_ecrire, etapes))
    reference_unique(lignes, "reference_externe", lambda ligne: None)
    return plan, inchangees


def _etapes(depart: str, transitions) -> list[tuple[str, str, str, str]]:
    """The log rows (transition, label, from, to) of `transitions` taken from `depart`."""
    etapes = []
    for transition in transitions:
        etapes.append((transition.name, transition.label, depart, transition.target))
        depart = transition.target
    return etapes


def ecrire_postes(user, plan, raison: str) -> Resultat:
    lignes, inchangees = plan
    creees, modifiees = services.import_postes(by=user, lignes=lignes, raison=raison)
    return Resultat(creees=creees, modifiees=modifiees, inchangees=inchangees)


POSTES = DefinitionImport(
    slug="chefs-de-projet",
    titre="Postes de chef de projet",
    description=(
        "Les postes de chef de projet des communes de votre département : coût, "
        "cofinancements, titulaire. La préfecture les importe."
    ),
    colonnes=COLONNES_POSTES,
    peut_importer=records_postes,
    valider=valider_postes,
    ecrire=ecrire_postes,
)


# Soutiens en ingénierie ---------------------------------------------------------------------------


COLONNES_SOUTIENS = (
    REFERENCE,
    Colonne(
        "partenaire",
        "Partenaire (code du référentiel)",
        "Le code de l’organisation qui apporte le soutien (par exemple cerema, bdt, anah).",
        obligatoire=True,
    ),
    COMMUNES,
    Colonne("nature", "Nature", ", ".join(NatureSoutien.labels) + ".", obligatoire=True),
    Colonne("objet", "Objet", "L’objet du soutien (255 caractères au plus).", obligatoire=True),
    Colonne("mesure", "Mesure (code)", "Le code de la mesure du programme, facultatif."),
    Colonne("montant_euros", "Montant (€)", "En euros ; ou bien un nombre de jours."),
    Colonne("nombre_jours", "Nombre de jours", "Jours d’intervention (le Cerema compte en jours)."),
    Colonne("debut", "Début", "JJ/MM/AAAA, facultatif."),
    Colonne("fin", "Fin", "JJ/MM/AAAA, facultatif, après le début."),
    Colonne("etat", "État", ", ".join(EtatSoutien.labels) + " (Engagé par défaut)."),
)


def valider_soutiens(user, lignes: list[Ligne]):
    index = _communes_index(lignes)
    organisations = {o.code: o for o in Organisation.objects.exclude(code=None)}
    mesures = {m.code: m for m in Mesure.objects.all()}
    existants = {
        (s.organisation_id, s.reference_externe): s
        for s in _existants(SoutienIngenierie, lignes, "organisation")
    }
    plan, inchangees = [], 0
    for ligne in lignes:
        reference = ligne.texte("reference_externe", longueur=100)
        organisation = organisations.get(ligne.texte("partenaire", obligatoire=True))
        if organisation is None and ligne.cellules.get("partenaire"):
            ligne.erreur("partenaire", "aucune organisation du référentiel n’a ce code")
        communes = communes_de(ligne, index)
        if organisation is not None and communes is not None:
            droit_de_saisie(ligne, user, organisation, communes, "partenaire")
        mesure = None
        if code := ligne.texte("mesure"):
            mesure = mesures.get(code)
            if mesure is None:
                ligne.erreur("mesure", "aucune mesure n’a ce code")
        valeurs = {
            "nature": ligne.choix("nature", NatureSoutien),
            "objet": ligne.texte("objet", obligatoire=True),
            "mesure": mesure,
            "montant_euros": ligne.decimal("montant_euros"),
            "nombre_jours": ligne.decimal("nombre_jours", chiffres=6),
            "debut": ligne.date("debut"),
            "fin": ligne.date("fin"),
            "etat": ligne.choix("etat", EtatSoutien, defaut=EtatSoutien.ENGAGE),
        }
        jours = valeurs["nombre_jours"]
        if jours is not None and jours != jours.quantize(Decimal("0.1")):
            ligne.erreur("nombre_jours", "une décimale au plus (1,5 jour)")
        if not ligne.en_erreur("montant_euros") and not ligne.en_erreur("nombre_jours"):
            with ligne.regle("montant_euros"):
                services._check_unite(valeurs["montant_euros"], jours)
        with ligne.regle("fin"):
            services._check_dates(valeurs["debut"], valeurs["fin"])
        if not ligne.ok:
            continue
        existant = existants.get((organisation.pk, reference)) if reference else None
        if existant is None:
            soutien = SoutienIngenierie(
                organisation=organisation, reference_externe=reference, **valeurs
            )
            plan.append(services.ObjetImporte(soutien, communes))
            continue
        if not droit_de_saisie_existant(ligne, user, existant):
            continue
        changees, communes_a_ecrire = _differences(ligne, existant, valeurs, communes)
        if not changees:
            inchangees += 1
            continue
        for cle, valeur in valeurs.items():
            setattr(existant, cle, valeur)
        plan.append(services.ObjetImporte(existant, communes_a_ecrire))
    reference_unique(
        lignes,
        "reference_externe",
        lambda ligne: ligne.cellules.get("partenaire", ""),
    )
    return plan, inchangees


def droit_de_saisie_existant(ligne: Ligne, user, soutien: SoutienIngenierie) -> bool:
    if can_record_for(user, soutien.organisation, soutien.communes.all()):
        return True
    ligne.erreur(
        "reference_externe",
        "cette référence désigne un soutien de communes hors de votre périmètre",
    )
    return False


def ecrire_soutiens(user, plan, raison: str) -> Resultat:
    lignes, inchangees = plan
    creees, modifiees = services.import_soutiens(by=user, lignes=lignes, raison=raison)
    return Resultat(creees=creees, modifiees=modifiees, inchangees=inchangees)


SOUTIENS = DefinitionImport(
    slug="soutiens",
    titre="Soutiens en ingénierie",
    description=(
        "Les soutiens en ingénierie (études, AMO, diagnostics…) d’un partenaire pour les "
        "communes de votre périmètre, en euros ou en jours. Un partenaire importe ceux de son "
        "organisation ; la préfecture, ceux de son département."
    ),
    colonnes=COLONNES_SOUTIENS,
    peut_importer=records_lines,
    valider=valider_soutiens,
    ecrire=ecrire_soutiens,
)
