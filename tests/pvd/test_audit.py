"""The audit (pvd/audit.py, pvd/views/audit.py): every change records who, when, through which
channel — the web interface, the API, the admin, an import, a command or a bulk job — and
what changed (before → after, on the object's Historique); the ANCT searches every change."""

import csv
import importlib
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communes.models import DureeJeton
from communes.services import create_token
from conventions.models import ConventionAdhesion
from financements import services
from financements.models import Financement, Mesure
from pvd.audit import Channel, audited_models, channel, channel_of_path
from pvd.historique import modifications
from pvd.text import euros
from tests.factories import UserFactory
from tests.financements import conftest as financements_fixtures
from tests.pvd.test_imports import ENTETES_FINANCEMENTS, fichier, ligne_detr

JOURNAL = reverse("audit")


@pytest.fixture
def pilier2(monde, referentiel, laureates, prefecture_58, partenaire):
    """The financing lines of tests/financements/conftest.py."""
    return financements_fixtures.pilier2.__wrapped__(
        monde, referentiel, laureates, prefecture_58, partenaire
    )


def last(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def api_client(user) -> Client:
    _, cle = create_token(by=user, libelle="SI de la préfecture", duree=DureeJeton.UN_AN)
    return Client(headers={"Authorization": f"Token {cle}"})


def test_the_channel_of_a_request_comes_from_its_path():
    assert channel_of_path(reverse("api:financement-list")) == Channel.API
    assert channel_of_path(reverse("admin:index")) == Channel.ADMIN
    assert channel_of_path(reverse("financements:financement_list")) == Channel.WEB


def test_a_change_by_each_channel_is_recorded_with_who_when_and_what(
    client, pilier2, prefecture_58
):
    ligne = pilier2.demande
    services.update_financement(by=prefecture_58, financement=ligne, reference_externe="DETR-7")
    client.force_login(prefecture_58)
    debut = timezone.now()

    # The HTML form.
    ligne.refresh_from_db()
    response = client.post(
        reverse("financements:financement_update", args=[ligne.pk]),
        {
            "communes": ["58079"],
            "objet": "Halles : études (formulaire)",
            "annee": 2022,
            "montant_demande": "31000",
            "action": "",
            "version": ligne.version,
        },
    )
    assert response.status_code == 302
    web = last(ligne)

    # The API, with a token (no session: the user comes from the token).
    api = api_client(prefecture_58)
    etag = api.get(reverse("api:financement-detail", args=[ligne.pk]))["ETag"]
    response = api.patch(
        reverse("api:financement-detail", args=[ligne.pk]),
        {"objet": "Halles : études (API)"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.content
    par_api = last(ligne)

    # An import, uploaded on its page.
    ligne_importee = ligne_detr(7, objet="Halles (import)", demande="32000", communes="58079")
    contenu = fichier(ENTETES_FINANCEMENTS, [ligne_importee])
    response = client.post(
        reverse("imports:importer", args=["financements"]),
        {"fichier": SimpleUploadedFile("lignes.csv", contenu, content_type="text/csv")},
    )
    assert response.status_code in (200, 302), response.content
    par_import = last(ligne)

    # A service run outside any request: a command, a background job, the shell.
    ligne.refresh_from_db()
    services.update_financement(
        by=prefecture_58, financement=ligne, montant_demande=Decimal("33000")
    )
    par_commande = last(ligne)

    records = [web, par_api, par_import, par_commande]
    assert [r.history_channel for r in records] == ["web", "api", "import", "commande"]
    assert all(r.history_user == prefecture_58 for r in records)
    assert all(debut <= r.history_date <= timezone.now() for r in records)
    assert len({r.pk for r in records}) == 4
    historique = modifications(Financement.objects.get(pk=ligne.pk))
    montant = "montant demandé (€)"
    assert [(m.channel, sorted(m.changes)) for m in historique[-4:]] == [
        (
            "Interface web",
            [
                (montant, euros(30000), euros(31000)),
                ("objet", "Halles : études", "Halles : études (formulaire)"),
            ],
        ),
        ("API", [("objet", "Halles : études (formulaire)", "Halles : études (API)")]),
        (
            "Import",
            [
                (montant, euros(31000), euros(32000)),
                ("objet", "Halles : études (API)", "Halles (import)"),
            ],
        ),
        ("Commande ou traitement en masse", [(montant, euros(32000), euros(33000))]),
    ]
    # The object's Historique shows the channel of each change.
    page = client.get(reverse("financements:financement_detail", args=[ligne.pk]))
    assert page.status_code == 200
    for label in ("Interface web", "API", "Import", "Commande ou traitement en masse"):
        assert f"<td>{label}</td>" in page.text


# The admin's form of a URLField warns of Django 6's default scheme (an error in the tests).
@pytest.mark.filterwarnings("ignore::django.utils.deprecation.RemovedInDjango60Warning")
def test_a_change_in_the_admin_is_recorded_with_its_channel(client, pilier2, anct):
    admin = UserFactory(email="admin@anct.gouv.fr", is_staff=True, is_superuser=True)
    client.force_login(admin)
    mesure = pilier2.mesure
    url = reverse("admin:financements_mesure_change", args=[mesure.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}

    response = client.post(url, {**data, "titre": "Manager de centre-ville"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    record = last(mesure)
    assert (record.history_channel, record.history_user) == ("admin", admin)
    assert record.history_label == "Manager de centre-ville"
    assert modifications(Mesure.objects.get(pk=mesure.pk))[-1].changes == [
        ("titre", pilier2.mesure.titre, "Manager de centre-ville")
    ]


def test_the_programme_import_records_the_import_channel_even_run_by_a_command(monde, tmp_path):
    path = tmp_path / "laureates.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id_pvd", "insee_com", "lib_com", "date_signature", "siren_epci"])
        writer.writerow(["pvd-27-58-1", "58079", "Clamecy", "21/06/2021", ""])

    call_command("import_programme", str(path), stdout=StringIO())

    record = ConventionAdhesion.objects.get().history.get()
    assert record.history_channel == "import"
    assert record.history_label.startswith("Convention d’adhésion n° ")


def test_a_channel_set_in_a_block_is_restored_after_it(pilier2, prefecture_58):
    with channel(Channel.IMPORT):
        services.update_financement(by=prefecture_58, financement=pilier2.demande, objet="A")
    services.update_financement(by=prefecture_58, financement=pilier2.demande, objet="B")

    assert [r.history_channel for r in pilier2.demande.history.order_by("history_id")][-2:] == [
        "import",
        "commande",
    ]


# The search page of the ANCT ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonyme", 302),
        ("anct", 200),
        ("prefecture_58", 403),
        ("region_27", 403),
        ("commune_clamecy", 403),
        ("partenaire", 403),
    ],
)
def test_the_journal_is_for_the_anct_only(as_persona, persona, status):
    assert as_persona(persona).get(JOURNAL).status_code == status


@pytest.fixture
def journal(pilier2, prefecture_58, partenaire):
    """Changes of several kinds, authors, channels and days."""
    with channel(Channel.API):
        services.update_financement(
            by=partenaire, financement=pilier2.bdt, objet="Manager : poste 2023"
        )
    services.update_financement(by=prefecture_58, financement=pilier2.demande, objet="Halles")
    Financement.history.filter(history_channel="commande").update(
        history_date=timezone.now() - timedelta(days=400)
    )
    return pilier2


def _labels(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    return [(row["libelle"], row["canal"]) for row in response.context["rows"]]


def test_the_journal_lists_every_change_newest_first(as_persona, journal):
    response = as_persona("anct").get(JOURNAL)

    rows = response.context["rows"]
    assert len(rows) == sum(h.objects.count() for h in audited_models().values())
    dates = [row["history_date"] for row in rows]
    assert dates == sorted(dates, reverse=True)
    assert "Manager de commerce — Manager : poste 2023" in response.text
    assert reverse("financements:financement_detail", args=[journal.bdt.pk]) in response.text


def test_the_journal_filters_by_author_kind_channel_dates_and_text(as_persona, journal):
    client = as_persona("anct")
    bdt = "Manager de commerce — Manager : poste 2023"

    assert _labels(client.get(JOURNAL, {"canal": "api"})) == [(bdt, "API")]
    assert _labels(client.get(JOURNAL, {"texte": "poste 2023"})) == [(bdt, "API")]
    financements = client.get(JOURNAL, {"objet": "financements.financement"}).context["rows"]
    assert {row["type"] for row in financements} == {"Financement"}
    assert len(financements) == Financement.history.count()
    today = timezone.localdate().isoformat()
    recent = client.get(JOURNAL, {"du": today, "au": today}).context["rows"]
    old = client.get(JOURNAL, {"au": (timezone.localdate() - timedelta(days=300)).isoformat()})
    assert {row["canal"] for row in recent} == {"API", "Commande ou traitement en masse"}
    assert old.context["rows"]
    assert {r["canal"] for r in old.context["rows"]} == {"Commande ou traitement en masse"}
    assert len(recent) + len(old.context["rows"]) == len(client.get(JOURNAL).context["rows"])


def test_the_journal_filters_by_author(as_persona, journal, partenaire):
    rows = as_persona("anct").get(JOURNAL, {"auteur": partenaire.email.upper()}).context["rows"]

    assert rows
    assert {row["user"] for row in rows} == {partenaire}


def test_a_bad_date_range_gets_400_with_a_french_message(as_persona, journal):
    response = as_persona("anct").get(JOURNAL, {"du": "2024-05-02", "au": "2024-05-01"})

    assert response.status_code == 400
    assert "La date de début doit précéder la date de fin." in response.text
    bad = as_persona("anct").get(JOURNAL, {"canal": "fax"})
    assert bad.status_code == 400


def test_the_journal_is_paginated_with_queries_constant_in_the_data(
    as_persona, pilier2, prefecture_58, django_assert_max_num_queries
):
    client = as_persona("anct")

    def add(n):
        for i in range(n):
            ligne = Financement.objects.get(pk=pilier2.demande.pk)
            services.update_financement(by=prefecture_58, financement=ligne, objet=f"Objet {i}")

    add(2)
    with django_assert_max_num_queries(25) as few:
        client.get(JOURNAL)
    add(80)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(JOURNAL)
    total = sum(h.objects.count() for h in audited_models().values())
    assert response.context["page"].paginator.count == total > 100
    assert len(response.context["rows"]) == 50
    last_page = client.get(JOURNAL, {"page": response.context["page"].paginator.num_pages})
    assert len(last_page.context["rows"]) == (total - 1) % 50 + 1


def test_the_history_written_before_the_audit_has_no_channel(pilier2):
    from django.apps import apps

    migration = importlib.import_module("financements.migrations.0004_canal_des_modifications")

    migration.channel_unknown(apps, None)

    assert not Financement.history.exclude(history_channel="").exists()
    assert {m.channel for m in modifications(pilier2.demande)} == {"Non renseigné"}
