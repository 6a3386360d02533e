"""What the note says, part by part, in seed 001's order and wording, from a snapshot of values.

The note is written from the registry: each part gathers the sections of `Section` it covers,
lays out the figures seed 001 shows (a big figure with its sentence and its change since the
previous note, charts, lists), and then every other registered indicator of those sections,
with its label. A key that is not registered, or absent from the snapshot, is left out: the note
degrades gracefully while the registry grows, and an old snapshot stays readable.

Values are written by `pvd.indicateurs.format` (`valeur`, `evolution`): the page and the note
say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from pvd.indicateurs.format import evolution, valeur
from pvd.indicateurs.registre import REGISTRE, Section, Unite
from pvd.notes import graphiques
from pvd.text import euros, nombre

# --- What the template draws -----------------------------------------------------------------


@dataclass
class Chiffre:
    """A key figure, big, with its sentence and its change since the previous note."""

    valeur: str
    texte: str | SafeString
    evolution: str | None = None
    titre: str = ""
    type: str = "chiffre"


@dataclass
class Rangee:
    """Figures side by side."""

    elements: list
    type: str = "rangee"


@dataclass
class Paragraphe:
    texte: str | SafeString
    discret: bool = False  # a footnote, a source
    type: str = "paragraphe"


@dataclass
class Intertitre:
    texte: str
    type: str = "intertitre"


@dataclass
class Graphique:
    titre: str
    uri: str
    description: str
    type: str = "graphique"


@dataclass
class Ligne:
    texte: str | SafeString
    evolution: str | None = None


@dataclass
class Liste:
    titre: str
    lignes: list[Ligne]
    type: str = "liste"


@dataclass
class Tableau:
    titre: str
    entetes: list[str]
    lignes: list[list[str]]
    type: str = "tableau"


@dataclass
class Bloc:
    """A sub-section (h3), or the blocks of the Club side by side (`encadre`)."""

    titre: str
    elements: list = field(default_factory=list)
    intertitre: str = ""
    encadre: bool = False


@dataclass
class Partie:
    titre: str
    sections: tuple[Section, ...]
    blocs: list[Bloc] = field(default_factory=list)
    intro: list[Paragraphe] = field(default_factory=list)


# How many partners the chart and the table of ingénierie name (the others are summed up).
PARTENAIRES_MONTRES = 8

# The parts of seed 001, and the sections of the registry each one covers (every section in
# exactly one part, in the registry's order).
PARTIES: list[tuple[str, tuple[Section, ...]]] = [
    ("Déploiement du programme et des projets", (Section.DEPLOIEMENT, Section.CONVENTIONS)),
    ("Les orientations et actions des projets de territoire", (Section.PROJETS, Section.BESOINS)),
    ("Soutien à l’ingénierie", (Section.INGENIERIE,)),
    ("Soutien aux actions thématiques", (Section.THEMATIQUES,)),
    ("Financement des projets", (Section.FINANCEMENT,)),
    ("Le Club", (Section.CLUB,)),
]


# --- Reading the snapshot ---------------------------------------------------------------------


def mois_annee(day: date) -> str:
    """« juillet 2021 », as `evolution` writes the previous note's date."""
    return date_format(day, "F Y")


def pluriel(n, singulier: str, pluriel_: str) -> str:
    return singulier if n is not None and abs(float(n)) < 2 else pluriel_


def _nombre_de(value) -> float:
    """A number out of a distribution's value: itself, or in an object the first of its
    counts (communes, collectivités…), else its first number."""
    if isinstance(value, int | float | Decimal):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return 0.0
    if isinstance(value, dict):
        for key in ("communes", "collectivites", "nombre", "demandes", "postes", "montant"):
            if isinstance(value.get(key), int | float):
                return float(value[key])
        for item in value.values():
            if isinstance(item, int | float):
                return float(item)
    return 0.0


@dataclass
class Donnees:
    valeurs: dict
    precedentes: dict | None = None
    date_precedente: date | None = None
    lues: set[str] = field(default_factory=set)

    def a(self, *cles: str) -> bool:
        """Are all these indicators registered and known in the snapshot?"""
        return all(cle in REGISTRE and self.valeurs.get(cle) not in (None, "") for cle in cles)

    def brut(self, cle: str):
        self.lues.add(cle)
        return self.valeurs.get(cle)

    def v(self, cle: str) -> str:
        """The value as French writes it."""
        return valeur(cle, self.brut(cle))

    def avant(self, cle: str):
        """The previous note's value (None: no previous note, or it did not have it)."""
        if not self.precedentes or self.date_precedente is None:
            return None
        return self.precedentes.get(cle)

    def evolution(self, cle: str) -> str | None:
        return evolution(cle, self.valeurs.get(cle), self.avant(cle), self.date_precedente)

    def repartition(self, cle: str) -> list[tuple[str, float]]:
        value = self.brut(cle)
        if not isinstance(value, dict):
            return []
        return [(str(label), _nombre_de(item)) for label, item in value.items()]

    def chiffre(self, cle: str, texte, *, titre: str = "") -> Chiffre:
        return Chiffre(self.v(cle), texte, self.evolution(cle), titre)

    def ligne(self, cle: str, texte) -> Ligne:
        """A line of a list: « 30 webinaires » (and « contre 12 en juillet 2021 »)."""
        return Ligne(texte, self.evolution(cle))


# --- The parts --------------------------------------------------------------------------------


def _signatures(d: Donnees) -> Bloc:
    bloc = Bloc("L’avancement des signatures")
    if d.a("communes_adhesion_signee"):
        n = d.brut("communes_adhesion_signee")
        texte = pluriel(
            n,
            "commune a signé sa convention d’adhésion",
            "communes ont signé leur convention d’adhésion",
        )
        if d.a("communes_adhesion_signee_pct"):
            sur = f" des {d.v('communes_pvd')} communes" if d.a("communes_pvd") else " des communes"
            texte += (
                f", soit {d.v('communes_adhesion_signee_pct')}{sur} Petites villes de demain (PVD)"
            )
        texte += "."
        if d.a("conventions_adhesion_signees"):
            k = d.brut("conventions_adhesion_signees")
            texte += " " + pluriel(
                k,
                f"C’est {d.v('conventions_adhesion_signees')} convention d’adhésion signée.",
                f"Ce sont {d.v('conventions_adhesion_signees')} conventions d’adhésion signées.",
            )
        bloc.elements.append(d.chiffre("communes_adhesion_signee", texte))
    if d.a("communes_ort_pct"):
        texte = "des communes Petites villes de demain"
        if d.a("communes_ort"):
            communes = pluriel(d.brut("communes_ort"), "commune", "communes")
            texte += f", soit {d.v('communes_ort')} {communes} en tout"
        texte += ", sont déjà engagées dans une opération de revitalisation de territoire (ORT)."
        chiffre = d.chiffre("communes_ort_pct", texte)
        if d.avant("communes_ort_pct") is not None:
            # Seed 001's sentence: « Elles étaient 6,4 % en juillet 2021 (104 communes). »
            avant = f"Elles étaient {valeur('communes_ort_pct', d.avant('communes_ort_pct'))}"
            avant += f" en {mois_annee(d.date_precedente)}"
            if d.a("communes_ort") and d.avant("communes_ort") is not None:
                n = d.avant("communes_ort")
                avant += f" ({valeur('communes_ort', n)} {pluriel(n, 'commune', 'communes')})"
            chiffre.evolution = avant + "."
        bloc.elements.append(chiffre)
    elif d.a("communes_ort"):
        bloc.elements.append(
            d.chiffre(
                "communes_ort",
                "communes Petites villes de demain sont engagées dans une opération de "
                "revitalisation de territoire (ORT).",
            )
        )
    if d.a("serie_communes_adhesion"):
        uri = graphiques.courbe_adhesions(d.brut("serie_communes_adhesion"))
        if uri:
            bloc.elements.append(
                Graphique(
                    "Évolution du nombre de communes signataires des conventions d’adhésion",
                    uri,
                    "Nombre cumulé de communes signataires, mois par mois.",
                )
            )
    return bloc


def _conventions(d: Donnees) -> Bloc:
    # The figures below read what the conventions say (presidency, co-signatories): seed 001
    # tells on how many they rest.
    analysees = next(
        (c for c in ("conventions_adhesion_analysees", "conventions_adhesion_signees") if d.a(c)),
        None,
    )
    etoile = "*" if analysees else ""
    # Nothing analysed yet: the shares read from the conventions would say 0 %, which the note
    # must not print as a figure.
    sans_analyse = analysees == "conventions_adhesion_analysees" and not d.brut(analysees)
    bloc = Bloc(
        f"L’analyse des conventions d’adhésion{etoile}", intertitre="Le cadre de coopération"
    )
    bloc.elements.append(
        Paragraphe(
            "Chaque convention d’adhésion est signée par, au minimum, une ou plusieurs "
            "communes Petites villes de demain, leur intercommunalité et le préfet de "
            "département, délégué territorial de l’Agence nationale de la cohésion des "
            "territoires (ANCT)."
        )
    )
    if d.a("communes_par_convention_moyenne"):
        bloc.elements.append(
            d.chiffre(
                "communes_par_convention_moyenne",
                "communes, en moyenne, sont signataires d’une même convention d’adhésion.",
            )
        )
    presidence = (
        "Les conventions d’adhésion installent les comités de projet des communes. Ils "
        "réunissent les cosignataires des conventions d’adhésion et les partenaires identifiés. "
        "Le choix de la nature de la présidence est à la discrétion des collectivités."
    )
    analyse = (
        "comites_projet_copresides_pct",
        "copresidence_maires_epci_pct",
        "copresidence_maires_pct",
        "communes_cd_cosignataire_pct",
        "communes_cr_cosignataire_pct",
    )
    if sans_analyse:
        for cle in analyse:
            d.brut(cle)
        bloc.elements.append(Paragraphe(presidence))
    elif d.a("comites_projet_copresides_pct"):
        texte = "des comités de projet créés sont co-présidés."
        if d.a("copresidence_maires_epci_pct", "copresidence_maires_pct"):
            texte += (
                f" Parmi ceux-ci, {d.v('copresidence_maires_epci_pct')} le sont par le ou les "
                f"maires et le président de l’EPCI (les {d.v('copresidence_maires_pct')} "
                "restant étant de la coprésidence de maires)."
            )
        bloc.elements.append(Paragraphe(presidence))
        bloc.elements.append(d.chiffre("comites_projet_copresides_pct", texte))
    cosignataires = ("communes_cd_cosignataire_pct", "communes_cr_cosignataire_pct")
    if d.a(*cosignataires) and not sans_analyse:
        bloc.elements.append(
            Paragraphe(
                "Le programme Petites villes de demain offrant un cadre de coopération "
                "territoriale partenariale, les conseils départementaux et régionaux, les "
                "partenaires financiers et techniques, nationaux et locaux, ont été invités à "
                "s’y associer, dès la signature de la convention d’adhésion."
            )
        )
        evolutions = [d.evolution(cle) for cle in cosignataires]
        bloc.elements.append(
            Chiffre(
                f"{d.v(cosignataires[0])} et {d.v(cosignataires[1])}",
                "Ce sont les pourcentages de communes PVD auprès desquelles les conseils "
                "départementaux et régionaux se sont respectivement engagés.",
                (
                    f"Conseils départementaux : {evolutions[0]} ; "
                    f"conseils régionaux : {evolutions[1]}."
                )
                if all(evolutions)
                else None,
            )
        )
    if etoile:
        n = d.brut(analysees)
        bloc.elements.append(
            Paragraphe(
                f"*L’étude repose sur l’analyse de {d.v(analysees)} "
                f"{pluriel(n, 'convention', 'conventions')} d’adhésion."
                if n
                else "*Aucune convention d’adhésion n’était encore analysée à cette date.",
                discret=True,
            )
        )
    return bloc


def _projets(d: Donnees) -> list[Bloc]:
    blocs = []
    if d.a("orientations"):
        uri = graphiques.barres(d.repartition("orientations"))
        if uri:
            blocs.append(
                Bloc(
                    "Les orientations identifiées",
                    [
                        Graphique(
                            "Nombre de communes PVD par orientation de leur projet de territoire",
                            uri,
                            "Nombre de communes dont le projet de territoire retient chaque "
                            "orientation.",
                        )
                    ],
                )
            )
    actions = Bloc("Les actions en cours ou envisagées")
    if d.a("actions_equipements_pct"):
        items = sorted(d.repartition("actions_equipements_pct"), key=lambda item: -item[1])
        if items:
            actions.elements.append(Intertitre("Sur les équipements :"))
        if items and items[0][1] > 0:
            tete = format_html(
                "En tête des actions envisagées sur les équipements : {} ({} des communes PVD)",
                items[0][0].lower(),
                f"{nombre(items[0][1])}\u00a0%",
            )
            if len(items) > 1 and items[1][1] > 0:
                tete = format_html(
                    "{}, devant {} ({})", tete, items[1][0].lower(), f"{nombre(items[1][1])}\u00a0%"
                )
            actions.elements.append(Paragraphe(format_html("{}.", tete)))
            actions.elements.append(
                Graphique(
                    "Proportion des communes PVD par actions sur les équipements",
                    graphiques.barres(items, unite="pourcentage"),
                    "Part des communes PVD envisageant ou menant une action sur chaque type "
                    "d’équipement.",
                )
            )
    if d.a("tiers_lieu_pct"):
        actions.elements.append(
            d.chiffre("tiers_lieu_pct", "des communes envisagent de créer un tiers-lieu.")
        )
        actions.elements.append(
            Paragraphe(
                "La part importante de communes envisageant de créer un tiers-lieu témoigne du "
                "déploiement national de ces nouveaux équipements innovants, aux programmations "
                "mixtes adaptées aux besoins des territoires."
            )
        )
    if d.a("opah_pct") or d.a("opah_ru_pct"):
        actions.elements.append(Intertitre("Sur l’habitat :"))
        chiffres = []
        items = []
        if d.a("opah_pct"):
            chiffres.append(
                d.chiffre(
                    "opah_pct",
                    "des communes PVD mènent ou envisagent de mener une opération programmée "
                    "d’amélioration de l’habitat (OPAH), simple ou complexe.",
                )
            )
            items.append(("OPAH, simple ou complexe", d.brut("opah_pct")))
        if d.a("opah_ru_pct"):
            chiffres.append(
                d.chiffre(
                    "opah_ru_pct",
                    "des communes ont l’intention de s’engager dans une OPAH renouvellement "
                    "urbain (OPAH-RU).",
                )
            )
            items.append(("OPAH renouvellement urbain (OPAH-RU)", d.brut("opah_ru_pct")))
        actions.elements.append(Rangee(chiffres))
        actions.elements.append(
            Graphique(
                "Intentions d’engagement d’une OPAH, simple ou complexe",
                graphiques.barres(items, unite="pourcentage"),
                "Part des communes PVD menant ou envisageant une OPAH, et une OPAH-RU.",
            )
        )
    if actions.elements:
        blocs.append(actions)
    return blocs


def _besoins(d: Donnees) -> Bloc:
    besoins = [
        ("besoin_chef_projet_pct", "un financement pour le chef de projet PVD"),
        ("besoin_etudes_pct", "un financement d’études opérationnelles"),
        ("besoin_investissements_pct", "un financement de leurs investissements"),
    ]
    return Bloc(
        "Les besoins exprimés",
        [
            Rangee(
                [
                    d.chiffre(cle, f"des communes ont exprimé le besoin d’{quoi}.")
                    for cle, quoi in besoins
                    if d.a(cle)
                ]
            )
        ],
    )


def _ingenierie(d: Donnees) -> list[Bloc]:
    chefs = Bloc("Les chefs de projet Petites villes de demain")
    rangee = []
    if d.a("chefs_projet_postes_occupes"):
        n = d.brut("chefs_projet_postes_occupes")
        rangee.append(
            d.chiffre(
                "chefs_projet_postes_occupes",
                pluriel(
                    n,
                    "poste de chef de projet Petites villes de demain occupé.",
                    "postes de chef de projet Petites villes de demain occupés.",
                ),
            )
        )
    if d.a("vta"):
        n = d.brut("vta")
        rangee.append(
            d.chiffre(
                "vta",
                pluriel(
                    n,
                    "volontariat territorial en administration (VTA)",
                    "volontariats territoriaux en administration (VTA)",
                )
                + " en appui au chef de projet Petites villes de demain.",
            )
        )
    if rangee:
        chefs.elements.append(Rangee(rangee))
        chefs.elements.append(
            Paragraphe(
                "Les postes de chef de projet Petites villes de demain sont financés à hauteur "
                "de 75 % par l’ANCT, la Banque des territoires, l’État et l’Anah (sous condition "
                "de la mise en œuvre d’une OPAH-RU en phase pré-opérationnelle ou "
                "opérationnelle)."
            )
        )
    etudes = Bloc("Les études et l’assistance à maîtrise d’ouvrage")
    rangee = []
    if d.a("ingenierie_communes"):
        rangee.append(
            d.chiffre(
                "ingenierie_communes",
                pluriel(
                    d.brut("ingenierie_communes"),
                    "commune a déjà bénéficié d’un soutien à l’ingénierie.",
                    "communes ont déjà bénéficié d’un soutien à l’ingénierie.",
                ),
            )
        )
    if d.a("ingenierie_montant"):
        rangee.append(d.chiffre("ingenierie_montant", "de soutien à l’ingénierie*."))
    if rangee:
        etudes.elements.append(
            Paragraphe(
                "La Banque des territoires, l’ANCT, le Ministère de la transition écologique, "
                "l’Anah et le Cerema proposent aux collectivités Petites villes de demain un "
                "ensemble de dispositifs pour accompagner les communes dans la définition et la "
                "conduite de leurs projets."
            )
        )
        etudes.elements.append(Rangee(rangee))
    if d.a("ingenierie_par_partenaire"):
        partenaires = d.brut("ingenierie_par_partenaire")
        items = sorted(d.repartition("ingenierie_par_partenaire"), key=lambda item: -item[1])
        premiers, autres = items[:PARTENAIRES_MONTRES], items[PARTENAIRES_MONTRES:]
        uri = graphiques.barres(premiers)
        if uri:
            etudes.elements.append(
                Graphique(
                    "Répartition du nombre de communes accompagnées par partenaires"
                    + (f" (les {len(premiers)} premiers)" if autres else ""),
                    uri,
                    "Nombre de communes PVD bénéficiant d’un soutien en ingénierie de chaque "
                    "partenaire.",
                )
            )

            def detail(nom) -> dict:
                return partenaires[nom] if isinstance(partenaires[nom], dict) else {}

            def montants(noms) -> list[str]:
                montant = sum(float(detail(nom).get("montant") or 0) for nom in noms)
                jours = sum(float(detail(nom).get("jours") or 0) for nom in noms)
                return [
                    euros(round(montant, 2)) if montant else "—",
                    nombre(int(jours) if jours.is_integer() else jours) if jours else "—",
                ]

            lignes = [[nom, nombre(int(communes)), *montants([nom])] for nom, communes in premiers]
            if autres:
                # Their communes are not added up: a commune may be supported by several.
                lignes.append(
                    [
                        f"{len(autres)} autres partenaires",
                        "—",
                        *montants([nom for nom, _ in autres]),
                    ]
                )
            etudes.elements.append(
                Tableau(
                    "Soutien à l’ingénierie par partenaire",
                    ["Partenaire", "Communes", "Montant", "Jours (Cerema)"],
                    lignes,
                )
            )
    if d.a("ingenierie_montant"):
        etudes.elements.append(
            Paragraphe(
                "*Sans prise en compte des prestations du Cerema comptées en jours et du "
                "financement des postes de chefs de projet.",
                discret=True,
            )
        )
    etudes.elements.append(
        Paragraphe(
            "Retrouvez les mesures d’accompagnement du programme Petites villes de demain sur "
            "Aides-Territoires, guichet unique qui rend visibles et lisibles tous les "
            "dispositifs à destination des collectivités proposés par les partenaires du "
            "programme : petitesvillesdedemain.aides-territoires.beta.gouv.fr.",
            discret=True,
        )
    )
    return [chefs, etudes]


def _thematiques(d: Donnees) -> list[Bloc]:
    blocs = []
    labels = Bloc("France Services et conseillers numériques")
    rangee = []
    if d.a("france_services"):
        rangee.append(
            d.chiffre(
                "france_services",
                pluriel(
                    d.brut("france_services"),
                    "France Services dans les communes Petites villes de demain.",
                    "France Services dans les communes Petites villes de demain.",
                ),
            )
        )
    if d.a("conseillers_numeriques"):
        rangee.append(
            d.chiffre(
                "conseillers_numeriques",
                pluriel(
                    d.brut("conseillers_numeriques"),
                    "conseiller numérique France Services dans les communes Petites villes de "
                    "demain.",
                    "conseillers numériques France Services dans les communes Petites villes de "
                    "demain.",
                ),
            )
        )
    if rangee:
        labels.elements.append(
            Paragraphe(
                "France Services et Conseillers numériques France Services sont deux programmes "
                "coordonnés par l’ANCT."
            )
        )
        labels.elements.append(Rangee(rangee))
        if d.date_precedente and d.avant("france_services") is not None:
            items = [
                (REGISTRE[cle].libelle, d.brut(cle))
                for cle in ("france_services", "conseillers_numeriques")
                if d.a(cle)
            ]
            precedentes = {
                REGISTRE[cle].libelle: d.avant(cle)
                for cle in ("france_services", "conseillers_numeriques")
                if d.a(cle)
            }
            labels.elements.append(
                Graphique(
                    "Évolution depuis la note précédente",
                    graphiques.barres(
                        items,
                        precedentes=precedentes,
                        legendes=(
                            "Aujourd’hui",
                            f"En {mois_annee(d.date_precedente)}",
                        ),
                    ),
                    "Nombre de France Services et de conseillers numériques, à la date de la "
                    "note et à celle de la note précédente.",
                )
            )
        blocs.append(labels)

    commerce = Bloc("Le commerce dans le plan France Relance")
    if d.a("commerce_collectivites") or d.a("commerce_montant"):
        commerce.elements.append(
            Paragraphe(
                "Les activités commerciales contribuant au dynamisme des petites villes, agir "
                "pour leur maintien et leur développement fait partie des priorités d’action des "
                "élus locaux. Les mesures de soutien du commerce de proximité déployées par la "
                "Banque des Territoires dans le cadre de la Relance sont accessibles aux Petites "
                "villes de demain depuis l’annonce de leur retenue dans le cadre du programme."
            )
        )
        phrases = []
        if d.a("commerce_collectivites"):
            phrases.append(
                format_html(
                    "Au total, {} {} sollicité les <strong>mesures d’urgence commerce</strong> "
                    "portées par la Banque des Territoires : manager de commerce, diagnostic "
                    "impact, solution numérique, ingénierie numérique.",
                    d.v("commerce_collectivites"),
                    pluriel(
                        d.brut("commerce_collectivites"), "collectivité a", "collectivités ont"
                    ),
                )
            )
            if d.avant("commerce_collectivites") is not None:
                phrases.append(
                    "Elles étaient "
                    f"{valeur('commerce_collectivites', d.avant('commerce_collectivites'))}"
                    f" en {mois_annee(d.date_precedente)}."
                )
        if d.a("commerce_montant"):
            phrases.append(
                f"{d.v('commerce_montant')} ont déjà été contractualisés en réponse aux demandes "
                "des communes PVD"
                + (f", {evolution_}." if (evolution_ := d.evolution("commerce_montant")) else ".")
            )
        commerce.elements.append(
            Paragraphe(format_html_join(" ", "{}", ((phrase,) for phrase in phrases)))
        )
    if d.a("commerce_par_mesure"):
        uri = graphiques.barres(d.repartition("commerce_par_mesure"))
        if uri:
            commerce.elements.append(
                Graphique(
                    "Répartition des demandes par mesure d’urgence commerce",
                    uri,
                    "Demandes des collectivités PVD pour chaque mesure d’urgence commerce de la "
                    "Banque des Territoires.",
                )
            )
    if d.a("managers_commerce"):
        n = d.brut("managers_commerce")
        texte = format_html(
            "Désormais, <strong>{} {}</strong> {} l’objet d’une demande de subvention",
            d.v("managers_commerce"),
            pluriel(n, "poste de manager de commerce", "postes de managers de commerce"),
            pluriel(n, "a fait", "ont fait"),
        )
        if d.avant("managers_commerce") is not None:
            texte = format_html(
                "{}, contre {} en {}.",
                texte,
                valeur("managers_commerce", d.avant("managers_commerce")),
                mois_annee(d.date_precedente),
            )
        else:
            texte = format_html("{}.", texte)
        commerce.elements.append(Paragraphe(texte))
    if commerce.elements:
        blocs.append(commerce)
    return blocs


DOTATIONS = [
    ("fnadt", "Fonds national d’aménagement et de développement du territoire (FNADT)"),
    ("detr", "Dotation d’équipement des territoires ruraux (DETR)"),
    ("dsil", "Dotation de soutien à l’investissement local (DSIL)"),
]


def _financement(d: Donnees) -> list[Bloc]:
    blocs = []
    friches = Bloc("Le Fonds friches")
    if d.a("friches_communes"):
        n = d.brut("friches_communes")
        friches.elements.append(
            d.chiffre(
                "friches_communes",
                pluriel(
                    n,
                    "commune PVD est lauréate du fonds friches",
                    "communes PVD sont lauréates du fonds friches",
                )
                + " dédié au recyclage du foncier artificialisé.",
            )
        )
    if d.a("friches_montant"):
        friches.elements.append(
            d.chiffre(
                "friches_montant",
                "de subventions du fonds piloté par le Ministère de la transition écologique "
                "(MTE) et l’ADEME ont été attribués à des projets situés dans les communes PVD.",
            )
        )
    if friches.elements:
        blocs.append(friches)
    dotations = []
    for sigle, nom in DOTATIONS:
        montant, communes = f"{sigle}_montant", f"{sigle}_communes"
        if not d.a(montant):
            continue
        texte = ""
        if d.a(communes):
            n = d.brut(communes)
            texte = d.v(communes) + " "
            texte += pluriel(n, "commune bénéficiaire", "communes bénéficiaires")
            if d.evolution(communes):
                texte += f" ({d.evolution(communes)})"
        dotations.append(d.chiffre(montant, texte, titre=nom))
    if dotations:
        blocs.append(
            Bloc(
                "Les dotations de l’État",
                [
                    Rangee(dotations),
                    Paragraphe(
                        "Subventions accordées à des projets des communes PVD.", discret=True
                    ),
                ],
            )
        )
    return blocs


def _club(d: Donnees) -> list[Bloc]:
    def lignes(spec) -> list[Ligne]:
        return [d.ligne(cle, texte(d.v(cle), d.brut(cle))) for cle, texte in spec if d.a(cle)]

    evenements = lignes(
        [
            (
                "club_semaines_thematiques",
                lambda v, n: f"{v} {pluriel(n, 'semaine thématique', 'semaines thématiques')}",
            ),
            ("club_webinaires", lambda v, n: f"{v} {pluriel(n, 'webinaire', 'webinaires')}"),
            (
                "club_communes_valorisees",
                lambda v, n: f"{v} {pluriel(n, 'PVD valorisée', 'PVD valorisées')}",
            ),
            (
                "club_participants",
                lambda v, n: f"{v} {pluriel(n, 'participation', 'participations')} au total",
            ),
            (
                "club_personnes",
                lambda v, n: f"{v} {pluriel(n, 'personne différente', 'personnes différentes')}",
            ),
        ]
    )
    formation = lignes(
        [
            (
                "club_formations_sessions",
                lambda v, n: f"{v} {pluriel(n, 'session', 'sessions')} de formation",
            ),
            (
                "club_formations_modules",
                lambda v, n: f"{v} {pluriel(n, 'module', 'modules')} de formation",
            ),
            (
                "club_formations_participants",
                lambda v, n: f"{v} {pluriel(n, 'participant', 'participants')}",
            ),
        ]
    )
    reseaux = lignes(
        [
            ("club_audience_linkedin", lambda v, n: f"LinkedIn : {v} abonnés"),
            (
                "club_audience_infolettre",
                lambda v, n: f"Infolettre mensuelle : envoi à {v} personnes",
            ),
        ]
    )
    cercles = lignes(
        [
            (
                "club_cercles",
                lambda v, n: f"{v} {pluriel(n, 'cercle thématique', 'cercles thématiques')}",
            ),
            (
                "club_cercles_membres",
                lambda v, n: f"{v} {pluriel(n, 'élu membre', 'élus membres')} d’un cercle",
            ),
        ]
    )
    blocs = [
        Bloc(titre, [Liste(titre, items)], encadre=True)
        for titre, items in (
            ("Événements", evenements),
            ("Formation", formation),
            ("Réseaux sociaux", reseaux),
            ("Cercles thématiques", cercles),
        )
        if items
    ]
    return blocs


def _autres(d: Donnees, section: Section) -> Bloc | None:
    """The indicators of `section` that the layout above did not show, with their labels."""
    chiffres, graphs = [], []
    for cle, indicateur in REGISTRE.items():
        if indicateur.section != section or cle in d.lues or not d.a(cle):
            continue
        if indicateur.unite == Unite.REPARTITION:
            uri = graphiques.barres(d.repartition(cle))
            if uri:
                graphs.append(Graphique(indicateur.libelle, uri, indicateur.definition))
        elif indicateur.unite == Unite.SERIE:
            d.lues.add(cle)  # no generic drawing for a series
        else:
            chiffres.append(d.chiffre(cle, indicateur.libelle))
    if not (chiffres or graphs):
        return None
    elements = [Rangee(chiffres[i : i + 3]) for i in range(0, len(chiffres), 3)]
    titre = "Le Club en chiffres" if section == Section.CLUB else "Autres indicateurs"
    return Bloc(titre, elements + graphs)


INTRODUCTIONS = {
    "Le Club": [
        Paragraphe(
            "Le Club Petites villes de demain anime le réseau des communes du programme : "
            "semaines thématiques, webinaires et visites de terrain, formations des élus et des "
            "chefs de projet, et « Cercles thématiques », qui font dialoguer pendant un an des "
            "élus entre pairs sur un sujet essentiel à la revitalisation des petites centralités."
        )
    ],
}

BUILDERS = {
    Section.DEPLOIEMENT: lambda d: [_signatures(d)],
    Section.CONVENTIONS: lambda d: [_conventions(d)],
    Section.PROJETS: _projets,
    Section.BESOINS: lambda d: [_besoins(d)],
    Section.INGENIERIE: _ingenierie,
    Section.THEMATIQUES: _thematiques,
    Section.FINANCEMENT: _financement,
    Section.CLUB: _club,
}


def _utile(bloc: Bloc) -> bool:
    """A bloc says something: a figure, a chart, a list, a table (not only prose)."""

    def porte(element) -> bool:
        if isinstance(element, Rangee):
            return any(porte(e) for e in element.elements)
        if isinstance(element, Graphique):
            return element.uri is not None
        return not isinstance(element, Paragraphe | Intertitre)

    return any(porte(element) for element in bloc.elements)


def parties(
    valeurs: dict, precedentes: dict | None = None, date_precedente: date | None = None
) -> list[Partie]:
    """The note's parts, in seed 001's order; a part with nothing to show is left out."""
    d = Donnees(valeurs, precedentes, date_precedente)
    par_section = {section: BUILDERS[section](d) for section in Section}
    result = []
    couvertes = {section for _, sections in PARTIES for section in sections}
    plan = PARTIES + [(s.value, (s,)) for s in Section if s not in couvertes]
    for titre, sections in plan:
        partie = Partie(titre, sections, intro=list(INTRODUCTIONS.get(titre, [])))
        for section in sections:
            partie.blocs.extend(b for b in par_section.get(section, []) if _utile(b))
            if autres := _autres(d, section):
                partie.blocs.append(autres)
        if partie.blocs:
            result.append(partie)
    return result


def definitions(valeurs: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """The back matter's glossary: (section, [(label, definition)]) of the snapshot's indicators,
    in the registry's order."""
    by_section: dict[Section, list[tuple[str, str]]] = {}
    for cle, indicateur in REGISTRE.items():
        if cle in valeurs:
            by_section.setdefault(indicateur.section, []).append(
                (indicateur.libelle, indicateur.definition)
            )
    return [(section.value, by_section[section]) for section in Section if section in by_section]
