"""The demo generator itself: one method per part of the programme, in dependency order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from communes.models import Commune, Organisation
from conventions.enums import EtatCandidature, EtatConvention
from conventions.models import Candidature, ConventionAdhesion, Orientation
from financements.enums import (
    PHASES_OPAH_RU_ELIGIBLES,
    Decideur,
    EtatAction,
    EtatFinancement,
    TypeAction,
)
from financements.models import (
    Action,
    ComiteFinanceurs,
    Financement,
    Label,
    Mesure,
    SourceFinancement,
    Versement,
)
from ingenierie.enums import EtatPoste, EtatSoutien, NatureSoutien
from ingenierie.models import BesoinsExprimes, PosteChefDeProjet, PosteVTA, SoutienIngenierie
from pvd.demo import reference as ref
from pvd.demo.club import GenerateurClub, paris
from pvd.demo.ecriture import Ecrivain
from pvd.demo.noms import NOMS, PRENOMS, ascii_slug
from pvd.demo.tirages import allot, cover, exact_sample, rng_for, scaled, split_amount
from pvd.exceptions import DomainError

ORIENTATION = {
    TypeAction.EQUIPEMENT_CULTUREL: "culture-tourisme",
    TypeAction.EQUIPEMENT_MEDICO_SOCIAL: "equipements",
    TypeAction.EQUIPEMENT_SPORTIF: "equipements",
    TypeAction.TIERS_LIEU: "numerique",
    TypeAction.COMMERCE: "commerce",
    TypeAction.OPAH: "habitat",
    TypeAction.OPAH_RU: "habitat",
    TypeAction.ESPACE_PUBLIC: "espaces-publics",
    TypeAction.MOBILITE: "mobilites",
    TypeAction.PATRIMOINE: "espaces-publics",
    TypeAction.NUMERIQUE: "numerique",
    TypeAction.FRICHE: "transition-ecologique",
}
TITRES = {
    TypeAction.EQUIPEMENT_CULTUREL: (
        "Médiathèque de {}",
        "Rénovation du cinéma de {}",
        "École de musique de {}",
    ),
    TypeAction.EQUIPEMENT_MEDICO_SOCIAL: (
        "Maison de santé pluriprofessionnelle de {}",
        "Résidence autonomie de {}",
    ),
    TypeAction.EQUIPEMENT_SPORTIF: ("Gymnase de {}", "Piscine de {}", "City-stade de {}"),
    TypeAction.TIERS_LIEU: ("Tiers-lieu de {}", "Espace de travail partagé de {}"),
    TypeAction.COMMERCE: (
        "Reconquête des cellules commerciales vacantes de {}",
        "Halle de marché de {}",
    ),
    TypeAction.OPAH: ("OPAH de {}",),
    TypeAction.OPAH_RU: ("OPAH-RU du centre-bourg de {}",),
    TypeAction.ESPACE_PUBLIC: (
        "Requalification de la place centrale de {}",
        "Aménagement des quais de {}",
    ),
    TypeAction.MOBILITE: ("Pôle d’échanges multimodal de {}", "Itinéraires cyclables de {}"),
    TypeAction.PATRIMOINE: ("Restauration de l’église de {}", "Mise en valeur des remparts de {}"),
    TypeAction.NUMERIQUE: ("Guichet numérique de {}", "Espace public numérique de {}"),
    TypeAction.FRICHE: ("Reconversion de la friche industrielle de {}",),
}
BUDGETS = {  # euros: (min, max), by steps of 1,000
    TypeAction.OPAH: (300_000, 1_500_000),
    TypeAction.OPAH_RU: (500_000, 3_000_000),
    TypeAction.FRICHE: (400_000, 4_000_000),
}
BUDGET_PAR_DEFAUT = (50_000, 2_500_000)
# Types whose investments DETR and DSIL finance.
INVESTISSEMENTS = {
    TypeAction.EQUIPEMENT_CULTUREL,
    TypeAction.EQUIPEMENT_MEDICO_SOCIAL,
    TypeAction.EQUIPEMENT_SPORTIF,
    TypeAction.ESPACE_PUBLIC,
    TypeAction.PATRIMOINE,
    TypeAction.TIERS_LIEU,
    TypeAction.MOBILITE,
}
OBJETS_SOUTIENS = {
    "anah": (NatureSoutien.ETUDE, "Étude pré-opérationnelle d’OPAH-RU"),
    "bdt": (NatureSoutien.ETUDE, "Étude de revitalisation du centre-bourg"),
    "cerema": (NatureSoutien.CO_CONSTRUCTION, "Accompagnement de deux jours en co-construction"),
    "anct": (NatureSoutien.AMO, "Ingénierie sur mesure de l’ANCT"),
    "mte": (NatureSoutien.ATELIER_TERRITOIRES, "Atelier des territoires flash"),
    "ademe": (NatureSoutien.DIAGNOSTIC, "Diagnostic de sobriété foncière"),
    "fncaue": (NatureSoutien.AMO, "Conseil architectural et paysager du CAUE"),
    "fnau": (NatureSoutien.ETUDE, "Étude urbaine de l’agence d’urbanisme"),
    "conseil_departemental": (NatureSoutien.AMO, "Assistance à maîtrise d’ouvrage du département"),
}
COMMERCE_OBJETS = {
    "bdt-manager-commerce": "Manager de commerce de {}",
    "bdt-diagnostic-impact": "Diagnostic impact du commerce de {}",
    "bdt-solution-numerique": "Solution numérique pour les commerces de {}",
    "bdt-ingenierie-numerique": "Ingénierie numérique du commerce de {}",
}
LABELS_NOMS = {
    "france_services": "France Services de {}",
    "conseiller_numerique": "Conseiller numérique de {}",
    "micro_folie": "Micro-Folie de {}",
    "fabrique_territoire": "Fabrique de territoire de {}",
}


def day(rng, start: date, days: int) -> date:
    return start + timedelta(days=rng.randrange(days))


def euros(rng, low: int, high: int, step: int) -> Decimal:
    return Decimal(rng.randrange(low, high + 1, step))


@dataclass
class Monde:
    """What the generator starts from: the lauréates and the signed conventions d'adhésion."""

    communes: dict[str, tuple[str, str | None, str | None]]  # code → (nom, département, EPCI)
    pvd: list[str]
    conventions: list[tuple[int, list[str]]]  # (pk, communes), signed
    adhesion_of: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Monde:
        through = Candidature.communes.through
        pvd = sorted(
            set(
                through.objects.filter(candidature__etat=EtatCandidature.RETENUE).values_list(
                    "commune_id", flat=True
                )
            )
        )
        members = defaultdict(list)
        signed = ConventionAdhesion.communes.through.objects.filter(
            conventionadhesion__etat=EtatConvention.SIGNEE
        ).values_list("conventionadhesion_id", "commune_id")
        for convention, commune in signed:
            members[convention].append(commune)
        laureates = set(pvd)
        conventions = sorted(
            (pk, sorted(c for c in codes if c in laureates)) for pk, codes in members.items()
        )
        conventions = [(pk, codes) for pk, codes in conventions if codes]
        # Sorted by their communes, not by key: the same draws on any database.
        conventions.sort(key=lambda item: item[1])
        communes = {
            code: (nom, departement, epci)
            for code, nom, departement, epci in Commune.objects.filter(code__in=pvd).values_list(
                "code", "nom", "departement_id", "epci_id"
            )
        }
        adhesion_of = {code: pk for pk, codes in conventions for code in codes}
        return cls(communes, pvd, conventions, adhesion_of)

    @property
    def signees(self) -> list[str]:
        return sorted(self.adhesion_of)


class Generateur:
    def __init__(self, *, scale: int, seed: int, ecrivain: Ecrivain):
        self.scale, self.seed, self.w = scale, seed, ecrivain

    def run(self) -> dict:
        if self.scale > 1:
            self.enrol()
        self.monde = Monde.load()
        if not self.monde.pvd:
            raise DomainError(
                "Aucune commune lauréate : importez d’abord le programme "
                "(manage.py import_programme)."
            )
        self.factor = Decimal(len(self.monde.pvd)) / ref.COMMUNES_PVD
        self.load_referential()
        self.actions()
        self.postes()
        self.soutiens()
        self.besoins()
        self.financements()
        self.labels()
        GenerateurClub(
            seed=self.seed,
            factor=self.factor,
            monde=self.monde,
            organisations=self.organisations,
            ecrivain=self.w,
        ).run()
        return self.w.counts

    def count(self, reference: int, pool: list) -> int:
        return min(len(pool), round(reference * self.factor))

    def nom(self, code: str) -> str:
        return self.monde.communes[code][0]

    # Reference data ------------------------------------------------------------------------

    def load_referential(self) -> None:
        self.organisations = dict(
            Organisation.objects.filter(code__isnull=False).values_list("code", "pk")
        )
        self.sources = {
            code: (pk, financeur)
            for code, pk, financeur in SourceFinancement.objects.values_list(
                "code", "pk", "financeur_id"
            )
        }
        self.mesures = dict(Mesure.objects.values_list("code", "pk"))
        needed = {"anah", "bdt", "cerema", "anct", "mte", "ademe"}
        missing = sorted(needed - set(self.organisations)) + sorted(
            {*ref.DOTATIONS, *ref.COMMERCE} - set(self.sources)
        )
        if missing:
            raise DomainError(
                "Référentiel des partenaires incomplet (migration financements 0002) : "
                f"{', '.join(missing)} manquants."
            )

    # Communes enrolled for the benchmarks (scale > 1) -------------------------------------

    def enrol(self) -> None:
        """(scale - 1) x the real lauréates more, drawn among the other communes of fewer than
        20,000 inhabitants, each with a retenue candidature; as many of them as in the real
        programme sign a convention d'adhésion, grouped by EPCI."""
        rng = rng_for(self.seed, "enrolement")
        real = Monde.load()
        wanted = (self.scale - 1) * len(real.pvd)
        candidates = list(
            Commune.objects.actuels()
            .filter(departement__isnull=False, population__lt=20_000)
            .exclude(code__in=real.pvd)
            .order_by("code")
            .values_list("code", "departement_id", "epci_id")
        )
        if len(candidates) < wanted:
            raise DomainError(
                f"Échelle trop grande : {wanted} communes à ajouter au programme, "
                f"{len(candidates)} disponibles."
            )
        chosen = rng.sample(candidates, wanted)
        candidatures = [
            Candidature(
                etat=EtatCandidature.RETENUE,
                deposee_le=day(rng, date(2020, 10, 1), 60),
                decidee_le=day(rng, date(2020, 12, 1), 45),
                presentation=f"Commune ajoutée par le générateur de démonstration "
                f"(échelle {self.scale}).",
            )
            for _ in chosen
        ]
        self.w.create(Candidature, candidatures, {"communes": [[c[0]] for c in chosen]})
        ratio = len(real.adhesion_of) / len(real.pvd)
        signees = sorted(
            rng.sample(chosen, round(ratio * len(chosen))), key=lambda c: (c[1], c[2] or "", c[0])
        )
        groups, current = [], []
        for commune in signees:
            if current and (
                len(current) >= rng.choice((1, 2, 2, 3)) or current[-1][1:] != commune[1:]
            ):
                groups.append(current)
                current = []
            current.append(commune)
        if current:
            groups.append(current)
        conventions = [
            ConventionAdhesion(
                etat=EtatConvention.SIGNEE, signee_le=day(rng, date(2021, 1, 15), 540)
            )
            for _ in groups
        ]
        self.w.create(
            ConventionAdhesion,
            conventions,
            {"communes": [[c[0] for c in group] for group in groups]},
        )

    # Actions of the projets de territoire --------------------------------------------------

    def actions(self) -> None:
        rng = rng_for(self.seed, "actions")
        pvd = self.monde.pvd
        orientations = dict(Orientation.objects.values_list("code", "pk"))
        plan: list[tuple[str, str]] = []  # (type, commune)
        opah_ru = exact_sample(rng, pvd, ref.PART_OPAH_RU)
        chosen = set(opah_ru)
        rest = [code for code in pvd if code not in chosen]
        opah = rng.sample(rest, min(len(rest), round(ref.PART_OPAH_SIMPLE * len(pvd))))
        plan += [(TypeAction.OPAH_RU, code) for code in opah_ru]
        plan += [(TypeAction.OPAH, code) for code in opah]
        for type_, share in ref.PART_ACTIONS.items():
            plan += [(type_, code) for code in exact_sample(rng, pvd, share)]
        self.friches = rng.sample(pvd, self.count(ref.DOTATIONS["fonds-friches"][0], pvd))
        plan += [(TypeAction.FRICHE, code) for code in self.friches]
        opah_ru_etats = allot(
            len(opah_ru),
            {
                EtatAction.OPERATIONNELLE: 45,
                EtatAction.PRE_OPERATIONNELLE: 30,
                EtatAction.ENVISAGEE: 25,
            },
        )
        rng.shuffle(opah_ru_etats)
        # Entered between the first signatures and the note of autumn 2021 (its shares hold
        # then), drawn apart so that the other draws stay the same.
        dates = rng_for(self.seed, "actions-dates")
        debut = date(2021, 1, 15)
        objects = []
        for index, (type_, code) in enumerate(plan):
            if type_ == TypeAction.OPAH_RU:
                etat = opah_ru_etats[index]
            elif type_ == TypeAction.FRICHE:
                etat = EtatAction.OPERATIONNELLE
            else:
                etat = rng.choices(list(EtatAction), weights=(50, 20, 25, 5))[0]
            low, high = BUDGETS.get(type_, BUDGET_PAR_DEFAUT)
            objects.append(
                Action(
                    titre=rng.choice(TITRES[type_]).format(self.nom(code)),
                    orientation_id=orientations[ORIENTATION[type_]],
                    type=type_,
                    etat=etat,
                    budget=euros(rng, low, high, 1000),
                    created_at=paris(day(dates, debut, (ref.DATE_NOTE - debut).days), 10),
                )
            )
        self.w.create(Action, objects, {"communes": [[code] for _, code in plan]})
        self.actions_of = defaultdict(list)
        for action, (_, code) in zip(objects, plan, strict=True):
            self.actions_of[code].append(action)

    # Chefs de projet and VTA ---------------------------------------------------------------

    def postes(self) -> None:
        rng = rng_for(self.seed, "postes")
        states = [
            state
            for state, reference in ref.POSTES.items()
            for _ in range(round(reference * self.factor))
        ]
        rng.shuffle(states)
        conventions = list(self.monde.conventions)
        rng.shuffle(conventions)
        plan: list[tuple[int, list[str], bool]] = []  # (adhesion, communes, employed by EPCI)
        for pk, codes in conventions:
            if len(plan) >= len(states):
                break
            epcis = {self.monde.communes[code][2] for code in codes}
            shared = len(codes) > 1 and rng.random() < 0.4
            groups = [codes] if shared else [[code] for code in codes]
            for group in groups:
                by_epci = None not in epcis and len(epcis) == 1 and (shared or rng.random() < 0.3)
                plan.append((pk, group, by_epci))
        plan = plan[: len(states)]
        eligible = {
            code: action.pk
            for code, actions in self.actions_of.items()
            for action in actions
            if action.type == TypeAction.OPAH_RU and action.etat in PHASES_OPAH_RU_ELIGIBLES
        }
        objects = []
        for (adhesion, codes, by_epci), state in zip(plan, states, strict=False):
            cout = euros(rng, *ref.COUT_ANNUEL, 500)
            opah_ru = next((eligible[code] for code in codes if code in eligible), None)
            if opah_ru and rng.random() < 0.6:
                rates = {"anct": 25, "bdt": 15, "etat": 10, "anah": 25}
            else:
                opah_ru = None
                anct = rng.choice((25, 30, 35))
                rates = {"anct": anct, "bdt": rng.choice((20, 25)), "anah": 0}
                rates["etat"] = rng.choice((75, 75, 75, 65)) - anct - rates["bdt"]
            # Every share is rounded down: their sum never passes 75 % of the cost.
            shares = {
                k: (cout * v / 100).quantize(Decimal(1), "ROUND_DOWN") for k, v in rates.items()
            }
            poste = PosteChefDeProjet(
                adhesion_id=adhesion,
                etat=state,
                employeur_epci_id=self.monde.communes[codes[0]][2] if by_epci else None,
                employeur_commune_id=None if by_epci else codes[0],
                cout_annuel=cout,
                subvention_anct=shares["anct"],
                subvention_bdt=shares["bdt"],
                subvention_etat=shares["etat"],
                subvention_anah=shares["anah"],
                opah_ru_id=opah_ru,
            )
            if state in (EtatPoste.OCCUPE, EtatPoste.VACANT):
                poste.debut = day(rng, date(2021, 2, 1), 420)
            if state == EtatPoste.OCCUPE:
                prenom, nom = rng.choice(PRENOMS), rng.choice(NOMS)
                poste.titulaire_nom = f"{prenom} {nom}"
                poste.titulaire_email = f"{ascii_slug(prenom)}.{ascii_slug(nom)}@demo.pvd.test"
            if state == EtatPoste.VACANT:
                poste.fin = poste.debut + timedelta(days=rng.randrange(90, 360))
            objects.append(poste)
        self.w.create(PosteChefDeProjet, objects, {"communes": [p[1] for p in plan]})
        occupes = [p for p in objects if p.etat == EtatPoste.OCCUPE]
        vtas = []
        for poste in rng.sample(occupes, min(len(occupes), round(ref.VTA * self.factor))):
            debut = max(poste.debut, day(rng, date(2021, 9, 1), 240))
            vtas.append(
                PosteVTA(
                    poste_id=poste.pk,
                    titulaire_nom=f"{rng.choice(PRENOMS)} {rng.choice(NOMS)}",
                    mission="Appui au chef de projet Petites villes de demain",
                    debut=debut,
                    fin=debut + timedelta(days=rng.randrange(365, 545)),
                )
            )
        self.w.create(PosteVTA, vtas)

    # Soutiens en ingénierie ----------------------------------------------------------------

    def soutiens(self) -> None:
        rng = rng_for(self.seed, "soutiens")
        signees = self.monde.signees
        pool = rng.sample(signees, self.count(ref.SOUTIENS_COMMUNES, signees))
        sizes = {code: self.count(k, pool) for code, (k, _) in ref.SOUTIENS.items()}
        sizes["autres"] = max(
            self.count(ref.SOUTIENS_AUTRES_COMMUNES, pool), len(pool) - sum(sizes.values())
        )
        groups = cover(rng, pool, sizes)
        total = scaled(ref.SOUTIENS_EUROS, self.factor)
        amounts = {}
        for code, (_, reference) in ref.SOUTIENS.items():
            if reference is not None:
                amounts[code] = split_amount(rng, scaled(reference, self.factor), len(groups[code]))
        rest = total - sum(sum(a, Decimal(0)) for a in amounts.values())
        amounts["autres"] = split_amount(rng, rest, len(groups["autres"]))
        objects, communes = [], []
        for code, members in groups.items():
            for index, commune in enumerate(members):
                organisation = code
                if code == "autres":
                    organisation = rng.choice(ref.SOUTIENS_AUTRES)
                    if organisation == "conseil_departemental":
                        departement = self.monde.communes[commune][1] or ""
                        organisation = f"cd-{departement.lower()}"
                    if organisation not in self.organisations:
                        organisation = "ademe"  # the referential lacks it: Ademe steps in
                nature, objet = OBJETS_SOUTIENS[
                    "conseil_departemental" if organisation.startswith("cd-") else organisation
                ]
                debut = day(rng, date(2020, 11, 1), 600)
                cerema = code == "cerema"
                objects.append(
                    SoutienIngenierie(
                        organisation_id=self.organisations[organisation],
                        mesure_id=self.mesures.get("co-construction") if cerema else None,
                        nature=nature,
                        objet=f"{objet} — {self.nom(commune)}",
                        montant_euros=None if cerema else amounts[code][index],
                        nombre_jours=Decimal(rng.choice((2, 2, 2, 4, 6, 10))) if cerema else None,
                        debut=debut,
                        fin=debut + timedelta(days=rng.randrange(60, 540)),
                        etat=rng.choices(
                            (EtatSoutien.ENGAGE, EtatSoutien.EN_COURS, EtatSoutien.TERMINE),
                            weights=(30, 45, 25),
                        )[0],
                    )
                )
                communes.append([commune])
        self.w.create(SoutienIngenierie, objects, {"communes": communes})

    # Besoins exprimés ----------------------------------------------------------------------

    def besoins(self) -> None:
        rng = rng_for(self.seed, "besoins")
        taken = set(BesoinsExprimes.objects.values_list("commune_id", flat=True))
        signees = [code for code in self.monde.signees if code not in taken]
        chosen = {
            name: set(exact_sample(rng, signees, share)) for name, share in ref.BESOINS.items()
        }
        self.w.create(
            BesoinsExprimes,
            [
                BesoinsExprimes(
                    commune_id=code,
                    adhesion_id=self.monde.adhesion_of[code],
                    **{name: code in members for name, members in chosen.items()},
                )
                for code in signees
            ],
        )

    # Financements --------------------------------------------------------------------------

    def financements(self) -> None:
        rng = rng_for(self.seed, "financements")
        pvd = self.monde.pvd
        self.lines, self.line_communes, self.versements = [], [], []
        comites = self.comites(rng)
        for code, (reference, total) in ref.DOTATIONS.items():
            members = self.friches if code == "fonds-friches" else None
            members = members or rng.sample(pvd, self.count(reference, pvd))
            amounts = split_amount(rng, scaled(total, self.factor), len(members), spread=0.8)
            for commune, amount in zip(members, amounts, strict=True):
                action = self.action_for(rng, commune, code)
                objet = action.titre if action else f"Travaux d’aménagement à {self.nom(commune)}"
                comite = comites.get(self.monde.communes[commune][1]) if code == "fnadt" else None
                self.line(rng, code, commune, amount, objet, action, comite)
            self.not_granted(rng, code, members)
        pool = rng.sample(pvd, self.count(ref.COMMERCE_COMMUNES, pvd))
        sizes = {code: self.count(k, pool) for code, (k, _) in ref.COMMERCE.items()}
        first = next(iter(sizes))
        sizes[first] = max(sizes[first], len(pool) - sum(sizes.values()) + sizes[first])
        groups = cover(rng, pool, sizes)
        for code, members in groups.items():
            total = scaled(ref.COMMERCE[code][1], self.factor)
            spread = 0 if code == "bdt-manager-commerce" else 0.5
            for commune, amount in zip(
                members, split_amount(rng, total, len(members), spread=spread), strict=True
            ):
                objet = COMMERCE_OBJETS[code].format(self.nom(commune))
                self.line(rng, code, commune, amount, objet, None, None)
            self.not_granted(rng, code, members)
        self.w.create(Financement, self.lines, {"communes": self.line_communes})
        for versement, line in self.versements:
            versement.financement_id = line.pk
        self.w.create(Versement, [v for v, _ in self.versements])

    def comites(self, rng) -> dict[str, int]:
        """One comité des financeurs per département with PVD communes (FNADT lines)."""
        departements = sorted({c[1] for c in self.monde.communes.values() if c[1]})
        objects = [
            ComiteFinanceurs(
                departement_id=code,
                date=day(rng, date(2021, 3, 1), 270),
                intitule="Comité des financeurs Petites villes de demain",
                tenu=True,
            )
            for code in departements
        ]
        self.w.create(ComiteFinanceurs, objects)
        return {comite.departement_id: comite for comite in objects}

    def action_for(self, rng, commune: str, source: str):
        actions = self.actions_of.get(commune, [])
        if source == "fonds-friches":
            wanted = [a for a in actions if a.type == TypeAction.FRICHE]
        else:
            wanted = [a for a in actions if a.type in INVESTISSEMENTS]
        return rng.choice(wanted) if wanted else None

    def line(self, rng, code, commune, amount, objet, action, comite) -> None:
        source, financeur = self.sources[code]
        annee = rng.choice((2020, 2021, 2021, 2021))
        decide_le = day(rng, date(annee, 2, 1), 300)
        verse = rng.random() < 0.35
        line = Financement(
            source_id=source,
            financeur_id=financeur,
            action=action,
            objet=objet[:255],
            annee=annee,
            montant_demande=(amount * Decimal(rng.choice(("1", "1", "1.1", "1.25")))).quantize(
                Decimal("0.01")
            ),
            montant_accorde=amount,
            montant_verse=amount if verse else Decimal(0),
            etat=EtatFinancement.VERSE if verse else EtatFinancement.ACCORDE,
            decide_le=decide_le,
            decide_par=Decideur.COMITE_FINANCEURS if comite else Decideur.COMITE_SOURCE,
            comite=comite,
        )
        self.lines.append(line)
        self.line_communes.append([commune])
        if verse:
            versement = Versement(
                verse_le=decide_le + timedelta(days=rng.randrange(30, 300)), montant=amount
            )
            self.versements.append((versement, line))

    def not_granted(self, rng, code, members) -> None:
        """Requests still open or refused, in communes that also have a granted line."""
        source, financeur = self.sources[code]
        for commune in rng.sample(members, round(ref.PART_NON_ACCORDES * len(members))):
            refused = rng.random() < 0.4
            self.lines.append(
                Financement(
                    source_id=source,
                    financeur_id=financeur,
                    objet=f"Nouvelle demande de {self.nom(commune)}",
                    annee=2022,
                    montant_demande=euros(rng, 10_000, 400_000, 500),
                    etat=EtatFinancement.REFUSE if refused else EtatFinancement.DEMANDE,
                    decide_le=day(rng, date(2022, 3, 1), 200) if refused else None,
                    decide_par=Decideur.COMITE_SOURCE if refused else "",
                )
            )
            self.line_communes.append([commune])

    # Labels --------------------------------------------------------------------------------

    def labels(self) -> None:
        rng = rng_for(self.seed, "labels")
        pvd = self.monde.pvd
        objects = []
        for type_, (share, years) in ref.LABELS.items():
            members = exact_sample(rng, pvd, share)
            starts = allot(len(members), years)
            for commune, year in zip(members, starts, strict=True):
                objects.append(
                    Label(
                        commune_id=commune,
                        type=type_,
                        nom=LABELS_NOMS[type_].format(self.nom(commune)),
                        debut=day(rng, date(year, 1, 1), 330),
                    )
                )
        self.w.create(Label, objects)
