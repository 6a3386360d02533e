"""The demo generator (`pvd.demo`), on a small world of 340 communes of which 160 are
lauréates (144 with a signed adhésion): every figure of seed 001 scales by 160 / 1,646, but
the Club's calendar, which is national."""

import importlib
import json
from collections import Counter
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, F, Sum
from django.utils import timezone

from club.chiffres import chiffres_club
from club.enums import EtatInscription, OrigineParticipant, SourceInscription, TypeEvenement
from club.models import (
    Cercle,
    Evenement,
    Inscription,
    MembreCercle,
    MesureAudience,
    ModuleFormation,
    Participant,
)
from club.services import domaines_des_communes
from communes.enums import Role
from communes.models import Commune
from communes.perimetre import Perimetre
from communes.services import import_territoires
from conventions.models import Candidature, ConventionAdhesion, Dossier
from conventions.services.programme import import_programme
from financements.enums import EQUIPEMENTS, PHASES_OPAH_RU_ELIGIBLES, TypeAction
from financements.models import Action, Financement, Label
from ingenierie.models import BesoinsExprimes, PosteChefDeProjet, PosteVTA, SoutienIngenierie
from pvd.demo import generate_demo, generated_reasons, remove_demo
from pvd.demo import reference as ref
from pvd.demo.club import remove_club
from pvd.demo.tirages import cover, rng_for, split_amount
from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    EPCIFactory,
    HabilitationFactory,
    RegionFactory,
    UserFactory,
)

LAUREATES, SIGNEES = 160, 144
FACTOR = Decimal(LAUREATES) / ref.COMMUNES_PVD
FRANCE = Perimetre(national=True)


def _club_referentiel():
    """The Club's thématiques and co-pilots (a data migration), seeded again: transactional
    tests elsewhere flush them."""
    from django.apps import apps

    importlib.import_module("club.migrations.0002_thematiques_et_copilotes").create(apps, None)


@pytest.fixture
def petit_monde(referentiel, tmp_path):
    _club_referentiel()
    region = RegionFactory(code="27", nom="Bourgogne-Franche-Comté")
    departements = [
        DepartementFactory(code="58", nom="Nièvre", region=region),
        DepartementFactory(code="21", nom="Côte-d'Or", region=region),
    ]
    epcis = [EPCIFactory() for _ in range(10)]
    communes = [
        CommuneFactory(
            code=f"{departements[i % 2].code}{i:03d}",
            nom=f"Bourg {i}",
            departement=departements[i % 2],
            epci=epcis[i % 10],
            population=1000 + i,
        )
        for i in range(340)
    ]
    call_command("sync_collectivites", stdout=StringIO())
    programme = {
        commune.code: {
            "label": commune.nom,
            "pvd": True,
            "pvd_signed_at": f"2021-{1 + i % 12:02d}-15" if i < SIGNEES else None,
        }
        for i, commune in enumerate(communes[:LAUREATES])
    }
    path = tmp_path / "programme.json"
    path.write_text(json.dumps({"communes": programme}))
    assert import_programme(path=path).ecrit


def figures() -> dict:
    """Every generated row, as comparable values."""
    return {
        "postes": sorted(
            PosteChefDeProjet.objects.values_list(
                "etat", "cout_annuel", "subvention_anct", "subvention_anah", "employeur_commune"
            ),
            key=str,
        ),
        "soutiens": sorted(
            SoutienIngenierie.objects.values_list(
                "organisation__code", "communes", "montant_euros", "nombre_jours"
            ),
            key=str,
        ),
        "financements": sorted(
            Financement.objects.values_list("source__code", "communes", "etat", "montant_accorde"),
            key=str,
        ),
        "besoins": sorted(BesoinsExprimes.objects.values_list("commune", "chef_de_projet")),
        "actions": sorted(
            Action.objects.values_list("type", "communes", "etat", "budget"), key=str
        ),
        "labels": sorted(Label.objects.values_list("type", "commune", "debut")),
        # The upcoming events are dated from today: their titles only.
        "evenements": sorted(
            Evenement.objects.annotate(n=Count("inscriptions")).values_list(
                "type", "titre", "n", "communes_valorisees"
            ),
            key=str,
        ),
        "presences": sorted(
            Inscription.objects.filter(present__isnull=False).values_list(
                "evenement__titre", "participant__email", "present"
            )
        ),
        "membres": sorted(MembreCercle.objects.values_list("participant__email", "depuis")),
        "audience": sorted(MesureAudience.objects.values_list("canal", "date", "valeur")),
    }


def share(part: int, whole: int) -> float:
    return part / whole


def communes_with(*types) -> int:
    return Action.objects.filter(type__in=types).values("communes").distinct().count()


def granted(code: str):
    return Financement.objects.accordes().filter(source__code=code)


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_figures_and_another_seed_others(petit_monde):
    generate_demo(seed=7)
    first = figures()
    remove_demo()
    assert not PosteChefDeProjet.objects.exists()
    assert not Action.objects.exists()

    generate_demo(seed=7)
    assert figures() == first
    generate_demo(seed=8)
    assert figures() != first


@pytest.mark.django_db
def test_a_second_run_with_the_same_options_creates_nothing(petit_monde):
    first = generate_demo()
    counts = figures()
    second = generate_demo()

    assert first.created["financements"] > 0
    assert not first.deja_genere
    assert second.deja_genere
    assert second.created == {}
    assert figures() == counts


@pytest.mark.django_db
def test_other_options_replace_the_generated_rows_and_keep_the_programme(petit_monde):
    generate_demo(seed=1)
    rapport = generate_demo(seed=2)

    assert rapport.removed > 0
    assert generated_reasons() == {"Données de démonstration (échelle 1, graine 2)"}
    assert BesoinsExprimes.objects.count() == SIGNEES
    remove_demo()
    assert Dossier.objects.pvd().count() == LAUREATES
    assert ConventionAdhesion.objects.signees().values("communes").distinct().count() == SIGNEES
    assert not PosteChefDeProjet.history.exists()
    assert not Financement.history.exists()
    assert not Financement.communes.through.objects.exists()
    for model in (Evenement, Inscription, Participant, Cercle, MembreCercle, ModuleFormation):
        assert not model.objects.exists(), model
    assert not MesureAudience.objects.exists()
    assert not Evenement.history.exists()
    assert not Inscription.history.exists()
    assert not Evenement.communes_valorisees.through.objects.exists()


@pytest.mark.django_db
def test_the_proportions_are_those_of_seed_001(petit_monde):
    generate_demo()

    besoins = BesoinsExprimes.objects
    assert besoins.count() == SIGNEES
    for name, expected in ref.BESOINS.items():
        assert share(besoins.filter(**{name: True}).count(), SIGNEES) == pytest.approx(
            expected, abs=0.01
        )
    assert share(communes_with(TypeAction.OPAH, TypeAction.OPAH_RU), LAUREATES) == pytest.approx(
        0.64, abs=0.01
    )
    assert share(communes_with(TypeAction.OPAH_RU), LAUREATES) == pytest.approx(0.34, abs=0.01)
    assert share(communes_with(TypeAction.TIERS_LIEU), LAUREATES) == pytest.approx(0.24, abs=0.01)
    equipements = {type_: communes_with(type_) for type_ in EQUIPEMENTS}
    assert max(equipements, key=equipements.get) == TypeAction.EQUIPEMENT_CULTUREL

    postes = PosteChefDeProjet.objects
    assert postes.filter(etat="occupe").count() == round(444 * FACTOR)
    assert PosteVTA.objects.count() == round(17 * FACTOR)
    for code, (communes, total) in ref.DOTATIONS.items():
        assert granted(code).values("communes").distinct().count() == round(communes * FACTOR)
        assert granted(code).aggregate(s=Sum("montant_accorde"))["s"] == (total * FACTOR).quantize(
            Decimal("0.01")
        )
    commerce = Financement.objects.accordes().filter(source__code__startswith="bdt-")
    assert commerce.values("communes").distinct().count() == round(513 * FACTOR)
    soutiens = SoutienIngenierie.objects
    assert soutiens.values("communes").distinct().count() == round(513 * FACTOR)
    assert soutiens.aggregate(s=Sum("montant_euros"))["s"] == (
        ref.SOUTIENS_EUROS * FACTOR
    ).quantize(Decimal("0.01"))
    cerema = soutiens.filter(organisation__code="cerema")
    assert cerema.count() == round(37 * FACTOR)
    assert not cerema.filter(nombre_jours=None).exists()
    assert (
        Label.objects.actifs_le("2020-12-31").count()
        < Label.objects.actifs_le("2022-12-31").count()
    )


@pytest.mark.django_db
def test_the_chefs_de_projet_respect_the_co_financing_rules(petit_monde):
    generate_demo()

    postes = list(PosteChefDeProjet.objects.select_related("opah_ru").prefetch_related("communes"))
    assert postes
    for poste in postes:
        assert 50_000 <= poste.cout_annuel <= 65_000
        assert 4 * poste.subvention_totale <= 3 * poste.cout_annuel
        if poste.subvention_anah:
            assert poste.opah_ru.type == TypeAction.OPAH_RU
            assert poste.opah_ru.etat in PHASES_OPAH_RU_ELIGIBLES
            assert set(poste.opah_ru.communes.all()) & set(poste.communes.all())
    assert any(p.subvention_anah for p in postes)
    assert any(p.communes.count() > 1 for p in postes)  # shared by a convention's communes


def _a_venir():
    return Evenement.objects.published().filter(debut__gt=timezone.now())


@pytest.mark.django_db
def test_the_club_at_the_note_s_date_has_the_figures_of_seed_001(petit_monde):
    generate_demo()

    chiffres = chiffres_club(FRANCE, ref.DATE_NOTE)
    participations = round(ref.CLUB_PARTICIPATIONS * FACTOR)
    personnes = chiffres["participants"]["personnes"]
    assert chiffres == {
        "semaines_thematiques": 4,
        "webinaires": 30,
        "communes_valorisees": 30,
        "participants": {"personnes": personnes, "participations": participations},
        "formations": {
            "sessions": 1,
            "modules": 4,
            "participants": round(ref.FORMATION_PARTICIPANTS * FACTOR),
        },
        "cercles": {"cercles": 1, "membres": 21},
        "audience": {"linkedin": 10_837, "infolettre": 5_214},
    }
    assert participations == 522
    # Some people come again and again: fewer people than attendances.
    assert participations / 3 < personnes < participations
    # Twelve of the webinars are inside the weeks, and a week showcases its webinars' communes.
    assert (
        Evenement.objects.filter(type=TypeEvenement.WEBINAIRE, semaine__isnull=False).count() == 12
    )
    for semaine in Evenement.objects.filter(type=TypeEvenement.SEMAINE_THEMATIQUE):
        assert set(semaine.communes_valorisees.all()) == set(
            Commune.objects.filter(evenements_valorisants__semaine=semaine)
        )
    # The valorisées are PVD communes.
    assert (
        not Commune.objects.filter(evenements_valorisants__isnull=False)
        .exclude(pk__in=Dossier.objects.pvd())
        .exists()
    )
    # The audience grew month after month up to the note.
    linkedin = list(
        MesureAudience.objects.filter(canal="linkedin").order_by("date").values_list("valeur")
    )
    assert len(linkedin) == 10
    assert linkedin == sorted(linkedin)


@pytest.mark.django_db
def test_the_club_goes_on_after_the_note_and_its_agenda_is_never_empty(petit_monde):
    generate_demo()

    note = chiffres_club(FRANCE, ref.DATE_NOTE)
    today = chiffres_club(FRANCE, timezone.localdate())
    assert today["webinaires"] == note["webinaires"] + 2
    assert today["communes_valorisees"] == note["communes_valorisees"] + 3
    assert today["participants"]["participations"] > note["participants"]["participations"]
    assert today["cercles"]["membres"] == 21 + 3 - 1
    # Three webinars and a visit to come; nobody but the demo accounts registered to them.
    assert sorted(_a_venir().values_list("type", flat=True)) == [
        "visite",
        "webinaire",
        "webinaire",
        "webinaire",
    ]
    assert not Inscription.objects.filter(evenement__in=_a_venir()).exists()
    # Nobody is reminded of a past event, nor told of a registration again.
    assert not Inscription.objects.exclude(etat_notifie=F("etat")).exists()


@pytest.mark.django_db
def test_the_cercle_securite_du_quotidien_and_its_first_meeting(petit_monde):
    generate_demo()

    cercle = Cercle.objects.get()
    assert cercle.titre == "Cercle thématique « Sécurité du quotidien »"
    assert cercle.thematique_id == "securite-du-quotidien"
    assert set(cercle.copilotes.values_list("code", flat=True)) == {"anct", "puca", "gendarmerie"}
    assert (cercle.debut, cercle.fin) == (date(2021, 9, 29), date(2022, 9, 28))
    premiere = cercle.reunions.order_by("debut").first()
    assert premiere.type == TypeEvenement.REUNION_CERCLE
    assert timezone.localdate(premiere.debut) == date(2021, 9, 29)
    # The élus of the first meeting came (but three).
    presents = premiere.inscriptions.filter(present=True)
    assert presents.count() == 18
    assert set(presents.values_list("participant", flat=True)) <= set(
        cercle.membres.values_list("participant", flat=True)
    )
    assert cercle.membres.count() == 24
    assert cercle.membres.filter(jusqu_au__isnull=False).count() == 1
    assert not cercle.membres.exclude(commune__in=Dossier.objects.pvd()).exists()


@pytest.mark.django_db
def test_the_club_s_people_come_from_pvd_communes_with_their_domain(petit_monde):
    generate_demo()

    participants = Participant.objects.all()
    with_commune = participants.filter(commune__isnull=False)
    assert with_commune.count() / participants.count() > 0.85
    assert not with_commune.exclude(commune__in=Dossier.objects.pvd()).exists()
    # A commune's people share its domain (but those with a personal webmail).
    domaines = domaines_des_communes()
    matching = [p for p in with_commune if domaines.get(p.domaine) == p.commune_id]
    assert len(matching) / with_commune.count() > 0.8
    # The others are partners' or State agents.
    for participant in participants.filter(commune__isnull=True):
        assert participant.domaine.endswith(".gouv.fr") or participant.organisation_id


@pytest.mark.django_db
def test_the_demo_accounts_take_part_and_their_registrations_go_with_the_demo(petit_monde):
    commune = Dossier.objects.pvd().order_by("code").first()
    user = UserFactory(email="commune@demo.pvd.test")
    HabilitationFactory(user=user, role=Role.COMMUNE, commune=commune)
    generate_demo()

    participant = Participant.objects.get(user=user)
    assert participant.commune_id == commune.pk
    assert participant.inscriptions.filter(present=True).count() == 4
    assert participant.inscriptions.filter(present=False).count() == 1
    a_venir = Inscription.objects.filter(evenement__in=_a_venir())
    assert a_venir.count() == 3
    assert set(a_venir.values_list("participant", "etat").distinct()) == {
        (participant.pk, EtatInscription.INSCRIT)
    }
    # The demo commune is showcased, in the cercle, and hosts the upcoming visit.
    assert commune.evenements_valorisants.filter(debut__year=2021).exists()
    assert MembreCercle.objects.filter(commune=commune).exists()
    assert _a_venir().get(type=TypeEvenement.VISITE).commune_id == commune.pk
    # The demo accounts take their seats among the note's attendances.
    assert chiffres_club(FRANCE, ref.DATE_NOTE)["participants"]["participations"] == 522

    # Someone registered to an upcoming demo event: the registration goes with the demo,
    # the person stays.
    guest = Participant.objects.create(
        email="invite@example.org", origine=OrigineParticipant.IMPORT
    )
    Inscription.objects.create(
        evenement=_a_venir().first(),
        participant=guest,
        etat=EtatInscription.INSCRIT,
        source=SourceInscription.PERSONNE,
    )
    remove_demo()
    assert not Evenement.objects.exists()
    assert list(Participant.objects.all()) == [guest]


@pytest.mark.django_db
def test_a_run_of_the_generator_without_the_club_is_completed(petit_monde):
    generate_demo()
    remove_club()

    rapport = generate_demo()

    assert not rapport.deja_genere
    assert Evenement.objects.exists()


@pytest.mark.django_db
def test_scale_2_enrols_as_many_communes_again_and_doubles_the_figures(petit_monde):
    generate_demo(scale=2)

    assert Dossier.objects.pvd().count() == 2 * LAUREATES
    assert Candidature.objects.count() == 2 * LAUREATES
    assert granted("detr").values("communes").distinct().count() == round(770 * 2 * FACTOR)
    assert granted("detr").aggregate(s=Sum("montant_accorde"))["s"] == (
        ref.DOTATIONS["detr"][1] * 2 * FACTOR
    ).quantize(Decimal("0.01"))

    # The Club's calendar is national; its attendances scale with the communes.
    chiffres = chiffres_club(FRANCE, ref.DATE_NOTE)
    assert chiffres["webinaires"] == 30
    assert chiffres["participants"]["participations"] == round(
        ref.CLUB_PARTICIPATIONS * Decimal(2 * LAUREATES) / ref.COMMUNES_PVD
    )

    generate_demo(scale=1)
    assert Dossier.objects.pvd().count() == LAUREATES
    assert Commune.objects.count() == 340


@pytest.mark.django_db
def test_the_command_reports_in_french_and_then_does_nothing(petit_monde):
    first, second = StringIO(), StringIO()
    call_command("generate_demo", "--seed", "3", stdout=first)
    call_command("generate_demo", "--seed", "3", stdout=second)

    assert "Données de démonstration (échelle 1, graine 3)" in first.getvalue()
    assert "financements : " in first.getvalue()
    assert "inscriptions : " in first.getvalue()
    assert "Génération terminée en" in first.getvalue()
    assert "déjà en place" in second.getvalue()


def test_amounts_are_split_exactly_and_groups_cover_the_pool():
    rng = rng_for(1, "test")
    parts = split_amount(rng, Decimal("91689327.95"), 770, spread=0.8)
    assert sum(parts) == Decimal("91689327.95")
    assert min(parts) > 0
    groups = cover(rng, list(range(513)), {"a": 214, "b": 125, "c": 37, "d": 200})
    assert set().union(*map(set, groups.values())) == set(range(513))
    assert Counter({k: len(v) for k, v in groups.items()}) == {
        "a": 214,
        "b": 125,
        "c": 37,
        "d": 200,
    }
    assert all(len(set(members)) == len(members) for members in groups.values())


@pytest.mark.slow
@pytest.mark.django_db
def test_on_the_real_programme_the_figures_are_those_of_seed_001(referentiel):
    import_territoires(source_dir=settings.TERRITOIRES_SOURCE_DIR)
    import_programme(path=settings.BASE_DIR / "conventions" / "data" / "anct_programmes.json")
    call_command("sync_collectivites", stdout=StringIO())
    generate_demo()

    assert granted("detr").values("communes").distinct().count() == 770
    assert granted("detr").aggregate(s=Sum("montant_accorde"))["s"] == Decimal("91689327.95")
    assert granted("dsil").aggregate(s=Sum("montant_accorde"))["s"] == Decimal("43636749.94")
    assert granted("fnadt").aggregate(s=Sum("montant_accorde"))["s"] == Decimal("3076335.49")
    soutiens = SoutienIngenierie.objects
    assert soutiens.values("communes").distinct().count() == 513
    assert soutiens.aggregate(s=Sum("montant_euros"))["s"] == Decimal("20959057")
    anah = soutiens.filter(organisation__code="anah")
    assert anah.values("communes").distinct().count() == 214
    assert PosteChefDeProjet.objects.filter(etat="occupe").count() == 444
    assert PosteVTA.objects.count() == 17
    commerce = Financement.objects.accordes().filter(source__code__startswith="bdt-")
    assert commerce.values("communes").distinct().count() == 513
    assert commerce.aggregate(s=Sum("montant_accorde"))["s"] == Decimal("7818107")
    assert commerce.filter(source__code="bdt-manager-commerce").count() == 257
    chiffres = chiffres_club(FRANCE, ref.DATE_NOTE)
    assert chiffres == {
        "semaines_thematiques": 4,
        "webinaires": 30,
        "communes_valorisees": 30,
        "participants": {
            "personnes": chiffres["participants"]["personnes"],
            "participations": 5366,
        },
        "formations": {"sessions": 1, "modules": 4, "participants": 563},
        "cercles": {"cercles": 1, "membres": 21},
        "audience": {"linkedin": 10_837, "infolettre": 5_214},
    }
    assert 2000 < chiffres["participants"]["personnes"] < 5366
