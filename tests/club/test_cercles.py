"""Cercles thématiques: read by every signed-in user, run by the Club team (a cercle, refused
when someone saved in between; members joining and leaving)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from club import services
from club.models import Cercle, MembreCercle, Participant
from communes.models import Organisation
from tests.club.conftest import paris


@pytest.fixture
def membre(cercle, anct, laureates, monde):
    return services.add_membre(
        by=anct,
        cercle=cercle,
        commune=monde.clamecy,
        email="Maire@Clamecy.fr",
        prenom="Claude",
        nom="Bernard",
        fonction="Maire",
        depuis=date(2021, 10, 1),
    )


def _reunion(anct, cercle, thematiques, publier=True, jour=14):
    evenement = services.create_evenement(
        by=anct,
        type="reunion_cercle",
        titre=f"Réunion du {jour} décembre",
        thematique=thematiques["securite-du-quotidien"],
        cercle=cercle,
        debut=paris(2021, 12, jour, 10, 0),
        fin=paris(2021, 12, jour, 12, 0),
        lien="https://visio.example.org/cercle",
    )
    return services.publier_evenement(evenement=evenement, by=anct) if publier else evenement


def _form_data(cercle: Cercle, **changes) -> dict:
    data = {
        "titre": cercle.titre,
        "thematique": cercle.thematique_id,
        "debut": cercle.debut.isoformat(),
        "fin": cercle.fin.isoformat(),
        "copilotes": [o.pk for o in cercle.copilotes.all()],
        "description": cercle.description,
        "version": cercle.version,
    }
    return {**data, **changes}


# Reading ------------------------------------------------------------------------------------


def test_every_signed_in_user_reads_the_cercles(
    client, commune_clamecy, cercle, membre, thematiques, anct
):
    reunion = _reunion(anct, cercle, thematiques)
    brouillon = _reunion(anct, cercle, thematiques, publier=False, jour=20)
    client.force_login(commune_clamecy)

    listing = client.get(reverse("club:cercle_list"))
    detail = client.get(cercle.get_absolute_url())

    assert listing.status_code == 200
    [row] = listing.context["cercles"]
    assert (row.nombre_membres, row.nombre_reunions) == (1, 2)
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "<td>Claude Bernard</td>" in html
    assert "<td>Maire</td>" in html
    assert "<td>Clamecy (58)</td>" in html
    assert "1 membre actuel" in html
    assert "29 septembre 2021" in html
    for organisation in cercle.copilotes.all():
        assert organisation.nom in html
    # A meeting in preparation is not shown outside the Club team.
    assert list(detail.context["reunions"]) == [reunion]
    assert reverse("club:evenement_detail", args=[reunion.pk]) in html
    assert brouillon.titre not in html
    assert reverse("club:cercle_update", args=[cercle.pk]) not in html


def test_anonymous_is_sent_to_the_login_page(client, cercle):
    response = client.get(reverse("club:cercle_list"))

    assert response.status_code == 302
    assert reverse("connexion") in response["Location"]


def test_an_unknown_cercle_is_404(client, anct, cercle):
    client.force_login(anct)

    assert client.get(reverse("club:cercle_detail", args=[cercle.pk + 1])).status_code == 404


def test_former_members_are_shown_but_not_counted(client, anct, cercle, membre, laureates):
    services.end_membre(by=anct, membre=membre, le=date(2022, 3, 31))
    client.force_login(anct)

    response = client.get(cercle.get_absolute_url())

    assert response.context["nombre_actuels"] == 0
    html = response.content.decode()
    assert "jusqu’au 31 mars 2022" in html
    assert "Aucun membre actuel (1 depuis le début)" in html


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_cercle_page_costs_the_same_with_1_or_10_members(
    client, anct, cercle, membre, monde, thematiques
):
    client.force_login(anct)
    _reunion(anct, cercle, thematiques)
    one = (_count(client, cercle.get_absolute_url()), _count(client, reverse("club:cercle_list")))

    for i in range(9):
        services.add_membre(
            by=anct,
            cercle=cercle,
            commune=monde.armes if i % 2 else monde.clamecy,
            email=f"elu{i}@example.org",
            prenom="Élu",
            nom=str(i),
            depuis=date(2021, 10, 1),
        )
    _reunion(anct, cercle, thematiques, jour=21)

    assert (
        _count(client, cercle.get_absolute_url()),
        _count(client, reverse("club:cercle_list")),
    ) == one


# Creating and editing a cercle --------------------------------------------------------------


def test_anct_creates_a_cercle(client, anct, thematiques, referentiel):
    client.force_login(anct)
    copilotes = Organisation.objects.filter(code__in=["anct", "puca"])

    response = client.post(
        reverse("club:cercle_create"),
        {
            "titre": "Cercle « Commerce »",
            "thematique": "revitalisation-commerciale",
            "debut": "2022-01-10",
            "fin": "2023-01-09",
            "copilotes": [o.pk for o in copilotes],
            "description": "Un an pour réouvrir les boutiques.",
        },
    )

    cercle = Cercle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == cercle.get_absolute_url()
    assert (cercle.titre, cercle.debut, cercle.fin) == (
        "Cercle « Commerce »",
        date(2022, 1, 10),
        date(2023, 1, 9),
    )
    assert set(cercle.copilotes.all()) == set(copilotes)
    assert cercle.created_by == anct


def test_a_cercle_ending_before_it_starts_is_refused(client, anct, thematiques):
    client.force_login(anct)

    response = client.post(
        reverse("club:cercle_create"),
        {
            "titre": "À l’envers",
            "thematique": "revitalisation-commerciale",
            "debut": "2022-01-10",
            "fin": "2022-01-01",
        },
    )

    assert response.status_code == 400
    assert "La fin du cercle doit venir après son début." in response.content.decode()
    assert not Cercle.objects.exists()


@pytest.mark.parametrize(
    "persona",
    ["prefecture_58", "region_27", "commune_clamecy", "epci_haut_nivernais", "partenaire"],
)
def test_only_the_club_team_runs_cercles(as_persona, persona, cercle, membre):
    client = as_persona(persona)
    urls = [
        reverse("club:cercle_create"),
        reverse("club:cercle_update", args=[cercle.pk]),
        reverse("club:membre_create", args=[cercle.pk]),
        reverse("club:membre_end", args=[membre.pk]),
    ]

    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"titre": "Piraté"}).status_code == 403, url
    cercle.refresh_from_db()
    assert cercle.titre == "Cercle « Sécurité du quotidien »"


def test_anct_updates_a_cercle(client, anct, cercle):
    client.force_login(anct)

    response = client.post(
        reverse("club:cercle_update", args=[cercle.pk]),
        _form_data(cercle, titre="Cercle « Tranquillité publique »", copilotes=[]),
    )

    assert response.status_code == 302
    cercle.refresh_from_db()
    assert (cercle.titre, cercle.version) == ("Cercle « Tranquillité publique »", 2)
    assert not cercle.copilotes.exists()


def test_a_stale_update_gets_409_and_keeps_what_was_typed(client, anct, cercle):
    client.force_login(anct)
    opened = client.get(reverse("club:cercle_update", args=[cercle.pk]))
    data = _form_data(cercle, titre="Mon titre", version=opened.context["form"]["version"].value())
    # Someone saves in between.
    services.update_cercle(by=anct, cercle=cercle, expected_version=1, titre="Leur titre")

    response = client.post(reverse("club:cercle_update", args=[cercle.pk]), data)

    assert response.status_code == 409
    cercle.refresh_from_db()
    assert cercle.titre == "Leur titre"
    html = response.content.decode()
    assert "Modifié entre-temps" in html
    assert 'value="Mon titre"' in html
    # The next save is made against the current version.
    assert response.context["form"].data["version"] == 2
    assert (
        client.post(
            reverse("club:cercle_update", args=[cercle.pk]), {**data, "version": 2}
        ).status_code
        == 302
    )


# Members ------------------------------------------------------------------------------------


def test_anct_adds_a_member(client, anct, cercle, laureates, monde):
    client.force_login(anct)

    response = client.post(
        reverse("club:membre_create", args=[cercle.pk]),
        {
            "commune": monde.armes.pk,
            "email": "Adjoint@Armes.fr",
            "prenom": "Sam",
            "nom": "Colin",
            "fonction": "Adjoint à la sécurité",
            "depuis": "2021-11-02",
        },
        follow=True,
    )

    assert response.redirect_chain == [(cercle.get_absolute_url(), 302)]
    membre = MembreCercle.objects.get()
    assert (membre.commune, membre.fonction, membre.depuis) == (
        monde.armes,
        "Adjoint à la sécurité",
        date(2021, 11, 2),
    )
    assert membre.participant == Participant.objects.get(email="adjoint@armes.fr")
    assert "Sam Colin (Armes) a rejoint le cercle." in [
        str(m) for m in response.context["messages"]
    ]


def test_members_come_from_the_programme_communes(client, anct, cercle, laureates, monde):
    client.force_login(anct)
    url = reverse("club:membre_create", args=[cercle.pk])

    offered = client.get(url).context["form"].fields["commune"].queryset
    response = client.post(
        url,
        {
            "commune": monde.privas.pk,
            "email": "elu@privas.fr",
            "prenom": "A",
            "nom": "B",
            "depuis": "2021-11-02",
        },
    )

    assert set(offered) == {monde.clamecy, monde.armes}
    assert response.status_code == 400
    assert not MembreCercle.objects.exists()


def test_a_member_joins_during_the_cercle_and_once(client, anct, cercle, membre, monde):
    client.force_login(anct)
    url = reverse("club:membre_create", args=[cercle.pk])
    data = {"commune": monde.clamecy.pk, "prenom": "Claude", "nom": "Bernard"}

    late = client.post(url, {**data, "email": "autre@clamecy.fr", "depuis": "2023-01-01"})
    twice = client.post(url, {**data, "email": "maire@clamecy.fr", "depuis": "2021-11-02"})

    assert late.status_code == 400
    assert "pendant la période du cercle" in late.content.decode()
    assert twice.status_code == 400
    assert "est déjà membre de ce cercle" in twice.content.decode()
    assert MembreCercle.objects.count() == 1


def test_anct_ends_a_membership(client, anct, membre):
    client.force_login(anct)
    url = reverse("club:membre_end", args=[membre.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"le": "2022-06-30"})

    assert response.status_code == 302
    membre.refresh_from_db()
    assert membre.jusqu_au == date(2022, 6, 30)


def test_a_membership_cannot_end_before_it_began(client, anct, membre):
    client.force_login(anct)

    response = client.post(
        reverse("club:membre_end", args=[membre.pk]),
        {"le": (membre.depuis - timedelta(days=1)).isoformat()},
    )

    assert response.status_code == 400
    assert "ne peut pas précéder la date d’entrée" in response.content.decode()
    membre.refresh_from_db()
    assert membre.jusqu_au is None


def test_an_unknown_membership_is_404(client, anct, membre):
    client.force_login(anct)

    assert client.get(reverse("club:membre_end", args=[membre.pk + 1])).status_code == 404
