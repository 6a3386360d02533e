"""The Club's demo data (pillar 3), in the figures of seed 001 at the note's date
(`reference.DATE_NOTE`): 4 semaines thématiques, 30 webinaires (12 of them inside the weeks),
30 communes valorisées, one session de formation of 4 modules with 563 participants, the
cercle « Sécurité du quotidien » and its first meeting on 29 September 2021, 5,366 attendances
in all, LinkedIn and newsletter audiences. Around them: a few events after the note (a second
meeting of the cercle, two webinars, a visit), and upcoming events relative to today so that
the public agenda is never empty, to which the demo accounts (`load_demo`) are registered.

- **Who attends.** People of PVD communes, with their commune's e-mail domain (some with a
  personal webmail), and partners' or State agents without a commune. Each person has a
  weight (some are regulars): every event draws its attendees without replacement, so that
  there are fewer people than attendances. Only people who registered somewhere exist.
  The demo accounts of a commune, an EPCI, a partner and a préfecture attended some past
  webinars; the demo commune (Clamecy) is showcased and has regulars, so that its dossier's
  Club tab has something to show.
- **Exact.** The attendances at events begun by the note's date sum to round(5,366 x k), of
  which round(563 x k) at the session, where k is the number of lauréates over 1,646 (about
  the scale; a programme of a few dozen communes at least); the calendar (events, modules,
  cercle, valorisées, audience) is national and the same at every scale.
- **No mail to anyone real.** Past events send nothing (no reminder, no notification: the
  registrations say they were notified); the upcoming events hold only the demo accounts'
  registrations (`demo.pvd.test`).
- **Found again.** Events, registrations, cercles, members and audience figures carry the
  history reason of the run (`ecriture.py`); modules are found through their session, people
  by their creation time (that of the run) once nothing refers to them any more.
"""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify

from club.enums import (
    Canal,
    EtatEvenement,
    EtatInscription,
    OrigineParticipant,
    SourceInscription,
    TypeEvenement,
)
from club.models import (
    Cercle,
    Evenement,
    ImportPresences,
    Inscription,
    MembreCercle,
    MesureAudience,
    ModuleFormation,
    Participant,
    Thematique,
    fin_de_journee,
)
from communes.enums import Role
from communes.models import Departement, Habilitation
from pvd.demo import reference as ref
from pvd.demo.ecriture import MARQUE, Ecrivain, generated, raw_delete, remove
from pvd.demo.noms import NOMS, PRENOMS, ascii_slug
from pvd.demo.tirages import rng_for, split_count, weighted_sample
from pvd.exceptions import DomainError

if TYPE_CHECKING:
    from pvd.demo.generateur import Monde

# The models whose rows carry the run's history reason, dependents first.
MODELES_CLUB = (Inscription, MembreCercle, Evenement, Cercle, MesureAudience)

# The demo accounts of `load_demo` (they all end so).
DOMAINE_DEMO = "@demo.pvd.test"

# (thématique, titre, monday of the week), and the titles of its three webinars.
SEMAINES = [
    (
        "revitalisation-commerciale",
        "Semaine thématique « Commerce et centres-bourgs »",
        date(2021, 3, 22),
        (
            "Manager de commerce : missions, recrutement et financement",
            "Reconquérir les cellules commerciales vacantes",
            "Halles et marchés, moteurs du centre-bourg",
        ),
    ),
    (
        "habitat",
        "Semaine thématique « Habitat et rénovation »",
        date(2021, 5, 17),
        (
            "Lancer une OPAH-RU : étapes et financements de l’Anah",
            "Lutter contre la vacance des logements en centre-bourg",
            "Le dispositif Denormandie dans l’ancien",
        ),
    ),
    (
        "transition-ecologique",
        "Semaine thématique « Transition écologique et sobriété foncière »",
        date(2021, 6, 14),
        (
            "Le Fonds friches : candidater au deuxième appel",
            "Sobriété foncière : recycler plutôt qu’étendre",
            "Îlots de fraîcheur et nature en ville",
        ),
    ),
    (
        "mobilites",
        "Semaine thématique « Mobilités »",
        date(2021, 9, 13),
        (
            "Plans vélo des petites villes",
            "Le pôle d’échanges multimodal, porte d’entrée de la commune",
            "Transport à la demande et covoiturage en zone rurale",
        ),
    ),
]
# The other webinars (before the note, after it, upcoming), drawn without replacement.
WEBINAIRES = [
    ("ingenierie-de-projet", "Recruter son chef de projet Petites villes de demain"),
    ("ingenierie-de-projet", "Élaborer son projet de territoire en dix-huit mois"),
    ("ingenierie-de-projet", "De la convention d’adhésion à la convention-cadre valant ORT"),
    ("ingenierie-de-projet", "Les volontaires territoriaux en administration (VTA)"),
    ("financements", "Mobiliser la DETR et la DSIL pour son projet"),
    ("financements", "Plan de relance : les aides pour les petites villes"),
    ("financements", "Les offres de la Banque des Territoires pour les PVD"),
    ("numerique", "Ouvrir un espace France Services dans sa commune"),
    ("numerique", "Conseillers numériques : accompagner les habitants"),
    ("numerique", "Tiers-lieux et Fabriques de territoire"),
    ("culture-tourisme", "Micro-Folies : un musée numérique dans sa commune"),
    ("culture-tourisme", "Restaurer son patrimoine avec la Fondation du patrimoine"),
    ("culture-tourisme", "Tourisme de proximité et petites cités de caractère"),
    ("sante", "Maisons de santé : attirer des professionnels"),
    ("sante", "Les centres de santé en petite ville"),
    ("espaces-publics", "Requalifier la place centrale"),
    ("espaces-publics", "Paysages et entrées de ville"),
    ("participation-citoyenne", "Associer les habitants au projet de revitalisation"),
    ("participation-citoyenne", "Un budget participatif en petite ville"),
    ("habitat", "Habitat inclusif et logement des seniors"),
    ("revitalisation-commerciale", "Le diagnostic flash du commerce après la crise sanitaire"),
    ("revitalisation-commerciale", "Des solutions numériques pour les commerçants"),
    ("transition-ecologique", "Rénovation énergétique des bâtiments publics"),
    ("transition-ecologique", "Projets alimentaires territoriaux et circuits courts"),
    ("securite-du-quotidien", "Tranquillité publique et prévention de la délinquance"),
]
# The partner co-piloting a theme's events with the ANCT.
COPILOTES = {
    "revitalisation-commerciale": "bdt",
    "habitat": "anah",
    "transition-ecologique": "ademe",
    "mobilites": "cerema",
    "financements": "bdt",
    "ingenierie-de-projet": "cerema",
}
JOUR_VISITE = date(2021, 7, 6)  # the visit before the note
FORMATION = "Parcours de formation des chefs de projet Petites villes de demain"
MODULES = [
    ("Piloter le projet de territoire", date(2021, 4, 13)),
    ("Mobiliser les acteurs et les habitants", date(2021, 5, 4)),
    ("Financer les actions : dispositifs et partenaires", date(2021, 6, 1)),
    ("Conduire l’opération de revitalisation de territoire", date(2021, 6, 29)),
]
FONCTIONS = (
    "Maire",
    "Maire",
    "Adjoint au maire chargé de la sécurité",
    "Conseiller municipal délégué à la tranquillité publique",
)
WEBMAILS = ("gmail.com", "orange.fr", "wanadoo.fr", "laposte.net", "free.fr")
# Partners' and State agents' domains (organisation code → domain); préfectures apart.
DOMAINES_PARTENAIRES = {
    "anct": "anct.gouv.fr",
    "bdt": "caissedesdepots.fr",
    "anah": "anah.gouv.fr",
    "cerema": "cerema.fr",
    "ademe": "ademe.fr",
}
# Registrations beyond the attendances: absent (registered, did not come) and withdrawn.
PART_ABSENTS = 0.08
PART_ANNULEES = 0.03
# People per attendance: from communes, and partners or State agents without one.
PERSONNES_COMMUNES = 0.6
PERSONNES_PARTENAIRES = 0.06
# Past attendances (present, absent) and upcoming registrations of the demo accounts by role.
COMPTES_DEMO = {
    Role.COMMUNE: (4, 1, 3),
    Role.EPCI: (3, 0, 1),
    Role.PARTENAIRE: (2, 0, 1),
    Role.PREFECTURE: (2, 0, 1),
}


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@dataclass(eq=False)
class Personne:
    email: str
    prenom: str
    nom: str
    commune: str | None = None
    organisation: int | None = None
    user: int | None = None
    poids: float = 1.0
    participant: int | None = None  # its key, once written (or found)


@dataclass(eq=False)
class Plan:
    """An event and who registered: `presents` attended, `absents` did not, `annules`
    withdrew, `inscrits` hold a place (upcoming)."""

    evenement: Evenement
    presences: int = 0  # attendances drawn from the pool, besides the forced ones
    pool: str = "tous"
    valorisees: list[str] = field(default_factory=list)
    copilotes: list[int] = field(default_factory=list)
    presents: list[Personne] = field(default_factory=list)
    absents: list[Personne] = field(default_factory=list)
    annules: list[Personne] = field(default_factory=list)
    inscrits: list[Personne] = field(default_factory=list)


class GenerateurClub:
    def __init__(
        self,
        *,
        seed: int,
        factor: Decimal,
        monde: Monde,
        organisations: dict[str, int],
        ecrivain: Ecrivain,
    ):
        self.seed, self.factor, self.monde, self.w = seed, factor, monde, ecrivain
        self.organisations = organisations
        self.today = timezone.localdate()
        self.emails: set[str] = set(Participant.objects.values_list("email", flat=True))
        self.homonymes = Counter(nom for nom, _, _ in monde.communes.values())

    def count(self, reference: int) -> int:
        return round(reference * self.factor)

    def nom(self, code: str) -> str:
        return self.monde.communes[code][0]

    def run(self) -> None:
        thematiques = set(Thematique.objects.values_list("code", flat=True))
        needed = {t for t, *_ in SEMAINES} | {t for t, _ in WEBINAIRES}
        needed |= {ref.CERCLE_THEMATIQUE, "ingenierie-de-projet", "espaces-publics"}
        missing = sorted(needed - thematiques) + sorted(
            {"anct", *ref.CERCLE_COPILOTES} - set(self.organisations)
        )
        if missing:
            raise DomainError(
                "Thématiques ou co-pilotes du Club manquants (migration club 0002) : "
                f"{', '.join(missing)}."
            )
        self.comptes = self.demo_accounts()
        self.calendrier()
        self.personnes()
        self.presences()
        self.write()
        self.audience()

    # The demo accounts ----------------------------------------------------------------------

    def demo_accounts(self) -> list[tuple[str, Personne]]:
        """(role, person) of each demo account that takes part in the Club's events; an
        existing participant of theirs is reused (and not removed with the demo)."""
        rows = Habilitation.objects.filter(
            user__email__endswith=DOMAINE_DEMO, role__in=list(COMPTES_DEMO)
        ).values_list(
            "role",
            "user_id",
            "user__email",
            "user__first_name",
            "user__last_name",
            "commune_id",
            "organisation_id",
        )
        comptes, seen = [], set()
        for role, user, email, prenom, nom, commune, organisation in sorted(rows):
            if user not in seen:  # one person per account, whatever its roles
                seen.add(user)
                comptes.append((role, Personne(email, prenom, nom, commune, organisation, user)))
        by_user = {p.user: p for _, p in comptes}
        by_email = {p.email: p for _, p in comptes}
        for pk, user, email in Participant.objects.filter(
            Q(user_id__in=by_user) | Q(email__in=by_email)
        ).values_list("pk", "user_id", "email"):
            (by_user.get(user) or by_email[email]).participant = pk
        self.emails.update(by_email)
        return comptes

    # The calendar ---------------------------------------------------------------------------

    def event(self, type_, titre, thematique, debut, fin, **fields) -> Evenement:
        """A published event (online, unless it is a week or a visit)."""
        if type_ not in (TypeEvenement.SEMAINE_THEMATIQUE, TypeEvenement.VISITE):
            fields["lien"] = f"https://webinaire.example.org/pvd/{slugify(titre)[:60]}"
        publie = min(debut - timedelta(days=30), self.w.date)
        return Evenement(
            type=type_,
            titre=titre[:200],
            thematique_id=thematique,
            debut=debut,
            fin=fin,
            etat=EtatEvenement.PUBLIE,
            publie_le=publie,
            created_at=publie,
            **fields,
        )

    def plan(self, evenement: Evenement, *, thematique: str, **fields) -> Plan:
        copilote = self.organisations.get(COPILOTES.get(thematique, ""))
        plan = Plan(evenement, copilotes=[copilote] if copilote else [], **fields)
        self.plans.append(plan)
        return plan

    def calendrier(self) -> None:
        rng = rng_for(self.seed, "club-calendrier")
        pvd = self.monde.pvd
        self.plans: list[Plan] = []
        self.demo_communes = sorted({p.commune for _, p in self.comptes if p.commune} & set(pvd))
        # The note's valorisées (the demo commune first), then new ones for the later events.
        others = [code for code in pvd if code not in self.demo_communes]
        valorisees = self.demo_communes + rng.sample(
            others, min(len(others), ref.CLUB_COMMUNES_VALORISEES)
        )
        valorisees = valorisees[: ref.CLUB_COMMUNES_VALORISEES]
        nouvelles = [code for code in others if code not in set(valorisees)]
        rng.shuffle(nouvelles)
        titres = rng.sample(WEBINAIRES, len(WEBINAIRES))
        self.avant_la_note(rng, titres, valorisees)
        self.apres_la_note(titres, nouvelles)
        self.a_venir(rng, titres, nouvelles)

    def webinaire(self, thematique: str, titre: str, debut: datetime, minutes: int, **fields):
        return self.plan(
            self.event(
                TypeEvenement.WEBINAIRE,
                titre,
                thematique,
                debut,
                debut + timedelta(minutes=minutes),
                capacite=fields.pop("capacite", None),
            ),
            thematique=thematique,
            **fields,
        )

    def avant_la_note(self, rng, titres: list, valorisees: list[str]) -> None:
        """The weeks and their webinars, the other webinars, the session, a visit, the
        cercle's first meeting: their attendances sum to the note's figure."""
        self.semaines: list[tuple[Evenement, list[Plan]]] = []
        webinaires: list[Plan] = []
        for thematique, titre, lundi, titres_semaine in SEMAINES:
            semaine = self.event(
                TypeEvenement.SEMAINE_THEMATIQUE,
                titre,
                thematique,
                paris(lundi, 9),
                paris(lundi + timedelta(days=4), 17, 30),
                description="Une semaine de webinaires et de retours d’expérience du Club.",
            )
            jours = sorted(rng.sample(range(5), len(titres_semaine)))
            plans = [
                self.webinaire(
                    thematique, titre_webinaire, paris(lundi + timedelta(days=jour), heure), 90
                )
                for jour, titre_webinaire, heure in zip(
                    jours, titres_semaine, [rng.choice((10, 14)) for _ in jours], strict=True
                )
            ]
            self.semaines.append((semaine, plans))
            webinaires += plans
        # The others on Tuesdays and Thursdays from mid-January, on days without a week, a
        # module, the visit or the cercle's meeting.
        busy = {lundi + timedelta(days=d) for _, _, lundi, _ in SEMAINES for d in range(5)}
        busy |= {jour for _, jour in MODULES} | {ref.CERCLE_DEBUT, JOUR_VISITE}
        debut = date(2021, 1, 12)
        jours = [debut + timedelta(days=d) for d in range((ref.DATE_NOTE - debut).days)]
        jours = [j for j in jours if j.weekday() in (1, 3) and j not in busy]
        autres = ref.CLUB_WEBINAIRES - len(webinaires)
        for jour, (thematique, titre) in zip(
            sorted(rng.sample(jours, autres)), titres[:autres], strict=True
        ):
            webinaires.append(
                self.webinaire(thematique, titre, paris(jour, rng.choice((10, 11, 14))), 60)
            )
        del titres[:autres]
        for code in valorisees:
            rng.choice(webinaires).valorisees.append(code)
        self.hote = rng.choice(valorisees) if valorisees else None
        visite = self.visite(self.hote, JOUR_VISITE, "la reconquête du centre-bourg de {}")
        self.session = self.plan(
            self.event(
                TypeEvenement.FORMATION,
                FORMATION,
                "ingenierie-de-projet",
                paris(MODULES[0][1], 9, 30),
                paris(MODULES[-1][1], 12, 30),
                description="Quatre modules en ligne pour les chefs de projet nouvellement "
                "recrutés.",
            ),
            thematique="ingenierie-de-projet",
            pool="communes",
        )
        self.cercle_plan()

        self.session.presences = self.count(ref.FORMATION_PARTICIPANTS)
        if visite:
            visite.presences = max(1, self.count(24))
        self.force_demo_accounts(rng, webinaires)
        note = fin_de_journee(ref.DATE_NOTE)
        # What the session, the visit, the élus and the demo accounts leave to the webinars.
        reste = self.count(ref.CLUB_PARTICIPATIONS) - sum(
            plan.presences + len(plan.presents)
            for plan in self.plans
            if plan.evenement.debut <= note
        )
        # (In a programme of a handful of communes, the élus and the demo accounts alone pass
        # the note's figure: each webinar then draws one person, and the total is above.)
        reste = max(reste, len(webinaires))
        for plan, n in zip(
            webinaires, split_count(rng, reste, len(webinaires), spread=0.5), strict=True
        ):
            plan.presences = n

    def apres_la_note(self, titres: list, nouvelles: list[str]) -> None:
        """Two webinars and a visit (the cercle's second meeting is planned with it)."""
        for jour, heure in ((date(2021, 11, 18), 14), (date(2021, 12, 9), 10)):
            thematique, titre = titres.pop(0)
            plan = self.webinaire(
                thematique, titre, paris(jour, heure), 60, presences=self.count(160)
            )
            if nouvelles:
                plan.valorisees.append(nouvelles.pop())
        hote = nouvelles.pop() if nouvelles else self.hote
        visite = self.visite(hote, date(2021, 11, 25), "le commerce de centre-ville à {}")
        if visite:
            visite.presences = self.count(20)

    def a_venir(self, rng, titres: list, nouvelles: list[str]) -> None:
        """Three webinars and a visit of the demo commune, from today: only the demo
        accounts are registered."""
        a_venir = []
        for jours, heure in ((9, 14), (23, 10), (44, 14)):
            thematique, titre = titres.pop(0)
            debut = paris(next_weekday(self.today + timedelta(days=jours)), heure)
            plan = self.webinaire(thematique, titre, debut, 90, capacite=500)
            if nouvelles:
                plan.valorisees.append(nouvelles.pop())
            a_venir.append(plan)
        visite = self.visite(
            self.demo_communes[0] if self.demo_communes else self.hote,
            next_weekday(self.today + timedelta(days=30)),
            "le projet de revitalisation de {}",
            capacite=25,
        )
        if visite:
            a_venir.append(visite)
        for role, personne in self.comptes:
            k = COMPTES_DEMO[role][2]
            for plan in rng.sample(a_venir, min(k, len(a_venir))):
                plan.inscrits.append(personne)

    def visite(self, hote: str | None, jour: date, titre: str, capacite: int = 30):
        if hote is None:
            return None
        nom, departement, _ = self.monde.communes[hote]
        return self.plan(
            self.event(
                TypeEvenement.VISITE,
                f"Visite de terrain : {titre.format(nom)}",
                "espaces-publics",
                paris(jour, 10),
                paris(jour, 16),
                lieu=f"Mairie de {nom}",
                commune_id=hote,
                departement_id=departement,
                capacite=capacite,
                description="Une visite proposée par la préfecture, avec les élus de la commune.",
            ),
            thematique="espaces-publics",
            valorisees=[hote],
        )

    def force_demo_accounts(self, rng, webinaires: list[Plan]) -> None:
        """The demo accounts attended some webinars before the note (and missed one)."""
        for role, personne in self.comptes:
            presents, absents, _ = COMPTES_DEMO[role]
            chosen = rng.sample(webinaires, min(len(webinaires), presents + absents))
            for plan in chosen[:presents]:
                plan.presents.append(personne)
            for plan in chosen[presents:]:
                plan.absents.append(personne)

    # The cercle -----------------------------------------------------------------------------

    def cercle_plan(self) -> None:
        """The cercle, its élus (the demo commune's among them) and its two meetings."""
        rng = rng_for(self.seed, "club-cercle")
        pvd = self.monde.pvd
        n = min(len(pvd), ref.CERCLE_MEMBRES + 3)
        others = [code for code in pvd if code not in self.demo_communes]
        communes = (self.demo_communes + rng.sample(others, min(len(others), n)))[:n]
        self.cercle = Cercle(
            titre=ref.CERCLE_TITRE,
            thematique_id=ref.CERCLE_THEMATIQUE,
            debut=ref.CERCLE_DEBUT,
            fin=ref.CERCLE_FIN,
            description=(
                "Pendant un an, des élus de Petites villes de demain échangent entre pairs sur "
                "la sécurité du quotidien, lors de rencontres numériques et de visites de "
                "terrain. Co-piloté par l’ANCT et le PUCA, en partenariat avec la Direction "
                "générale de la Gendarmerie nationale."
            ),
            created_at=paris(ref.CERCLE_DEBUT - timedelta(days=30), 9),
        )
        arrivees = [date(2021, 11, 15), date(2022, 1, 11), date(2022, 2, 8)]
        self.membres: list[tuple[Personne, str, str, date, date | None]] = []
        initiaux = len(communes) - min(3, len(communes) - 1)
        for index, code in enumerate(communes):
            personne = self.personne(rng, code, elu=True)
            depuis = ref.CERCLE_DEBUT if index < initiaux else arrivees[index - initiaux]
            self.membres.append((personne, code, rng.choice(FONCTIONS), depuis, None))
        # One élu leaves (the last one of the first meeting's).
        personne, code, fonction, depuis, _ = self.membres[initiaux - 1]
        self.membres[initiaux - 1] = (personne, code, fonction, depuis, date(2022, 2, 28))

        self.reunions = []
        for jour, titre in (
            (ref.CERCLE_DEBUT, "Première réunion du Cercle « Sécurité du quotidien »"),
            (date(2021, 12, 7), "Cercle « Sécurité du quotidien » : urbanisme et sécurité"),
        ):
            plan = self.plan(
                self.event(
                    TypeEvenement.REUNION_CERCLE,
                    titre,
                    ref.CERCLE_THEMATIQUE,
                    paris(jour, 14),
                    paris(jour, 16, 30),
                    description="Rencontre numérique des élus membres du cercle.",
                ),
                thematique=ref.CERCLE_THEMATIQUE,
            )
            plan.copilotes = [self.organisations[c] for c in ref.CERCLE_COPILOTES]
            actifs = [m[0] for m in self.membres if m[3] <= jour and (m[4] is None or m[4] >= jour)]
            absents = set(rng.sample(actifs, min(3, len(actifs) - 1)))
            plan.presents = [p for p in actifs if p not in absents]
            plan.absents = [p for p in actifs if p in absents]
            self.reunions.append(plan)

    # People ---------------------------------------------------------------------------------

    def domaine(self, commune: str) -> str:
        """The e-mail domain of a commune's people (the same for all of them; homonyms add
        their département)."""
        nom, departement, _ = self.monde.communes[commune]
        slug = slugify(nom)
        if self.homonymes[nom] > 1:
            slug = f"{slug}-{(departement or '').lower()}"
        patterns = ("mairie-{}.fr", "ville-{}.fr", "{}.fr")
        return patterns[zlib.crc32(commune.encode()) % len(patterns)].format(slug)

    def email(self, prenom: str, nom: str, domaine: str) -> str:
        local = f"{ascii_slug(prenom)}.{ascii_slug(nom)}"
        email, n = f"{local}@{domaine}", 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@{domaine}"
        self.emails.add(email)
        return email

    def personne(self, rng, commune: str | None, *, elu: bool = False, poids=1.0) -> Personne:
        prenom, nom = rng.choice(PRENOMS), rng.choice(NOMS)
        organisation = None
        if commune is not None:
            webmail = not elu and rng.random() < 0.12
            domaine = rng.choice(WEBMAILS) if webmail else self.domaine(commune)
        elif rng.random() < 0.5:
            departement = rng.choice(self.departements)
            domaine = f"{slugify(departement)}.gouv.fr"
            organisation = self.organisations.get("etat")
        else:
            code = rng.choice(sorted(DOMAINES_PARTENAIRES))
            domaine, organisation = DOMAINES_PARTENAIRES[code], self.organisations.get(code)
        email = self.email(prenom, nom, domaine)
        return Personne(email, prenom, nom, commune, organisation, poids=poids)

    def personnes(self) -> None:
        """The pool the attendees are drawn from: people of PVD communes (regulars of the
        demo communes among them), partners and State agents."""
        rng = rng_for(self.seed, "club-personnes")
        self.departements = sorted(
            Departement.objects.filter(
                code__in={c[1] for c in self.monde.communes.values() if c[1]}
            ).values_list("nom", flat=True)
        )
        total = self.count(ref.CLUB_PARTICIPATIONS)
        self.pool_communes = [
            self.personne(rng, rng.choice(self.monde.pvd), poids=rng.lognormvariate(0, 1))
            for _ in range(round(PERSONNES_COMMUNES * total))
        ]
        for code in self.demo_communes:
            self.pool_communes += [self.personne(rng, code, poids=8.0) for _ in range(4)]
        self.pool_partenaires = [
            self.personne(rng, None, poids=rng.lognormvariate(0, 1))
            for _ in range(round(PERSONNES_PARTENAIRES * total))
        ]

    def presences(self) -> None:
        """Each past event draws its attendees, then some absent and withdrawn registrants."""
        rng = rng_for(self.seed, "club-presences")
        tous = self.pool_communes + self.pool_partenaires
        pools = {
            "tous": (tous, [p.poids for p in tous]),
            "communes": (self.pool_communes, [p.poids for p in self.pool_communes]),
        }
        for plan in self.plans:
            if not plan.presences:
                continue
            population, weights = pools[plan.pool]
            absents = round(PART_ABSENTS * plan.presences)
            annules = round(PART_ANNULEES * plan.presences)
            drawn = weighted_sample(
                rng, population, weights, min(len(population), plan.presences + absents + annules)
            )
            plan.presents += drawn[: plan.presences]
            plan.absents += drawn[plan.presences : plan.presences + absents]
            plan.annules += drawn[plan.presences + absents :]

    # Writing --------------------------------------------------------------------------------

    def write(self) -> None:
        rng = rng_for(self.seed, "club-inscriptions")
        anct = self.organisations["anct"]
        self.w.create(
            Cercle,
            [self.cercle],
            {"copilotes": [[self.organisations[c] for c in ref.CERCLE_COPILOTES]]},
        )
        for plan in self.reunions:
            plan.evenement.cercle_id = self.cercle.pk
        semaines = [semaine for semaine, _ in self.semaines]
        self.w.create(
            Evenement,
            semaines,
            {
                "organisateurs": [[anct] for _ in semaines],
                "copilotes": [
                    [o for o in [self.organisations.get(COPILOTES[t])] if o] for t, *_ in SEMAINES
                ],
                "communes_valorisees": [
                    sorted({c for plan in plans for c in plan.valorisees})
                    for _, plans in self.semaines
                ],
            },
        )
        for semaine, plans in self.semaines:
            for plan in plans:
                plan.evenement.semaine_id = semaine.pk
        self.plans.sort(key=lambda plan: plan.evenement.debut)
        evenements = [plan.evenement for plan in self.plans]
        self.w.create(
            Evenement,
            evenements,
            {
                "organisateurs": [[anct] for _ in self.plans],
                "copilotes": [plan.copilotes for plan in self.plans],
                "communes_valorisees": [plan.valorisees for plan in self.plans],
            },
        )
        session = self.session.evenement
        self.w.create(
            ModuleFormation,
            [
                ModuleFormation(
                    session_id=session.pk,
                    numero=numero,
                    titre=titre,
                    debut=paris(jour, 9, 30),
                    fin=paris(jour, 12, 30),
                )
                for numero, (titre, jour) in enumerate(MODULES, start=1)
            ],
        )

        # The people who registered somewhere, then their memberships and registrations.
        people: dict[int, Personne] = {}
        for plan in self.plans:
            for personne in plan.presents + plan.absents + plan.annules + plan.inscrits:
                people.setdefault(id(personne), personne)
        for personne, *_ in self.membres:
            people.setdefault(id(personne), personne)
        nouveaux = [p for p in people.values() if p.participant is None]
        participants = [
            Participant(
                email=p.email,
                prenom=p.prenom,
                nom=p.nom,
                user_id=p.user,
                commune_id=p.commune,
                organisation_id=p.organisation,
                origine=(
                    OrigineParticipant.COMPTE
                    if p.user
                    else rng.choice(
                        (OrigineParticipant.IMPORT,) * 4 + (OrigineParticipant.COLLEGUE,)
                    )
                ),
                created_at=self.w.date,
            )
            for p in nouveaux
        ]
        self.w.create(Participant, participants)
        for personne, participant in zip(nouveaux, participants, strict=True):
            personne.participant = participant.pk
        self.w.create(
            MembreCercle,
            [
                MembreCercle(
                    cercle_id=self.cercle.pk,
                    participant_id=personne.participant,
                    commune_id=commune,
                    fonction=fonction,
                    depuis=depuis,
                    jusqu_au=jusqu_au,
                )
                for personne, commune, fonction, depuis, jusqu_au in self.membres
            ],
        )
        inscriptions = []
        for plan in self.plans:
            evenement = plan.evenement
            for personnes, etat, present in (
                (plan.presents, EtatInscription.INSCRIT, True),
                (plan.absents, EtatInscription.INSCRIT, False),
                (plan.annules, EtatInscription.ANNULEE, None),
                (plan.inscrits, EtatInscription.INSCRIT, None),
            ):
                for personne in personnes:
                    inscriptions.append(self.inscription(rng, evenement, personne, etat, present))
        self.w.create(Inscription, inscriptions)

    def inscription(self, rng, evenement, personne, etat, present) -> Inscription:
        """A registration as the portal leaves it: the person was told its state, and the
        attendance was imported the day after the event."""
        saisie = None
        if present is not None:
            saisie = timezone.make_aware(
                datetime.combine(timezone.localdate(evenement.fin) + timedelta(days=1), time(10))
            )
        if present and personne.user is None and rng.random() < 0.2:
            source, demandee = SourceInscription.IMPORT, saisie  # came without registering
        else:
            source = (
                SourceInscription.COLLEGUE if rng.random() < 0.1 else SourceInscription.PERSONNE
            )
            demandee = evenement.debut - timedelta(
                days=rng.randrange(1, 21), hours=rng.randrange(0, 10)
            )
            demandee = min(demandee, self.w.date)
        return Inscription(
            evenement_id=evenement.pk,
            participant_id=personne.participant,
            etat=etat,
            etat_notifie=etat,
            demandee_le=demandee,
            inscrit_par_id=personne.user,
            source=SourceInscription.PERSONNE if personne.user else source,
            present=present,
            presence_saisie_le=saisie,
        )

    # Audience -------------------------------------------------------------------------------

    def audience(self) -> None:
        """Monthly figures from January 2021, and the note's (days typed by a person kept)."""
        rng = rng_for(self.seed, "club-audience")
        jours = [date(2021, m + 1, 1) - timedelta(days=1) for m in range(1, 10)]
        jours.append(ref.DATE_NOTE)
        taken = set(MesureAudience.objects.filter(date__in=jours).values_list("canal", "date"))
        mesures = []
        for canal in Canal.values:
            debut, fin = ref.AUDIENCE_JANVIER_2021[canal], ref.AUDIENCE[canal]
            n = len(jours) - 1
            valeurs = [
                round(debut + (fin - debut) * (i / n) ** 1.2 * rng.uniform(0.97, 1.0))
                for i in range(n)
            ] + [fin]
            for jour, valeur in zip(jours, valeurs, strict=True):
                if (canal, jour) not in taken:
                    mesures.append(
                        MesureAudience(
                            canal=canal, date=jour, valeur=valeur, saisi_le=paris(jour, 18)
                        )
                    )
        self.w.create(MesureAudience, mesures)


def generation_dates() -> set:
    """The times of the runs whose Club rows are in place."""
    return set(
        Evenement.history.filter(history_type="+", history_change_reason__startswith=MARQUE)
        .order_by()
        .values_list("history_date", flat=True)
        .distinct()
    )


def remove_club() -> int:
    """Delete the Club's demo rows. What people attached to the generated events and cercle
    goes with them (registrations, for the demo accounts register to its upcoming events;
    attendance imports; memberships); anything else attached to them makes the database
    refuse, as elsewhere. The people created by the runs go once nothing refers to them."""
    dates = generation_dates()
    evenements, cercles = generated(Evenement), generated(Cercle)
    removed = 0
    for model, condition in (
        (Inscription, {"evenement__in": evenements}),
        (MembreCercle, {"cercle__in": cercles}),
    ):
        raw_delete(model.history.filter(**condition))
        removed += raw_delete(model.objects.filter(**condition))
    raw_delete(ImportPresences.objects.filter(evenement__in=evenements))
    removed += raw_delete(ModuleFormation.objects.filter(session__in=evenements))
    removed += sum(remove(model) for model in MODELES_CLUB)
    if dates:
        orphans = list(
            Participant.objects.filter(created_at__in=dates)
            .exclude(Exists(Inscription.objects.filter(participant=OuterRef("pk"))))
            .exclude(Exists(MembreCercle.objects.filter(participant=OuterRef("pk"))))
            .values_list("pk", flat=True)
        )
        for start in range(0, len(orphans), 2000):
            removed += raw_delete(Participant.objects.filter(pk__in=orphans[start : start + 2000]))
    return removed
