"""The DSFR shell: header, navigation by role, footer, skip links, home pages."""

import pytest
from django.urls import reverse

from communes.enums import Role
from tests.factories import MOT_DE_PASSE, HabilitationFactory, UserFactory


def test_every_page_has_the_state_header_footer_and_skip_links(client, monde):
    html = client.get(reverse("index")).text

    assert '<html lang="fr"' in html
    assert "République<br>française" in html  # the Marianne block
    assert 'class="fr-header__service-title"' in html
    assert "Petites villes de demain" in html
    assert 'alt="Agence nationale de la cohésion des territoires"' in html  # the operator
    assert 'class="fr-skiplinks"' in html
    for link in ('href="#content"', 'href="#navigation-principale"', 'href="#footer"'):
        assert link in html
    for text in ("Accessibilité : non conforme", "Mentions légales", "Données personnelles"):
        assert text in html
    assert "dsfr.module.min.js" in html


@pytest.mark.parametrize("name", ["mentions_legales", "accessibilite", "donnees_personnelles"])
def test_the_legal_pages_are_public(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert response.context["SITE_CONFIG"].site_title == "Petites villes de demain"


PROGRAMME = ["Ingénierie", "Financements", "Club PVD"]
# Who may import financing lines, posts or soutiens also has the « Imports » menu.
IMPORTEURS = ["Ingénierie", "Financements", "Imports", "Club PVD"]


def navigation(client) -> list[str]:
    response = client.get(reverse("communes:territoires"))
    return [item.label for item in response.context["navigation"]]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonyme", ["Accueil", "Communes PVD", "Agenda du Club", "Territoires"]),
        (
            "anct",
            [
                "Mon espace",
                "Dossiers",
                "Tableau de bord",
                *PROGRAMME,
                "Communes PVD",
                "Territoires",
                "Invitations",
                "Journal",
            ],
        ),
        (
            "prefecture_58",
            [
                "Mon espace",
                "Dossiers",
                "Tableau de bord",
                *IMPORTEURS,
                "Communes PVD",
                "Territoires",
                "Invitations",
            ],
        ),
        (
            "region_27",
            [
                "Mon espace",
                "Dossiers",
                "Tableau de bord",
                *PROGRAMME,
                "Communes PVD",
                "Territoires",
            ],
        ),
        (
            "commune_clamecy",
            [
                "Mon espace",
                "Dossiers",
                "Tableau de bord",
                *PROGRAMME,
                "Communes PVD",
                "Territoires",
            ],
        ),
        (
            "epci_haut_nivernais",
            [
                "Mon espace",
                "Dossiers",
                "Tableau de bord",
                *PROGRAMME,
                "Communes PVD",
                "Territoires",
            ],
        ),
        (
            "partenaire",
            [
                "Mon espace",
                "Dossiers",
                "Tableau de bord",
                *IMPORTEURS,
                "Communes PVD",
                "Territoires",
            ],
        ),
    ],
)
def test_the_navigation_depends_on_the_roles(as_persona, persona, expected):
    assert navigation(as_persona(persona)) == expected


def test_staff_see_the_administration(client, monde):
    client.force_login(UserFactory(is_staff=True))

    assert navigation(client)[-1] == "Administration"


def test_private_pages_send_anonymous_visitors_to_the_login_page(client, monde):
    for url in (reverse("accueil"), reverse("communes:invitation_list")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("connexion") + "?next=")


def test_logging_in_with_the_email_lands_on_my_home(client, prefecture_58):
    response = client.post(
        reverse("connexion"), {"username": "PREF58@nievre.gouv.fr", "password": MOT_DE_PASSE}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accueil")


def test_a_wrong_password_gives_a_french_message(client, prefecture_58):
    response = client.post(
        reverse("connexion"), {"username": "pref58@nievre.gouv.fr", "password": "faux"}
    )

    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in response.text


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("anct", "France entière"),
        ("prefecture_58", "Nièvre"),
        ("region_27", "Bourgogne-Franche-Comté"),
        ("commune_clamecy", "Mon dossier — Clamecy"),
        ("epci_haut_nivernais", "CC Haut Nivernais - Val d&#x27;Yonne"),
        ("partenaire", "Banque des Territoires"),
    ],
)
def test_each_role_has_its_home(as_persona, persona, heading):
    response = as_persona(persona).get(reverse("accueil"))

    assert response.status_code == 200
    assert heading in response.text


def test_the_national_home_counts_the_territories(client, anct):
    client.force_login(anct)

    data = client.get(reverse("accueil")).context["panneaux"][0].data

    assert (len(data["regions"]), data["departements_count"], data["communes_count"]) == (2, 3, 5)


def test_a_user_with_two_habilitations_sees_both(client, monde):
    user = UserFactory()
    HabilitationFactory(user=user, role=Role.PREFECTURE, departement=monde.ardeche)
    HabilitationFactory(user=user, role=Role.COMMUNE, commune=monde.clamecy)
    client.force_login(user)

    html = client.get(reverse("accueil")).text

    assert "Ardèche" in html
    assert "Mon dossier — Clamecy" in html


def test_a_user_without_habilitation_is_told_what_to_do(client, monde):
    client.force_login(UserFactory())

    assert "Aucune habilitation" in client.get(reverse("accueil")).text


def test_unknown_pages_answer_a_dsfr_404(client, monde):
    response = client.get("/page-inexistante/")

    assert response.status_code == 404
    assert "Page non trouvée" in response.text


def test_a_forgotten_password_is_reset_through_the_emailed_link(client, prefecture_58, mailoutbox):
    client.post(reverse("password_reset"), {"email": "pref58@nievre.gouv.fr"})
    assert len(mailoutbox) == 1
    link = next(w for w in mailoutbox[0].body.split() if "/mot-de-passe/nouveau/" in w)
    link = link.removeprefix("http://testserver")

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nouveau-secret-2026", "new_password2": "Nouveau-secret-2026"},
    )

    assert response.status_code == 302
    connexion = {"username": "pref58@nievre.gouv.fr", "password": "Nouveau-secret-2026"}
    assert client.post(reverse("connexion"), connexion).status_code == 302


def test_the_programme_menus_open_on_their_pages(as_persona):
    client = as_persona("prefecture_58")
    response = client.get(reverse("financements:comite_list"))
    menus = {item.label: item for item in response.context["navigation"]}

    assert menus["Financements"].active
    assert [c.label for c in menus["Financements"].children if c.active] == [
        "Comités des financeurs"
    ]
    assert not menus["Ingénierie"].active
    assert 'aria-controls="menu-financements"' in response.content.decode()


def test_only_the_best_matching_entry_of_a_menu_is_active(as_persona):
    response = as_persona("anct").get(reverse("club:chiffres"))
    menus = {item.label: item for item in response.context["navigation"]}

    assert [c.label for c in menus["Club PVD"].children if c.active] == ["Chiffres du Club"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "anct",
            [
                "Agenda des événements",
                "Mes inscriptions",
                "Cercles thématiques",
                "Chiffres du Club",
                "Audience",
            ],
        ),
        (
            "region_27",
            ["Agenda des événements", "Cercles thématiques", "Chiffres du Club", "Audience"],
        ),
        (
            "commune_clamecy",
            [
                "Agenda des événements",
                "Mes inscriptions",
                "Cercles thématiques",
                "Chiffres du Club",
                "Audience",
            ],
        ),
    ],
)
def test_the_club_menu_depends_on_the_roles(as_persona, persona, expected):
    response = as_persona(persona).get(reverse("communes:territoires"))
    menus = {item.label: item for item in response.context["navigation"]}

    assert [child.label for child in menus["Club PVD"].children] == expected
