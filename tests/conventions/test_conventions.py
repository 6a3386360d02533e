from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from conventions.enums import EtatConvention, OrigineOrt
from conventions.models import Avenant, ConventionAdhesion, Orientation
from conventions.services.candidatures import create_candidature
from conventions.services.conventions import (
    create_avenant,
    create_convention_adhesion,
    create_convention_cadre,
    record_ort_hors_cadre,
    sign_convention,
    update_convention_adhesion,
)
from pvd.exceptions import DomainError, NotAllowed
from pvd.models import TransitionLog
from pvd.workflows import ConflictError


def _edit(convention, by, version, **changes):
    data = {
        "communes": list(convention.communes.all()),
        "cosignataire_conseil_departemental": convention.cosignataire_conseil_departemental,
        "cosignataire_conseil_regional": convention.cosignataire_conseil_regional,
        "partenaires": list(convention.partenaires.all()),
        "presidence_comite": convention.presidence_comite,
        "president_comite": convention.president_comite,
        **changes,
    }
    return update_convention_adhesion(
        convention=convention, by=by, expected_version=version, **data
    )


# Rules of a convention d'adhésion ----------------------------------------------------------------


def test_only_laureates_sign_an_adhesion(monde, prefecture_58):
    with pytest.raises(DomainError, match="Château-Chinon \\(Ville\\) ne l’est pas"):
        create_convention_adhesion(by=prefecture_58, communes=[monde.chateau_chinon])


def test_a_convention_has_at_least_one_commune(laureates, prefecture_58):
    with pytest.raises(DomainError):
        create_convention_adhesion(by=prefecture_58, communes=[])


def test_a_commune_is_in_one_adhesion_only(adhesion, monde, prefecture_58):
    with pytest.raises(DomainError, match="Déjà dans une autre convention d’adhésion : Clamecy"):
        create_convention_adhesion(by=prefecture_58, communes=[monde.clamecy])


def test_another_prefecture_may_not_prepare_it(laureates, prefecture_07):
    with pytest.raises(NotAllowed):
        create_convention_adhesion(by=prefecture_07, communes=laureates)


# Signature ---------------------------------------------------------------------------------------


def test_signing_keeps_the_pdf_under_a_generated_name(adhesion_signee):
    assert adhesion_signee.etat == EtatConvention.SIGNEE
    assert adhesion_signee.signee_le == date(2021, 6, 21)
    name = adhesion_signee.document.name
    assert name.startswith("conventions/")
    assert name.endswith(".pdf")
    assert "scan" not in name
    assert len(name) == len("conventions/") + 32 + 4
    assert adhesion_signee.echeance_projet == date(2022, 12, 21)


def test_a_second_signature_is_refused_and_logged_once(adhesion_signee, prefecture_58, pdf):
    with pytest.raises(DomainError, match="l’état actuel est « Signée »"):
        sign_convention(
            convention=adhesion_signee, by=prefecture_58, signee_le=date(2021, 7, 1), document=pdf()
        )

    adhesion_signee.refresh_from_db()
    assert adhesion_signee.signee_le == date(2021, 6, 21)
    assert TransitionLog.objects.filter(transition="signer").count() == 1


def test_a_double_click_on_signer_signs_once(client, adhesion, prefecture_58, pdf):
    client.force_login(prefecture_58)
    url = reverse("conventions:convention_sign", args=["adhesion", adhesion.pk])
    form = {"signee_le": "2021-06-21", "version": adhesion.version}

    first = client.post(url, {**form, "document": pdf()})
    second = client.post(url, {**form, "document": pdf()})

    assert first.status_code == second.status_code == 302
    assert ConventionAdhesion.objects.get().etat == EtatConvention.SIGNEE
    assert TransitionLog.objects.filter(transition="signer").count() == 1
    messages = [str(m) for m in second.wsgi_request._messages]
    assert any("déjà signée" in m for m in messages)


def test_a_signature_needs_a_pdf_and_a_past_date(adhesion, prefecture_58, pdf):
    with pytest.raises(DomainError, match="Joignez le document signé"):
        sign_convention(
            convention=adhesion, by=prefecture_58, signee_le=date(2021, 6, 21), document=None
        )
    with pytest.raises(DomainError, match="dans le futur"):
        sign_convention(
            convention=adhesion, by=prefecture_58, signee_le=date(2999, 1, 1), document=pdf()
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_signatures_sign_once(monde, prefecture_58, region_27, pdf):
    """Two threads sign at the same moment: the row lock lets one through."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    from conventions.services.candidatures import decide_candidature, instruct_candidature

    candidature = create_candidature(
        by=prefecture_58, communes=[monde.clamecy], deposee_le=date(2020, 11, 2)
    )
    candidature = instruct_candidature(candidature=candidature, by=prefecture_58, avis="favorable")
    decide_candidature(
        candidature=candidature, by=region_27, retenue=True, decidee_le=date(2020, 12, 10)
    )
    convention = create_convention_adhesion(by=prefecture_58, communes=[monde.clamecy])

    def sign(_):
        try:
            sign_convention(
                convention=convention,
                by=prefecture_58,
                signee_le=date(2021, 6, 21),
                document=pdf(),
            )
            return "signée"
        except DomainError:
            return "refusée"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(sign, range(2)))

    assert results == ["refusée", "signée"]
    assert TransitionLog.objects.filter(transition="signer").count() == 1


# Concurrent edits --------------------------------------------------------------------------------


def test_a_stale_edit_is_refused_and_says_what_changed(adhesion, prefecture_58, monde):
    version = adhesion.version
    _edit(
        adhesion,
        prefecture_58,
        version,
        cosignataire_conseil_regional=True,
        president_comite="Le maire de Clamecy",
    )

    with pytest.raises(ConflictError) as conflict:
        _edit(adhesion, prefecture_58, version, communes=[monde.clamecy])

    assert ("cosignée par le conseil régional", "non", "oui") in conflict.value.changes
    assert (
        "président(s) du comité de projet",
        "—",
        "Le maire de Clamecy",
    ) in conflict.value.changes
    adhesion.refresh_from_db()
    assert set(adhesion.communes.values_list("pk", flat=True)) == {"58079", "58013"}


def test_two_agents_editing_the_same_convention_never_lose_an_edit(
    client, adhesion, prefecture_58, monde
):
    colleague = type(prefecture_58).objects.create_user("collegue@nievre.gouv.fr", "x" * 16)
    colleague.habilitations.create(role="prefecture", departement=monde.nievre)
    url = reverse("conventions:convention_update", args=["adhesion", adhesion.pk])
    form = {
        "communes": ["58079", "58013"],
        "presidence_comite": "maires_epci",
        "president_comite": "",
        "version": adhesion.version,
    }
    client.force_login(colleague)
    assert client.post(url, {**form, "cosignataire_conseil_departemental": "on"}).status_code == 302
    client.force_login(prefecture_58)

    response = client.post(url, {**form, "president_comite": "Mme la maire de Clamecy"})

    assert response.status_code == 409
    assert "a été modifiée par" in response.text
    assert "cosignée par le conseil départemental" in response.text
    # What the second agent typed is still in the form, ready to be saved on purpose.
    assert 'value="Mme la maire de Clamecy"' in response.text
    adhesion.refresh_from_db()
    assert adhesion.cosignataire_conseil_departemental
    assert adhesion.president_comite == ""
    again = client.post(
        url,
        {
            **form,
            "president_comite": "Mme la maire de Clamecy",
            "version": adhesion.version,
            "cosignataire_conseil_departemental": "on",
        },
    )
    assert again.status_code == 302
    adhesion.refresh_from_db()
    assert (adhesion.president_comite, adhesion.cosignataire_conseil_departemental) == (
        "Mme la maire de Clamecy",
        True,
    )


def test_a_signed_convention_is_changed_by_avenant_only(adhesion_signee, prefecture_58, pdf):
    with pytest.raises(DomainError, match="modifiez-la par un avenant"):
        _edit(adhesion_signee, prefecture_58, adhesion_signee.version, president_comite="X")

    first = create_avenant(
        by=prefecture_58, convention=adhesion_signee, objet="Ajout d’un cosignataire"
    )
    second = create_avenant(by=prefecture_58, convention=adhesion_signee, objet="Autre")
    sign_convention(convention=first, by=prefecture_58, signee_le=date(2022, 1, 5), document=pdf())

    assert [a.numero for a in Avenant.objects.all()] == [1, 2]
    assert Avenant.objects.get(numero=1).etat == EtatConvention.SIGNEE
    with pytest.raises(DomainError, match="avant la convention"):
        sign_convention(
            convention=second, by=prefecture_58, signee_le=date(2021, 1, 5), document=pdf()
        )


# Convention-cadre valant ORT ---------------------------------------------------------------------


def test_the_cadre_completes_a_signed_adhesion(adhesion, prefecture_58):
    with pytest.raises(DomainError, match="complète une convention d’adhésion signée"):
        create_convention_cadre(by=prefecture_58, adhesion=adhesion)


def test_the_cadre_covers_communes_of_its_adhesion_and_signs_after_it(
    adhesion_signee, prefecture_58, monde, pdf
):
    with pytest.raises(DomainError, match="pas dans la convention d’adhésion : Château-Chinon"):
        create_convention_cadre(
            by=prefecture_58, adhesion=adhesion_signee, communes=[monde.chateau_chinon]
        )
    cadre = create_convention_cadre(
        by=prefecture_58,
        adhesion=adhesion_signee,
        orientations=Orientation.objects.filter(code__in=["habitat", "commerce"]),
    )
    with pytest.raises(DomainError, match="avant la convention d’adhésion"):
        sign_convention(
            convention=cadre, by=prefecture_58, signee_le=date(2021, 1, 1), document=pdf()
        )

    sign_convention(convention=cadre, by=prefecture_58, signee_le=date(2023, 3, 9), document=pdf())

    assert set(cadre.communes.values_list("pk", flat=True)) == {"58079", "58013"}
    assert Orientation.objects.count() == 8  # seeded by a data migration


def test_an_ort_signed_before_the_programme_is_kept(laureates, prefecture_58, monde):
    ort = record_ort_hors_cadre(by=prefecture_58, commune=monde.clamecy, signee_le=date(2019, 7, 1))

    assert ort.origine == OrigineOrt.ANTERIEURE
    with pytest.raises(DomainError, match="déjà enregistrée"):
        record_ort_hors_cadre(by=prefecture_58, commune=monde.clamecy, signee_le=date(2019, 7, 1))
