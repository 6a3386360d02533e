"""The Club's figures at a date for France, a région, a département (`club.chiffres`), on a
small dataset built by hand so that every expected value can be counted on one's fingers.

People: A and B of Clamecy (58), C of Saulieu (21, région 27 with 58), D of Privas (07,
région 84), E of the ANCT (no commune); élus of the cercles: K of Clamecy, H of Armes (58, who
leaves), G of Privas, L of Château-Chinon (58).

| event | when (2021) | valorise | present (absent) |
| --- | --- | --- | --- |
| S1 week | 15-19 March | Clamecy | — |
| W1 webinar in S1 | 16 March | Saulieu | A C D E (B) |
| F1 session, modules 1 Sept and 20 Nov | 1 Sept-15 Dec | — | A C D E (B) |
| R1 meeting of cercle 1 | 29 Sept | — | K G |
| W2 webinar | 1 Oct, 18 h | — | A D |
| S2 week | 11-15 Oct | Privas | — |
| W3 webinar in S2 | 12 Oct | Privas, Château-Chinon | A C E |
| W4 webinar local to 07 | 5 Nov | — | D |
| V1 visit local to 58 (Armes) | 10 Nov | — | D B |
| cancelled, draft, proposed (58) webinars | April | Armes | A / B / A |
| upcoming webinar | tomorrow | Armes | A |

Cercle 1 (from 29 Sept): K and H from 29 Sept (H leaves 30 Nov), G from 15 Oct, L from 1 Dec.
Cercle 2 (from 1 Nov): G. Audience: LinkedIn 4,000 (30 June) and 9,000 (1 Dec); infolettre
3,000 (30 Sept) and 3,100 (1 Oct).
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from club import services
from club.chiffres import chiffres_club
from club.enums import EtatEvenement, EtatInscription, OrigineParticipant, SourceInscription
from club.models import Evenement, Inscription, Participant
from communes.perimetre import Perimetre
from tests.club.conftest import paris

FRANCE = Perimetre(national=True)
REGION_27 = Perimetre(regions=frozenset({"27"}))
NIEVRE = Perimetre(departements=frozenset({"58"}))
AVANT = date(2021, 10, 1)  # before S2, W3, W4, V1, cercle 2 and module 2
APRES = date(2021, 12, 31)


@dataclass
class Club:
    evenements: dict[str, Evenement]
    personnes: dict[str, Participant]


def _personne(email, commune=None) -> Participant:
    return Participant.objects.create(
        email=email, prenom=email[0].upper(), commune=commune, origine=OrigineParticipant.IMPORT
    )


def _presences(evenement, presents=(), absents=()) -> None:
    """Registrations marked present or absent (as an attendance import leaves them)."""
    for participant, present in [(p, True) for p in presents] + [(p, False) for p in absents]:
        Inscription.objects.create(
            evenement=evenement,
            participant=participant,
            etat=EtatInscription.INSCRIT,
            source=SourceInscription.IMPORT,
            present=present,
        )


def _evenement(anct, thematiques, cle, debut, fin, *, publier=True, **fields) -> Evenement:
    type_ = fields.pop("type", "webinaire")
    if type_ != "semaine_thematique" and "lieu" not in fields:
        fields["lien"] = f"https://webinaire.example.org/{cle}"
    evenement = services.create_evenement(
        by=fields.pop("by", anct),
        type=type_,
        titre=f"Événement {cle}",
        thematique=thematiques[fields.pop("thematique", "revitalisation-commerciale")],
        debut=debut,
        fin=fin,
        **fields,
    )
    if publier:
        evenement = services.publier_evenement(evenement=evenement, by=anct)
    return evenement


@pytest.fixture
def club(anct, prefecture_58, thematiques, monde, cercle, demain_14h) -> Club:
    m = monde
    p = {
        "A": _personne("a@clamecy.fr", m.clamecy),
        "B": _personne("b@clamecy.fr", m.clamecy),
        "C": _personne("c@saulieu.fr", m.saulieu),
        "D": _personne("d@privas.fr", m.privas),
        "E": _personne("e@anct.gouv.fr"),
        "K": _personne("k@clamecy.fr", m.clamecy),
        "G": _personne("g@privas.fr", m.privas),
    }
    A, B, C, D, E, K, G = (p[k] for k in "ABCDEKG")
    ev = {}

    def add(cle, debut, fin, **fields):
        ev[cle] = _evenement(anct, thematiques, cle, debut, fin, **fields)
        return ev[cle]

    s1 = add(
        "S1",
        paris(2021, 3, 15, 9),
        paris(2021, 3, 19, 18),
        type="semaine_thematique",
        communes_valorisees=[m.clamecy],
    )
    add(
        "W1",
        paris(2021, 3, 16, 10),
        paris(2021, 3, 16, 12),
        semaine=s1,
        communes_valorisees=[m.saulieu],
    )
    _presences(ev["W1"], [A, C, D, E], [B])
    f1 = add("F1", paris(2021, 9, 1, 9), paris(2021, 12, 15, 17), type="formation")
    services.save_module(
        by=anct,
        session=f1,
        numero=1,
        titre="Diagnostic",
        debut=paris(2021, 9, 1, 9),
        fin=paris(2021, 9, 1, 12),
    )
    services.save_module(
        by=anct,
        session=f1,
        numero=2,
        titre="Plan d’actions",
        debut=paris(2021, 11, 20, 9),
        fin=paris(2021, 11, 20, 12),
    )
    _presences(f1, [A, C, D, E], [B])
    add(
        "R1",
        paris(2021, 9, 29, 14),
        paris(2021, 9, 29, 16),
        type="reunion_cercle",
        cercle=cercle,
        thematique="securite-du-quotidien",
    )
    _presences(ev["R1"], [K, G])
    add("W2", paris(2021, 10, 1, 18), paris(2021, 10, 1, 19))
    _presences(ev["W2"], [A, D])
    s2 = add(
        "S2",
        paris(2021, 10, 11, 9),
        paris(2021, 10, 15, 18),
        type="semaine_thematique",
        communes_valorisees=[m.privas],
    )
    add(
        "W3",
        paris(2021, 10, 12, 10),
        paris(2021, 10, 12, 12),
        semaine=s2,
        communes_valorisees=[m.privas, m.chateau_chinon],
    )
    _presences(ev["W3"], [A, C, E])
    add("W4", paris(2021, 11, 5, 10), paris(2021, 11, 5, 12), departement=m.ardeche)
    _presences(ev["W4"], [D])
    add(
        "V1",
        paris(2021, 11, 10, 9),
        paris(2021, 11, 10, 17),
        type="visite",
        lieu="Mairie d’Armes",
        commune=m.armes,
        departement=m.nievre,
    )
    _presences(ev["V1"], [D, B])

    # What never counts: cancelled, draft, proposed, and not begun yet.
    annule = add(
        "annule",
        paris(2021, 4, 10, 10),
        paris(2021, 4, 10, 11),
        publier=False,
        communes_valorisees=[m.armes],
    )
    ev["annule"] = services.annuler_evenement(evenement=annule, by=anct, motif="Report")
    _presences(ev["annule"], [A])
    add(
        "brouillon",
        paris(2021, 4, 1, 10),
        paris(2021, 4, 1, 11),
        publier=False,
        communes_valorisees=[m.armes],
    )
    _presences(ev["brouillon"], [B])
    add(
        "propose",
        paris(2021, 4, 2, 10),
        paris(2021, 4, 2, 11),
        publier=False,
        by=prefecture_58,
        departement=m.nievre,
        communes_valorisees=[m.armes],
    )
    _presences(ev["propose"], [A])
    add("futur", demain_14h, demain_14h + timedelta(hours=1), communes_valorisees=[m.armes])
    _presences(ev["futur"], [A])
    assert ev["annule"].etat == EtatEvenement.ANNULE
    assert ev["brouillon"].etat == EtatEvenement.BROUILLON
    assert ev["propose"].etat == EtatEvenement.PROPOSE

    def membre(c, commune, email, depuis):
        return services.add_membre(
            by=anct,
            cercle=c,
            commune=commune,
            email=email,
            prenom="Élu",
            nom=email,
            fonction="Maire",
            depuis=depuis,
        )

    membre(cercle, m.clamecy, "k@clamecy.fr", date(2021, 9, 29))
    h = membre(cercle, m.armes, "h@armes.fr", date(2021, 9, 29))
    services.end_membre(by=anct, membre=h, le=date(2021, 11, 30))
    membre(cercle, m.privas, "g@privas.fr", date(2021, 10, 15))
    membre(cercle, m.chateau_chinon, "l@chateau-chinon.fr", date(2021, 12, 1))
    cercle_2 = services.create_cercle(
        by=anct,
        titre="Cercle « Commerce »",
        thematique=thematiques["revitalisation-commerciale"],
        debut=date(2021, 11, 1),
        fin=date(2022, 10, 31),
    )
    membre(cercle_2, m.privas, "g@privas.fr", date(2021, 11, 1))

    for canal, jour, valeur in (
        ("linkedin", date(2021, 6, 30), 4000),
        ("linkedin", date(2021, 12, 1), 9000),
        ("infolettre", date(2021, 9, 30), 3000),
        ("infolettre", date(2021, 10, 1), 3100),
    ):
        services.record_audience(by=anct, canal=canal, date=jour, valeur=valeur)
    return Club(ev, p)


def _attendu(s, w, v, personnes, participations, sessions, modules, formes, cercles, membres, au):
    return {
        "semaines_thematiques": s,
        "webinaires": w,
        "communes_valorisees": v,
        "participants": {"personnes": personnes, "participations": participations},
        "formations": {"sessions": sessions, "modules": modules, "participants": formes},
        "cercles": {"cercles": cercles, "membres": membres},
        "audience": au,
    }


AUDIENCE_AVANT = {"linkedin": 4000, "infolettre": 3100}
AUDIENCE_APRES = {"linkedin": 9000, "infolettre": 3100}


@pytest.mark.parametrize(
    ("perimetre", "day", "expected"),
    [
        # Held: S1, W1, F1 (module 1), R1, W2 (begun at 18 h on the day itself).
        # Present: W1 A C D E, F1 A C D E, R1 K G, W2 A D. Members: K, H.
        (FRANCE, AVANT, _attendu(1, 2, 2, 6, 12, 1, 1, 4, 1, 2, AUDIENCE_AVANT)),
        # Clamecy, Saulieu valorisées; people A, C, K.
        (REGION_27, AVANT, _attendu(1, 2, 2, 3, 6, 1, 1, 2, 1, 2, AUDIENCE_AVANT)),
        # Clamecy valorisée; people A, K.
        (NIEVRE, AVANT, _attendu(1, 2, 1, 2, 4, 1, 1, 1, 1, 2, AUDIENCE_AVANT)),
        # Then S2, W3, W4, V1, module 2, cercle 2; H has left, G and L joined.
        (FRANCE, APRES, _attendu(2, 4, 4, 7, 18, 1, 2, 4, 2, 4, AUDIENCE_APRES)),
        # S2 showcases Privas only and W4 is local to 07: neither counts; nor does cercle 2
        # (G of Privas). Valorisées: Clamecy, Saulieu, Château-Chinon; people A, B, C, K.
        (REGION_27, APRES, _attendu(1, 3, 3, 4, 9, 1, 2, 2, 1, 2, AUDIENCE_APRES)),
        # Valorisées: Clamecy, Château-Chinon; people A, B, K; members K, L.
        (NIEVRE, APRES, _attendu(1, 3, 2, 3, 6, 1, 2, 1, 1, 2, AUDIENCE_APRES)),
    ],
    ids=[
        "france-avant",
        "region-avant",
        "nievre-avant",
        "france-apres",
        "region-apres",
        "nievre-apres",
    ],
)
def test_every_figure_at_a_date_for_a_perimeter(club, perimetre, day, expected):
    assert chiffres_club(perimetre, day) == expected


def test_before_anything_every_figure_is_zero_and_the_audience_unknown(club):
    assert chiffres_club(FRANCE, date(2021, 1, 1)) == _attendu(
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, {"linkedin": None, "infolettre": None}
    )


def test_an_event_counts_from_the_evening_of_its_first_day(club):
    """W2 begins on 1 October at 18 h (Paris): it counts that day, not the day before."""
    veille = chiffres_club(FRANCE, AVANT - timedelta(days=1))
    jour = chiffres_club(FRANCE, AVANT)

    assert (veille["webinaires"], jour["webinaires"]) == (1, 2)
    assert jour["participants"]["participations"] - veille["participants"]["participations"] == 2


def test_a_cancelled_event_counts_no_more(club, anct):
    """Cancelling is refused once begun; an event cancelled before its date is ignored, its
    attendances and valorisées with it (here the published upcoming one)."""
    futur = club.evenements["futur"]
    demain = futur.debut.date() + timedelta(days=1)
    before = chiffres_club(FRANCE, demain)
    services.annuler_evenement(evenement=futur, by=anct, motif="Report")
    after = chiffres_club(FRANCE, demain)

    assert before["webinaires"] - after["webinaires"] == 1
    assert before["communes_valorisees"] - after["communes_valorisees"] == 1  # Armes
    assert before["participants"]["participations"] - after["participants"]["participations"] == 1


def _count_queries(perimetre, day) -> int:
    with CaptureQueriesContext(connection) as queries:
        chiffres_club(perimetre, day)
    return len(queries)


def test_the_queries_do_not_grow_with_the_data(club, anct, thematiques, monde):
    counts = {p: _count_queries(p, APRES) for p in (FRANCE, REGION_27, NIEVRE)}
    assert counts[FRANCE] == 5

    people = [
        _personne(f"p{i}@clamecy.fr", monde.clamecy if i % 2 else monde.privas) for i in range(20)
    ]
    for i in range(20):
        evenement = _evenement(
            anct,
            thematiques,
            f"X{i}",
            paris(2021, 6, 1 + i, 10),
            paris(2021, 6, 1 + i, 12),
            type="formation" if i % 4 == 0 else "webinaire",
            communes_valorisees=[monde.armes, monde.saulieu],
        )
        _presences(evenement, people[5:], people[:5])
    for i, person in enumerate(people):
        services.add_membre(
            by=anct,
            cercle=club.evenements["R1"].cercle,
            commune=person.commune,
            email=person.email,
            prenom="",
            nom="",
            depuis=date(2021, 10, 1 + i),
        )
        services.record_audience(
            by=anct, canal="linkedin", date=date(2021, 1, 1 + i), valeur=100 * i
        )

    assert {p: _count_queries(p, APRES) for p in counts} == counts
    assert chiffres_club(FRANCE, APRES)["webinaires"] == 4 + 15
