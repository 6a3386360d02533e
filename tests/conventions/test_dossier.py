from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conventions.enums import Etape, OrigineOrt
from conventions.models import (
    DELAI_PROJET_TERRITOIRE_MOIS,
    Dossier,
    OrtHorsCadre,
)
from conventions.services.candidatures import create_candidature
from conventions.services.conventions import create_convention_cadre, sign_convention
from pvd.dates import add_months
from tests.factories import CommuneFactory


def etape(code: str) -> str:
    return Dossier.objects.with_etape().get(pk=code).etape


def test_the_stage_is_derived_at_every_step(monde, prefecture_58, region_27, pdf):
    assert etape("58062") == ""
    create_candidature(
        by=prefecture_58, communes=[monde.chateau_chinon], deposee_le=date(2020, 11, 2)
    )
    assert etape("58062") == Etape.CANDIDATE


def test_laureate_then_adhesion_then_ort(laureates, adhesion, prefecture_58, pdf):
    assert etape("58079") == Etape.LAUREATE
    sign_convention(
        convention=adhesion, by=prefecture_58, signee_le=date(2021, 6, 21), document=pdf()
    )
    assert etape("58079") == Etape.ADHESION_SIGNEE
    cadre = create_convention_cadre(by=prefecture_58, adhesion=adhesion)
    assert etape("58079") == Etape.ADHESION_SIGNEE  # in preparation does not count
    sign_convention(convention=cadre, by=prefecture_58, signee_le=date(2023, 3, 9), document=pdf())
    dossier = Dossier.objects.with_etape().get(pk="58079")
    assert (dossier.etape, dossier.date_adhesion, dossier.date_ort) == (
        Etape.ORT_SIGNEE,
        date(2021, 6, 21),
        date(2023, 3, 9),
    )


def test_the_first_ort_counts_whichever_way_it_was_signed(adhesion_signee, prefecture_58, pdf):
    OrtHorsCadre.objects.create(
        commune_id="58079", signee_le=date(2019, 7, 1), origine=OrigineOrt.ANTERIEURE
    )
    cadre = create_convention_cadre(by=prefecture_58, adhesion=adhesion_signee)
    sign_convention(convention=cadre, by=prefecture_58, signee_le=date(2023, 3, 9), document=pdf())

    dossiers = {d.pk: d for d in Dossier.objects.with_etape().filter(pk__in=["58079", "58013"])}

    assert dossiers["58079"].date_ort == date(2019, 7, 1)
    assert dossiers["58013"].date_ort == date(2023, 3, 9)


def test_the_projet_de_territoire_is_due_18_months_after_the_adhesion(adhesion_signee):
    dossier = Dossier.objects.with_etape().get(pk="58079")

    assert dossier.echeance_projet == date(2022, 12, 21)
    assert list(Dossier.objects.with_etape().overdue(date(2022, 12, 22))) == list(
        Dossier.objects.with_etape().awaiting_projet()
    )
    assert not Dossier.objects.with_etape().overdue(date(2022, 12, 21)).exists()
    assert Dossier.objects.with_etape().due_within(date(2022, 9, 22)).count() == 2
    assert not Dossier.objects.with_etape().due_within(date(2022, 9, 21)).exists()


def test_deadline_filters_agree_with_the_due_date_on_every_day(db):
    """The SQL filters compare signature dates to shifted days; the page shows the due date.
    Both must agree for any signature and any day (month ends, leap years)."""
    signatures = [date(2020, 1, 1) + timedelta(days=n) for n in range(0, 1200, 7)]
    signatures += [date(2020, 8, 31), date(2020, 2, 29), date(2021, 8, 30), date(2021, 1, 31)]
    for today in [date(2022, 1, 1) + timedelta(days=n) for n in range(0, 900, 5)]:
        start = add_months(today, -DELAI_PROJET_TERRITOIRE_MOIS)
        end = add_months(today + timedelta(days=90), -DELAI_PROJET_TERRITOIRE_MOIS)
        for signee in signatures:
            due = add_months(signee, DELAI_PROJET_TERRITOIRE_MOIS)
            assert (signee < start) == (due < today), (signee, today)
            assert (start <= signee <= end) == (today <= due <= today + timedelta(days=90)), (
                signee,
                today,
            )


def test_the_commune_reads_each_step_on_its_dossier(client, adhesion_signee, commune_clamecy):
    client.force_login(commune_clamecy)

    response = client.get(reverse("conventions:dossier_detail", args=["58079"]))

    html = response.text
    assert response.status_code == 200
    for text in (
        "Retenue par le comité régional le 10 décembre 2020",
        "Instruite le",
        "signée le 21 juin 2021",
        "Convention signée (PDF)",
        "Dû le <strong>21 décembre 2022</strong>",
        "Prochaine étape : Projet de territoire et signature de la convention-cadre valant ORT",
        "pref58@nievre.gouv.fr",  # who to contact
    ):
        assert text in html, text
    assert response.context["statut_echeance"] == "en_retard"


def test_the_history_tab_shows_who_changed_what(client, adhesion_signee, prefecture_58):
    client.force_login(prefecture_58)

    html = client.get(reverse("conventions:dossier_detail", args=["58079"])).text

    assert "Historique" in html
    assert "Déposée → Instruite" in html
    assert "Instruite → Retenue" in html
    assert "En préparation → Signée" in html
    assert "Retenir (décision du comité régional)" in html
    assert "Projet solide" in html


def test_another_departement_gets_404_on_the_dossier(client, adhesion_signee, prefecture_07):
    client.force_login(prefecture_07)

    assert client.get(reverse("conventions:dossier_detail", args=["58079"])).status_code == 404


def _count_list_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("conventions:dossier_list")).status_code == 200
    return len(queries)


def test_the_dossier_list_costs_the_same_with_2_or_30_communes(
    client, adhesion_signee, prefecture_58, monde
):
    few = _count_list_queries(client, prefecture_58)
    for n in range(28):
        commune = CommuneFactory(departement=monde.nievre, nom=f"Bourg {n}")
        create_candidature(by=prefecture_58, communes=[commune], deposee_le=date(2021, 1, 4))

    assert _count_list_queries(client, prefecture_58) == few
