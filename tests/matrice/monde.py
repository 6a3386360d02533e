"""Two symmetric territories for the global permission matrix, built once for the module.

« Dedans » is the small France of tests/conftest.py around Clamecy (Nièvre, CC Haut Nivernais,
Bourgogne-Franche-Comté); « dehors » mirrors it around Privas (Ardèche, CA Privas Centre Ardèche,
Auvergne-Rhône-Alpes). Each side holds one object of every kind, built by the apps' own fixtures
(called through `__wrapped__` with the side's territories and préfecture) and services, so that
the apps' matrices (written for Clamecy's objects) read the same on both sides.
"""

import json
from dataclasses import dataclass, field, replace
from datetime import date
from types import SimpleNamespace

from django.core.files.base import ContentFile

from communes.enums import Role
from communes.services import invite_user
from conventions.enums import Avis
from conventions.models import Candidature
from conventions.services import candidatures as candidature_services
from conventions.services import conventions as convention_services
from pvd.models import EtatNote, NoteSuivi
from tests import conftest, fixtures_parcours
from tests.club import conftest as club_conftest
from tests.club import test_api_permissions as club_api
from tests.club import test_permissions as club_html
from tests.factories import CommuneFactory, EPCIFactory
from tests.financements import conftest as financements_conftest
from tests.financements import test_permissions as financements_html
from tests.fixtures_parcours import pdf_bytes
from tests.ingenierie import conftest as ingenierie_conftest
from tests.ingenierie import test_api_permissions as ingenierie_api
from tests.pvd import test_exports_permissions as exports_html

SIDES = ("dedans", "dehors")

# Codes of the inside world and their mirror outside: URL arguments and request bodies written
# for Clamecy are translated with it for the Privas side.
EXTRA_58 = {"58086": "Corbigny", "58304": "Varzy", "58160": "Luzy", "58095": "Decize"}
EXTRA_07 = {"07330": "Vals-les-Bains", "07019": "Aubenas", "07110": "Lamastre", "07324": "Tournon"}
MIRROR = {
    "58079": "07186",  # Clamecy ↔ Privas
    "58013": "07102",  # Armes ↔ Lyas (same EPCI)
    "58062": "07064",  # Château-Chinon ↔ Coux (another EPCI)
    **dict(zip(EXTRA_58, EXTRA_07, strict=True)),
    "58": "07",
    "27": "84",
    "200067429": "200070761",
    "departement:58": "departement:07",
    "region:27": "region:84",
}


def wrapped(fixture):
    """The function behind a pytest fixture, to call it with this world's arguments."""
    return fixture.__wrapped__


def translate(value, side: str):
    """`value` (URL arguments, a request's body) with Clamecy's codes turned into Privas' ones."""
    if side == "dedans":
        return value
    if isinstance(value, str) and value.startswith("{"):  # a JSON body, already dumped
        return json.dumps(translate(json.loads(value), side))
    if isinstance(value, str):
        return MIRROR.get(value, value)
    if isinstance(value, list | tuple):
        return type(value)(translate(v, side) for v in value)
    if isinstance(value, dict):
        return {k: translate(v, side) for k, v in value.items()}
    return value


@dataclass
class Monde:
    personas: dict
    cotes: dict
    media: object
    sessions: dict = field(default_factory=dict)  # persona → session key


def _mirror_monde(monde):
    """The small France seen from the Ardèche: the same names point to Privas' territories."""
    coux_epci = EPCIFactory(siren="200071876", nom="CC Val'Eyrieux")
    return replace(
        monde,
        bfc=monde.aura,
        nievre=monde.ardeche,
        haut_nivernais=monde.privas_agglo,
        morvan=coux_epci,
        clamecy=monde.privas,
        armes=CommuneFactory(
            code="07102", nom="Lyas", departement=monde.ardeche, epci=monde.privas_agglo
        ),
        chateau_chinon=CommuneFactory(
            code="07064", nom="Coux", departement=monde.ardeche, epci=coux_epci
        ),
    )


def _conventions(monde, extra: dict, laureates, adhesion_signee, prefecture, region) -> dict:
    """The objects of tests/conventions/test_api_permissions.py's `objets`, for any side."""
    communes = {
        nom: CommuneFactory(code=code, nom=nom, departement=monde.nievre, epci=monde.haut_nivernais)
        for code, nom in extra.items()
    }
    _corbigny, varzy, luzy, decize = communes.values()

    def laureate(commune):
        candidature = candidature_services.create_candidature(
            by=prefecture, communes=[commune], deposee_le=date(2020, 11, 2)
        )
        candidature_services.instruct_candidature(
            candidature=candidature, by=prefecture, avis=Avis.FAVORABLE
        )
        return candidature_services.decide_candidature(
            candidature=candidature, by=region, retenue=True, decidee_le=date(2020, 12, 10)
        )

    laureate(luzy)
    laureate(decize)
    instruite = candidature_services.create_candidature(
        by=prefecture, communes=[varzy], deposee_le=date(2021, 1, 4)
    )
    return {
        "laureates": Candidature.objects.get(communes=monde.clamecy),
        "deposee": candidature_services.create_candidature(
            by=prefecture, communes=[monde.chateau_chinon], deposee_le=date(2021, 1, 4)
        ),
        "instruite": candidature_services.instruct_candidature(
            candidature=instruite, by=prefecture, avis=Avis.FAVORABLE
        ),
        "adhesion": adhesion_signee,
        "en_preparation": convention_services.create_convention_adhesion(
            by=prefecture, communes=[decize], presidence_comite="unique"
        ),
        # Armes only: Clamecy's commune does not see it.
        "cadre": convention_services.create_convention_cadre(
            by=prefecture, adhesion=adhesion_signee, communes=[monde.armes]
        ),
        "avenant": convention_services.create_avenant(
            by=prefecture, convention=adhesion_signee, objet="Ajout d’un partenaire"
        ),
    }


def _note(perimetre: str) -> NoteSuivi:
    note = NoteSuivi.objects.create(
        perimetre=perimetre, date=date(2021, 1, 4), etat=EtatNote.PRETE, valeurs={}
    )
    note.fichier.save("note.pdf", ContentFile(pdf_bytes()))
    return note


def _side(monde, personas, national, prefecture, region, commune_user, extra, inviter_email):
    """Every app's objects on one side (`monde` already mirrored for the outside)."""
    partenaire, anct = personas["partenaire"], personas["anct"]
    pdf = wrapped(fixtures_parcours.pdf)()
    laureates = wrapped(fixtures_parcours.laureates)(monde, prefecture, region)
    adhesion = wrapped(fixtures_parcours.adhesion)(laureates, prefecture)
    adhesion_signee = wrapped(fixtures_parcours.adhesion_signee)(adhesion, prefecture, pdf)
    pilier2 = wrapped(financements_conftest.pilier2)(monde, None, laureates, prefecture, partenaire)
    wrapped(financements_html.objets)(pilier2, prefecture)
    conventions = _conventions(monde, extra, laureates, adhesion_signee, prefecture, region)
    conventions["pdf"] = pdf
    organisations = national["organisations"]
    poste = wrapped(ingenierie_conftest.poste)(adhesion_signee, prefecture, monde)
    soutien_bdt = wrapped(ingenierie_conftest.soutien_bdt)(
        organisations, adhesion_signee, prefecture, monde
    )
    ingenierie = {
        **wrapped(ingenierie_api.objets)(poste, soutien_bdt, prefecture, monde),
        "cerema": wrapped(ingenierie_conftest.soutien_cerema)(
            organisations, adhesion_signee, prefecture, monde
        ),
    }
    # Outside: the Club API matrix's objects (a published event, the préfecture's proposal,
    # a maire's registration); inside, the Club matrix's whole set (see `build`).
    club = national.get("club") or wrapped(club_api.objets)(
        anct, prefecture, commune_user, monde, national["thematiques"], national["demain_14h"]
    )
    inviter = conftest._persona(inviter_email, Role.PREFECTURE, departement=monde.nievre)
    invitation = invite_user(
        by=inviter,
        email=f"secretaire@{monde.armes.code}.fr",
        role=Role.COMMUNE,
        commune=monde.armes,
    )
    return {
        "financements": pilier2,
        "conventions": conventions,
        "ingenierie": ingenierie,
        "club": club,
        "communes": invitation,
        "note": _note(f"departement:{monde.nievre.code}"),
        "export": national["export"],
        "aucun": None,
    }


def build(media) -> Monde:
    """The whole world: personas, national objects, then each side."""
    wrapped(conftest.orientations)(None)
    wrapped(conftest.referentiel)(None, None)
    monde = wrapped(conftest.monde)(None)
    personas = {name: wrapped(getattr(conftest, name))(monde) for name in conftest.PERSONAS[1:]}
    personas["anonyme"] = None
    ailleurs = _mirror_monde(monde)
    region_84 = conftest._persona("sgar@ara.gouv.fr", Role.REGION, region=monde.aura)
    maire_privas = conftest._persona("maire@privas.fr", Role.COMMUNE, commune=monde.privas)

    thematiques = wrapped(club_conftest.thematiques)(None)
    demain_14h = wrapped(club_conftest.demain_14h)()
    national = {
        "thematiques": thematiques,
        "demain_14h": demain_14h,
        "organisations": wrapped(ingenierie_conftest.organisations)(None),
    }
    # The Club's national objects (published events, a formation, a cercle) and the Clamecy
    # maire's registration and cercle membership, by the Club matrix's own fixture.
    cercle = wrapped(club_conftest.cercle)(personas["anct"], thematiques, None)
    club = wrapped(club_html.objets)(
        personas["anct"],
        personas["prefecture_58"],
        personas["commune_clamecy"],
        monde,
        thematiques,
        demain_14h,
        cercle,
    )
    export = wrapped(exports_html.export)(personas["anct"], None, None)
    dedans = _side(
        monde,
        personas,
        {**national, "export": export, "club": club},
        personas["prefecture_58"],
        personas["region_27"],
        personas["commune_clamecy"],
        EXTRA_58,
        "inviteur@nievre.gouv.fr",
    )
    dehors = _side(
        ailleurs,
        personas,
        {**national, "export": export},
        personas["prefecture_07"],
        region_84,
        maire_privas,
        EXTRA_07,
        "inviteur@ardeche.gouv.fr",
    )
    dedans["note_fr"] = dehors["note_fr"] = _note("FR")
    return Monde(
        personas=personas,
        cotes={"dedans": SimpleNamespace(**dedans), "dehors": SimpleNamespace(**dehors)},
        media=media,
    )
