"""Financing lines through their pages: who records and edits which line, decisions, payments
(never above what was granted), concurrent edits, and lists whose cost does not grow."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from financements import services
from financements.enums import EtatFinancement
from financements.models import Financement, Versement


def _url(name, obj):
    return reverse(f"financements:{name}", args=[obj.pk])


def _edit_data(financement, **changes):
    data = {
        "communes": [c.pk for c in financement.communes.all()],
        "objet": financement.objet,
        "annee": financement.annee,
        "montant_demande": str(financement.montant_demande),
        "action": financement.action_id or "",
        "version": financement.version,
    }
    return {**data, **changes}


def test_partner_gets_403_editing_or_deciding_a_line_of_the_etat(client, pilier2, partenaire):
    client.force_login(partenaire)
    line = pilier2.demande

    assert client.get(_url("financement_detail", line)).status_code == 200
    assert client.get(_url("financement_update", line)).status_code == 403
    assert client.post(_url("financement_update", line), _edit_data(line)).status_code == 403
    decide = {"decision-decision": "refuser", "decision-decide_le": "2022-05-02"}
    assert client.post(_url("financement_decide", line), decide).status_code == 403
    line.refresh_from_db()
    assert line.etat == EtatFinancement.DEMANDE


def test_partner_edits_and_decides_its_organisations_line(client, pilier2, partenaire):
    client.force_login(partenaire)
    line = pilier2.bdt

    response = client.post(
        _url("financement_update", line), _edit_data(line, montant_demande="38000")
    )

    assert response.status_code == 302
    line.refresh_from_db()
    assert line.montant_demande == Decimal("38000")
    response = client.post(
        _url("financement_decide", line),
        {
            "decision-decision": "accorder",
            "decision-montant_accorde": "38000",
            "decision-decide_le": "2022-05-02",
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.etat, line.montant_accorde) == (EtatFinancement.ACCORDE, Decimal("38000"))


def test_partner_is_offered_only_its_organisations_sources_and_mesures(client, pilier2, partenaire):
    client.force_login(partenaire)

    form = client.get(reverse("financements:financement_create")).context["form"]

    assert {s.financeur.code for s in form.fields["source"].queryset} == {"bdt"}
    assert {m.partenaire.code for m in form.fields["mesure"].queryset} == {"bdt"}


def test_partner_posting_a_detr_line_is_refused(client, pilier2, partenaire, monde):
    client.force_login(partenaire)
    count = Financement.objects.count()

    response = client.post(
        reverse("financements:financement_create"),
        {
            "source": pilier2.detr.pk,
            "communes": [monde.clamecy.pk],
            "objet": "Voirie",
            "annee": 2023,
            "montant_demande": "1000",
        },
    )

    # The choice is not offered: the form refuses it, and the service would anyway.
    assert response.status_code == 200
    assert "source" in response.context["form"].errors
    assert Financement.objects.count() == count


def test_prefecture_records_a_request_for_a_mesure(client, pilier2, prefecture_58, monde):
    client.force_login(prefecture_58)

    response = client.post(
        reverse("financements:financement_create"),
        {
            "mesure": pilier2.mesure.pk,
            "communes": [monde.armes.pk],
            "objet": "Manager de commerce",
            "annee": 2023,
            "montant_demande": "40000",
        },
    )

    line = Financement.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == line.get_absolute_url()
    assert line.financeur.code == "bdt"
    assert line.etat == EtatFinancement.DEMANDE


def test_source_and_mesure_together_are_refused(client, pilier2, prefecture_58, monde):
    client.force_login(prefecture_58)

    response = client.post(
        reverse("financements:financement_create"),
        {
            "source": pilier2.detr.pk,
            "mesure": pilier2.mesure.pk,
            "communes": [monde.armes.pk],
            "objet": "Double",
            "annee": 2023,
            "montant_demande": "1000",
        },
    )

    assert "une seule" in str(response.context["form"].non_field_errors())


def test_prefecture_of_other_departement_gets_404_on_a_nievre_line(client, pilier2, prefecture_07):
    client.force_login(prefecture_07)

    assert client.get(_url("financement_detail", pilier2.demande)).status_code == 404
    assert (
        pilier2.demande
        not in client.get(reverse("financements:financement_list")).context["financements"]
    )


def test_versement_above_what_remains_is_refused_in_french(client, pilier2, prefecture_58):
    client.force_login(prefecture_58)
    line = pilier2.accorde

    response = client.post(
        _url("financement_versement", line),
        {"versement-verse_le": "2022-04-01", "versement-montant": "150000.01"},
    )

    assert response.status_code == 400
    errors = str(response.context["forms"]["versement"].non_field_errors())
    assert "dépasse ce qui reste à verser (150\u00a0000\u00a0€)" in errors
    line.refresh_from_db()
    assert line.montant_verse == 0
    assert not Versement.objects.filter(financement=line).exists()


def test_the_last_versement_makes_the_line_verse(client, pilier2, prefecture_58):
    client.force_login(prefecture_58)
    line = pilier2.accorde
    url = _url("financement_versement", line)

    # Typed as French people write it.
    client.post(url, {"versement-verse_le": "2022-04-01", "versement-montant": "99 999,50"})
    client.post(url, {"versement-verse_le": "2022-04-01", "versement-montant": "0,50"})
    line.refresh_from_db()
    assert (line.etat, line.reste_a_verser) == (EtatFinancement.ACCORDE, Decimal("50000"))
    client.post(url, {"versement-verse_le": "2022-09-01", "versement-montant": "50000"})

    line.refresh_from_db()
    assert line.etat == EtatFinancement.VERSE
    assert line.montant_verse == line.montant_accorde == Decimal("150000")
    page = client.get(_url("financement_detail", line))
    assert "versement" not in page.context["forms"]
    assert "1 septembre 2022" in page.content.decode()


def test_granting_without_an_amount_is_a_form_error(client, pilier2, prefecture_58):
    client.force_login(prefecture_58)

    response = client.post(
        _url("financement_decide", pilier2.demande),
        {"decision-decision": "accorder", "decision-decide_le": "2022-05-02"},
    )

    assert response.status_code == 400
    assert "montant_accorde" in response.context["forms"]["decision"].errors


def test_stale_edit_answers_409_and_saves_nothing(client, pilier2, prefecture_58):
    client.force_login(prefecture_58)
    line = pilier2.demande
    stale = _edit_data(line, objet="Mon objet")
    services.update_financement(by=prefecture_58, financement=line, objet="Objet d’un collègue")

    response = client.post(_url("financement_update", line), stale)

    assert response.status_code == 409
    line.refresh_from_db()
    assert line.objet == "Objet d’un collègue"
    # The form keeps what was typed and carries the current version for the next try.
    assert response.context["form"].data["objet"] == "Mon objet"
    assert int(response.context["form"].data["version"]) == line.version


def test_a_decided_line_is_no_longer_edited(client, pilier2, prefecture_58):
    client.force_login(prefecture_58)

    assert client.get(_url("financement_update", pilier2.accorde)).status_code == 403


def test_list_totals_count_a_shared_line_once(client, pilier2, prefecture_58, monde):
    client.force_login(prefecture_58)

    response = client.get(
        reverse("financements:financement_list"), {"departement": monde.nievre.pk}
    )

    # The BdT line of Clamecy and Armes (both in the Nièvre) is one row, counted once.
    assert response.context["financements"].paginator.count == 3
    assert response.context["totaux"] == {
        "demande": Decimal("270000"),
        "accorde": Decimal("150000"),
        "verse": Decimal("0"),
    }
    assert "270\u00a0000\u00a0€" in response.content.decode()


def test_list_filters(client, pilier2, prefecture_58):
    client.force_login(prefecture_58)
    url = reverse("financements:financement_list")

    def listed(**params):
        return {f.pk for f in client.get(url, params).context["financements"]}

    assert listed(etat="accorde") == {pilier2.accorde.pk}
    assert listed(source=pilier2.manager_commerce.pk) == {pilier2.bdt.pk}
    assert listed(financeur=pilier2.bdt.financeur_id) == {pilier2.bdt.pk}
    assert listed(annee=2021) == set()


def _lines(n, by, commune, source):
    for i in range(n):
        services.create_financement(
            by=by,
            communes=[commune],
            objet=f"Ligne {i}",
            annee=2023,
            montant_demande=Decimal("1000"),
            source=source,
        )


@pytest.mark.parametrize(
    "route", ["financement_list", "action_list", "label_list", "comite_list", "mesure_list"]
)
def test_list_queries_do_not_grow_with_rows(
    client, monde, referentiel, laureates, prefecture_58, route
):
    from conventions.models import Orientation
    from financements.models import SourceFinancement

    client.force_login(prefecture_58)
    detr = SourceFinancement.objects.get(code="detr")
    orientation = Orientation.objects.get(code="commerce")

    def add(n):
        _lines(n, prefecture_58, monde.clamecy, detr)
        for i in range(n):
            services.create_action(
                by=prefecture_58,
                communes=[monde.clamecy, monde.armes],
                titre=f"Action {i}",
                orientation=orientation,
                type="commerce",
                etat="envisagee",
            )
            services.create_label(
                by=prefecture_58, commune=monde.armes, type="micro_folie", debut=date(2022, 1, 1)
            )
            services.create_comite(
                by=prefecture_58, departement=monde.nievre, date=date(2022, 1, 1)
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"financements:{route}"))
        assert response.status_code == 200
        return len(queries)

    add(1)
    few = count()
    add(49)
    assert count() == few
