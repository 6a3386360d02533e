"""Personal API tokens (« Mes jetons d'API »): created and revoked by their owner, shown once,
stored hashed (django-rest-knox), with exactly the rights of their user on the API."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from communes.models import DureeJeton, JetonAPI
from communes.services import create_token, revoke_token
from pvd.exceptions import DomainError

LISTE = reverse("communes:jeton_list")
CREER = reverse("communes:jeton_create")
API = reverse("api:tableau_de_bord")


def api_client(cle: str) -> Client:
    """A client without session: the token alone says who calls."""
    return Client(headers={"Authorization": f"Token {cle}"})


def revoquer(jeton: JetonAPI) -> str:
    return reverse("communes:jeton_revoke", args=[jeton.pk])


# Creation --------------------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_only_its_digest_is_stored(as_persona, prefecture_58):
    client = as_persona("prefecture_58")

    response = client.post(CREER, {"libelle": "SI Banque des Territoires", "duree": 90})

    assert response.status_code == 200
    cle = response.context["cle"]
    assert cle.startswith("pvd_")
    assert len(cle) == len("pvd_") + 64
    assert cle in response.text
    assert "Copiez votre jeton maintenant" in response.text
    assert "no-store" in response["Cache-Control"]
    jeton = JetonAPI.objects.select_related("token").get()
    assert jeton.libelle == "SI Banque des Territoires"
    assert jeton.token.user == prefecture_58
    assert timedelta(days=89) < jeton.token.expiry - timezone.now() <= timedelta(days=90)
    # Stored hashed: the plain text is in no column, only its first characters (to find the row).
    stored = [str(value) for value in AuthToken.objects.values_list().get()]
    stored += [str(value) for value in JetonAPI.objects.values_list().get()]
    assert not any(cle in value for value in stored)
    assert jeton.token.token_key == cle[:15]
    assert jeton.fin_de_cle == cle[7:15]
    # Never shown again.
    page = client.get(LISTE)
    assert cle not in page.text
    assert "SI Banque des Territoires" in page.text
    assert f"…&#8288;{jeton.fin_de_cle}&#8288;…" in page.text


def test_the_page_lists_only_the_users_own_tokens_with_french_dates(
    as_persona, prefecture_58, prefecture_07
):
    create_token(by=prefecture_58, libelle="Outil de suivi", duree=DureeJeton.UN_AN)
    create_token(by=prefecture_07, libelle="Outil de l’Ardèche", duree=DureeJeton.UN_AN)

    response = as_persona("prefecture_58").get(LISTE)

    assert [j.libelle for j in response.context["jetons"]] == ["Outil de suivi"]
    assert "Outil de l’Ardèche" not in response.text
    expiry = response.context["jetons"][0].token.expiry
    assert f"{expiry.day} " in response.text
    assert "Révoquer" in response.text


def test_a_label_is_required(as_persona):
    response = as_persona("prefecture_58").post(CREER, {"libelle": "  ", "duree": 30})

    assert response.status_code == 200
    assert response.context["form"].errors["libelle"]
    assert not JetonAPI.objects.exists()
    assert not AuthToken.objects.exists()


def test_only_the_offered_durations_are_accepted(prefecture_58):
    with pytest.raises(DomainError, match="durée"):
        create_token(by=prefecture_58, libelle="Pour toujours", duree=10_000)


def test_a_user_holds_at_most_twenty_valid_tokens(as_persona, prefecture_58):
    for numero in range(20):
        create_token(by=prefecture_58, libelle=f"Jeton {numero}", duree=DureeJeton.TRENTE_JOURS)

    response = as_persona("prefecture_58").post(CREER, {"libelle": "Un de trop", "duree": 30})

    assert response.status_code == 200
    assert (
        "Vous avez déjà 20 jetons d’API valides, le maximum : révoquez-en un avant d’en créer "
        "un autre." in response.text
    )
    assert JetonAPI.objects.count() == 20
    # An expired token no longer counts.
    AuthToken.objects.filter(pk=AuthToken.objects.first().pk).update(
        expiry=timezone.now() - timedelta(minutes=1)
    )
    create_token(by=prefecture_58, libelle="Un de plus", duree=DureeJeton.TRENTE_JOURS)


# The API with a token ---------------------------------------------------------------------------


@pytest.mark.parametrize(("owner", "expected"), [("prefecture_58", 200), ("prefecture_07", 404)])
def test_a_token_has_the_rights_of_its_user(request, monde, owner, expected):
    _, cle = create_token(by=request.getfixturevalue(owner), libelle="SI", duree=DureeJeton.UN_AN)

    response = api_client(cle).get(API, {"perimetre": "departement:58"})

    assert response.status_code == expected
    if expected == 200:
        assert response.json()["perimetre"] == "departement:58"


def test_a_revoked_token_gets_401(prefecture_58):
    jeton, cle = create_token(by=prefecture_58, libelle="SI", duree=DureeJeton.UN_AN)
    assert api_client(cle).get(API, {"perimetre": "departement:58"}).status_code == 200

    revoke_token(by=prefecture_58, pk=jeton.pk)
    response = api_client(cle).get(API, {"perimetre": "departement:58"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.exists()


def test_an_expired_token_gets_401(prefecture_58):
    jeton, cle = create_token(by=prefecture_58, libelle="SI", duree=DureeJeton.TRENTE_JOURS)
    AuthToken.objects.filter(pk=jeton.token.pk).update(expiry=timezone.now() - timedelta(seconds=1))

    response = api_client(cle).get(API, {"perimetre": "departement:58"})

    assert response.status_code == 401
    assert not JetonAPI.objects.exists()  # knox deleted it, and its label went with it


def test_a_forged_token_gets_401(prefecture_58):
    _, cle = create_token(by=prefecture_58, libelle="SI", duree=DureeJeton.UN_AN)

    response = api_client(cle[:-1] + ("0" if cle[-1] != "0" else "1")).get(API)

    assert response.status_code == 401


def test_the_browser_session_still_authenticates_the_api(as_persona):
    response = as_persona("prefecture_58").get(API, {"perimetre": "departement:58"})

    assert response.status_code == 200


# Revocation -------------------------------------------------------------------------------------


def test_the_owner_revokes_its_token(as_persona, prefecture_58):
    jeton, _ = create_token(by=prefecture_58, libelle="Ancien outil", duree=DureeJeton.UN_AN)
    client = as_persona("prefecture_58")

    response = client.post(revoquer(jeton), follow=True)

    assert response.redirect_chain == [(LISTE, 302)]
    assert "Le jeton « Ancien outil » est révoqué." in response.text
    assert not JetonAPI.objects.exists()
    assert not AuthToken.objects.exists()


def test_a_user_cannot_revoke_anothers_token(as_persona, prefecture_58):
    jeton, cle = create_token(by=prefecture_58, libelle="SI", duree=DureeJeton.UN_AN)

    response = as_persona("prefecture_07").post(revoquer(jeton))

    assert response.status_code == 404
    assert JetonAPI.objects.filter(pk=jeton.pk).exists()
    assert api_client(cle).get(API, {"perimetre": "departement:58"}).status_code == 200


def test_the_anct_cannot_revoke_a_prefectures_token_either(as_persona, prefecture_58):
    jeton, _ = create_token(by=prefecture_58, libelle="SI", duree=DureeJeton.UN_AN)

    assert as_persona("anct").post(revoquer(jeton)).status_code == 404
    assert JetonAPI.objects.filter(pk=jeton.pk).exists()


def test_the_service_refuses_anothers_token(prefecture_58, prefecture_07):
    jeton, _ = create_token(by=prefecture_58, libelle="SI", duree=DureeJeton.UN_AN)

    with pytest.raises(DomainError, match="n’existe pas"):
        revoke_token(by=prefecture_07, pk=jeton.pk)
    assert JetonAPI.objects.filter(pk=jeton.pk).exists()


# Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "url"), [("get", LISTE), ("post", CREER)])
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, method, url):
    response = getattr(client, method)(url, {"libelle": "SI", "duree": 30})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("connexion"))
    assert not AuthToken.objects.exists()


def test_the_header_links_to_the_page_for_a_logged_in_user(as_persona, client):
    assert f'href="{LISTE}"' not in client.get(reverse("communes:territoires")).text

    html = as_persona("commune_clamecy").get(reverse("communes:territoires")).text

    assert f'href="{LISTE}">Mes jetons d’API</a>' in html
