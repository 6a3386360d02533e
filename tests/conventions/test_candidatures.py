from datetime import date

import pytest
from django.urls import reverse

from conventions.enums import Avis, EtatCandidature
from conventions.models import Candidature
from conventions.services.candidatures import (
    create_candidature,
    decide_candidature,
    instruct_candidature,
    record_decisions,
    withdraw_candidature,
)
from pvd.exceptions import DomainError, NotAllowed
from pvd.models import TransitionLog


def test_the_journey_of_a_candidature_is_logged_step_by_step(laureates, prefecture_58, region_27):
    candidature = Candidature.objects.get()

    steps = list(
        TransitionLog.objects.filter(object_id=candidature.pk).values_list(
            "transition", "source", "cible", "user__email", "commentaire"
        )
    )

    assert candidature.etat == EtatCandidature.RETENUE
    assert candidature.decidee_le == date(2020, 12, 10)
    assert steps == [
        ("deposer", "", "deposee", "pref58@nievre.gouv.fr", "Revitaliser le centre-bourg"),
        ("instruire", "deposee", "instruite", "pref58@nievre.gouv.fr", "Projet solide"),
        ("retenir", "instruite", "retenue", "sgar@bfc.gouv.fr", ""),
    ]


def test_every_field_change_is_in_the_history(laureates):
    candidature = Candidature.objects.get()

    history = list(candidature.history.order_by("history_date"))

    assert history[0].history_user.email == "pref58@nievre.gouv.fr"
    assert [h.etat for h in history if h.history_type == "~"][-2:] == ["instruite", "retenue"]
    last = history[-1].diff_against(history[-2])
    assert {c.field for c in last.changes} >= {"etat", "decidee_le"}


def test_a_prefecture_cannot_file_for_another_departement(monde, prefecture_07):
    with pytest.raises(NotAllowed, match="ne relèvent pas de votre préfecture"):
        create_candidature(by=prefecture_07, communes=[monde.clamecy], deposee_le=date(2020, 11, 2))
    assert not Candidature.objects.exists()


def test_one_candidature_at_a_time_per_commune(laureates, monde, prefecture_58):
    with pytest.raises(DomainError, match="déjà déposée ou retenue pour : Clamecy"):
        create_candidature(by=prefecture_58, communes=[monde.clamecy], deposee_le=date(2021, 1, 4))


def test_communes_of_two_departements_cannot_share_a_candidature(monde, anct, region_27):
    # Only a préfecture files; a user with both départements still may not mix them.
    from communes.enums import Role
    from communes.models import User

    user = User.objects.create_user("double@exemple.gouv.fr", "x" * 16)
    user.habilitations.create(role=Role.PREFECTURE, departement=monde.nievre)
    user.habilitations.create(role=Role.PREFECTURE, departement=monde.cote_dor)
    user = User.objects.get(pk=user.pk)

    with pytest.raises(DomainError):
        create_candidature(
            by=user, communes=[monde.clamecy, monde.saulieu], deposee_le=date(2020, 11, 2)
        )


def test_a_decision_needs_an_instruction_first(monde, prefecture_58):
    candidature = create_candidature(
        by=prefecture_58, communes=[monde.chateau_chinon], deposee_le=date(2020, 11, 2)
    )

    with pytest.raises(DomainError, match="impossible : l’état actuel est « Déposée »"):
        decide_candidature(
            candidature=candidature, by=prefecture_58, retenue=True, decidee_le=date(2020, 12, 1)
        )
    assert TransitionLog.objects.filter(object_id=candidature.pk).count() == 1


def test_decision_dates_must_make_sense(monde, prefecture_58):
    candidature = create_candidature(
        by=prefecture_58, communes=[monde.chateau_chinon], deposee_le=date(2020, 11, 2)
    )
    instruct_candidature(candidature=candidature, by=prefecture_58, avis=Avis.FAVORABLE)

    with pytest.raises(DomainError, match="ne peut pas précéder le dépôt"):
        instruct_candidature(
            candidature=candidature,
            by=prefecture_58,
            avis=Avis.FAVORABLE,
            instruite_le=date(2020, 1, 1),
        )
    with pytest.raises(DomainError, match="ne peut pas précéder le dépôt"):
        decide_candidature(
            candidature=candidature, by=prefecture_58, retenue=True, decidee_le=date(2020, 1, 1)
        )
    with pytest.raises(DomainError, match="dans le futur"):
        decide_candidature(
            candidature=candidature, by=prefecture_58, retenue=True, decidee_le=date(2999, 1, 1)
        )


def test_only_the_region_of_the_communes_decides(monde, prefecture_07, prefecture_58):
    candidature = create_candidature(
        by=prefecture_58, communes=[monde.chateau_chinon], deposee_le=date(2020, 11, 2)
    )
    # `candidature` is now stale (still « déposée » in memory): the check must not rely on it.
    instruct_candidature(candidature=candidature, by=prefecture_58, avis=Avis.FAVORABLE)

    with pytest.raises(NotAllowed):
        decide_candidature(
            candidature=candidature, by=prefecture_07, retenue=True, decidee_le=date(2020, 12, 1)
        )
    assert Candidature.objects.get().etat == EtatCandidature.INSTRUITE


def test_a_candidature_can_be_withdrawn(monde, prefecture_58):
    candidature = create_candidature(
        by=prefecture_58, communes=[monde.chateau_chinon], deposee_le=date(2020, 11, 2)
    )

    withdraw_candidature(candidature=candidature, by=prefecture_58, commentaire="Abandon")

    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.RETIREE
    # Withdrawn, the commune may apply again.
    create_candidature(
        by=prefecture_58, communes=[monde.chateau_chinon], deposee_le=date(2021, 3, 1)
    )


def _instruites(monde, prefecture_58, *communes):
    out = []
    for commune in communes:
        c = create_candidature(by=prefecture_58, communes=[commune], deposee_le=date(2020, 11, 2))
        out.append(instruct_candidature(candidature=c, by=prefecture_58, avis=Avis.FAVORABLE))
    return out


def test_the_region_records_many_decisions_at_once(client, monde, prefecture_58, region_27):
    first, second = _instruites(monde, prefecture_58, monde.chateau_chinon, monde.armes)
    client.force_login(region_27)

    page = client.get(reverse("conventions:candidature_decisions"))
    response = client.post(
        reverse("conventions:candidature_decisions"),
        {
            "decidee_le": "2020-12-10",
            f"candidature_{first.pk}": "retenir",
            f"candidature_{second.pk}": "ne_pas_retenir",
        },
    )

    assert len(page.context["form"].lignes()) == 2
    assert response.status_code == 302
    assert dict(Candidature.objects.values_list("pk", "etat")) == {
        first.pk: "retenue",
        second.pk: "non_retenue",
    }


def test_bulk_decisions_are_all_or_nothing(monde, prefecture_58, region_27):
    first, second = _instruites(monde, prefecture_58, monde.chateau_chinon, monde.armes)
    withdraw_candidature(candidature=second, by=prefecture_58)
    second.refresh_from_db()

    with pytest.raises(DomainError):
        record_decisions(
            by=region_27, decisions={first: True, second: True}, decidee_le=date(2020, 12, 10)
        )

    first.refresh_from_db()
    assert first.etat == EtatCandidature.INSTRUITE


def test_the_instruction_form_reports_a_missing_avis_in_french(client, monde, prefecture_58):
    candidature = create_candidature(
        by=prefecture_58, communes=[monde.chateau_chinon], deposee_le=date(2020, 11, 2)
    )
    client.force_login(prefecture_58)

    response = client.post(
        reverse("conventions:candidature_transition", args=[candidature.pk, "instruire"]), {}
    )

    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.text
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE
