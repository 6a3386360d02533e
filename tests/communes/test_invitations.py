import re
from unittest import mock

import pytest
from django.core import signing
from django.db import IntegrityError
from django.urls import reverse

from communes.enums import Role
from communes.models import Habilitation, Invitation, User
from communes.services import accept_invitation, invite_user
from pvd.exceptions import DomainError, NotAllowed
from tests.factories import HabilitationFactory, UserFactory


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """`invite_user`, with the e-mail task it queues after the commit run at once."""

    def send(**kwargs) -> Invitation:
        with django_capture_on_commit_callbacks(execute=True):
            return invite_user(**kwargs)

    return send


def link_in(mail) -> str:
    return re.search(r"http://\S+", mail.body).group(0).removeprefix("http://127.0.0.1:8000")


# Who may invite whom -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inviter", "role", "territoire", "allowed"),
    [
        ("anct", Role.PREFECTURE, {"departement": "ardeche"}, True),
        ("anct", Role.REGION, {"region": "bfc"}, True),
        ("anct", Role.PARTENAIRE, {"organisation": "banque_des_territoires"}, True),
        ("anct", Role.COMMUNE, {"commune": "clamecy"}, False),
        ("prefecture_58", Role.COMMUNE, {"commune": "clamecy"}, True),
        ("prefecture_58", Role.EPCI, {"epci": "haut_nivernais"}, True),
        # An EPCI straddling two départements: either préfecture may invite its users.
        ("prefecture_58", Role.EPCI, {"epci": "morvan"}, True),
        (
            "prefecture_58",
            Role.PARTENAIRE,
            {"organisation": "banque_des_territoires", "departement": "nievre"},
            True,
        ),
        ("prefecture_58", Role.COMMUNE, {"commune": "privas"}, False),
        ("prefecture_58", Role.COMMUNE, {"commune": "saulieu"}, False),
        ("prefecture_58", Role.EPCI, {"epci": "privas_agglo"}, False),
        ("prefecture_58", Role.PARTENAIRE, {"organisation": "banque_des_territoires"}, False),
        (
            "prefecture_58",
            Role.PARTENAIRE,
            {"organisation": "banque_des_territoires", "region": "bfc"},
            False,
        ),
        ("prefecture_58", Role.PREFECTURE, {"departement": "nievre"}, False),
        ("prefecture_58", Role.ANCT, {}, False),
        ("region_27", Role.COMMUNE, {"commune": "clamecy"}, False),
        ("commune_clamecy", Role.COMMUNE, {"commune": "clamecy"}, False),
        ("epci_haut_nivernais", Role.COMMUNE, {"commune": "armes"}, False),
        ("partenaire", Role.PARTENAIRE, {"organisation": "banque_des_territoires"}, False),
    ],
)
def test_an_invitation_can_only_be_sent_inside_the_inviters_perimeter(
    request, monde, mailoutbox, invite, inviter, role, territoire, allowed
):
    by = request.getfixturevalue(inviter)
    territoire = {field: getattr(monde, name) for field, name in territoire.items()}

    def send():
        return invite(by=by, email="nouvelle@exemple.fr", role=role, **territoire)

    if allowed:
        invitation = send()
        assert invitation.habilitation.role == role
        assert [m.to for m in mailoutbox] == [["nouvelle@exemple.fr"]]
    else:
        with pytest.raises(NotAllowed, match="sort de votre périmètre"):
            send()
        assert not User.objects.filter(email="nouvelle@exemple.fr").exists()
        assert mailoutbox == []


def test_a_commune_user_cannot_even_open_the_invitation_pages(client, commune_clamecy):
    client.force_login(commune_clamecy)

    assert client.get(reverse("communes:invitation_roles")).status_code == 403
    url = reverse("communes:invitation_create", args=["commune"])
    assert client.get(url).status_code == 403


def test_the_form_offers_only_the_communes_of_the_prefecture(client, prefecture_58, monde):
    client.force_login(prefecture_58)

    response = client.get(reverse("communes:invitation_create", args=["commune"]))

    choices = {str(c.value) for c, _ in response.context["form"].fields["commune"].choices if c}
    assert choices == {"58079", "58013", "58062"}


def test_posting_a_commune_of_another_departement_is_refused_and_writes_nothing(
    client, prefecture_58, monde
):
    client.force_login(prefecture_58)

    response = client.post(
        reverse("communes:invitation_create", args=["commune"]),
        {"email": "maire@privas.fr", "commune": "07186"},
    )

    assert response.status_code == 200
    assert "commune" in response.context["form"].errors
    assert not User.objects.filter(email="maire@privas.fr").exists()


# The journey of an invitation ----------------------------------------------------------------


def test_a_prefecture_invites_a_mayor_who_sets_a_password_and_lands_on_its_home(
    client, prefecture_58, monde, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(prefecture_58)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("communes:invitation_create", args=["commune"]),
            {
                "email": "Maire@Clamecy.fr",
                "first_name": "Claire",
                "last_name": "Dupont",
                "commune": "58079",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="maire@clamecy.fr")
    assert not user.is_active
    assert not user.has_usable_password()
    assert [m.subject for m in mailoutbox] == ["Votre accès au portail Petites villes de demain"]
    assert "Commune — Clamecy (58)" in mailoutbox[0].body
    client.logout()

    link = link_in(mailoutbox[0])
    assert client.get(link).status_code == 200
    response = client.post(
        link, {"new_password1": "Nivernais-2026!", "new_password2": "Nivernais-2026!"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accueil")
    user.refresh_from_db()
    assert user.is_active
    assert user.check_password("Nivernais-2026!")
    assert Invitation.objects.get().accepted_at is not None
    home = client.get(reverse("accueil"))
    assert "Mon dossier — Clamecy" in home.text


def test_the_link_works_only_once(client, prefecture_58, monde, mailoutbox, invite):
    invite(by=prefecture_58, email="maire@clamecy.fr", role=Role.COMMUNE, commune=monde.clamecy)
    link = link_in(mailoutbox[0])
    client.post(link, {"new_password1": "Nivernais-2026!", "new_password2": "Nivernais-2026!"})
    client.logout()

    response = client.post(
        link, {"new_password1": "Autre-Secret-2026", "new_password2": "Autre-Secret-2026"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("connexion")
    assert User.objects.get(email="maire@clamecy.fr").check_password("Nivernais-2026!")
    invitation = Invitation.objects.get()
    with pytest.raises(DomainError, match="déjà été utilisée"):
        accept_invitation(invitation=invitation, password="Encore-un-autre-2026")


def test_an_expired_or_forged_link_is_refused(
    client, prefecture_58, monde, mailoutbox, invite, settings
):
    invite(by=prefecture_58, email="maire@clamecy.fr", role=Role.COMMUNE, commune=monde.clamecy)
    link = link_in(mailoutbox[0])

    in_eight_days = signing.time.time() + 8 * 86400
    with mock.patch("django.core.signing.time.time", return_value=in_eight_days):
        assert client.get(link).status_code == 404
    assert client.get(link[:-3] + "xyz/").status_code == 404
    assert not User.objects.get(email="maire@clamecy.fr").is_active


def test_the_password_policy_applies(client, prefecture_58, monde, mailoutbox, invite):
    invite(by=prefecture_58, email="maire@clamecy.fr", role=Role.COMMUNE, commune=monde.clamecy)

    response = client.post(
        link_in(mailoutbox[0]), {"new_password1": "court", "new_password2": "court"}
    )

    assert response.status_code == 200
    assert "au minimum 12 caractères" in response.text
    assert not User.objects.get(email="maire@clamecy.fr").is_active


def test_an_existing_user_simply_gains_the_habilitation(prefecture_58, monde, mailoutbox, invite):
    maire = UserFactory(email="maire@clamecy.fr")

    invitation = invite(
        by=prefecture_58, email="MAIRE@clamecy.fr", role=Role.COMMUNE, commune=monde.clamecy
    )

    assert invitation.habilitation.user == maire
    assert invitation.accepted_at is not None
    assert "/connexion/" in mailoutbox[0].body
    with pytest.raises(DomainError, match="a déjà cette habilitation"):
        invite_user(
            by=prefecture_58, email="maire@clamecy.fr", role=Role.COMMUNE, commune=monde.clamecy
        )


# Scope of the invitations ----------------------------------------------------------------------


def test_a_prefecture_sees_the_invitations_of_its_departement_only(
    client, prefecture_58, prefecture_07, anct, monde, invite
):
    ours = invite(by=prefecture_58, email="a@clamecy.fr", role=Role.COMMUNE, commune=monde.clamecy)
    theirs = invite(by=prefecture_07, email="b@privas.fr", role=Role.COMMUNE, commune=monde.privas)
    colleague = UserFactory()
    HabilitationFactory(user=colleague, role=Role.PREFECTURE, departement=monde.nievre)

    assert set(Invitation.objects.for_user(User.objects.get(pk=colleague.pk))) == {ours}
    assert set(Invitation.objects.for_user(anct)) == {ours, theirs}
    client.force_login(prefecture_58)
    assert client.get(ours.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    resend = reverse("communes:invitation_resend", args=[theirs.pk])
    assert client.post(resend).status_code == 404
    listing = client.get(reverse("communes:invitation_list"))
    assert list(listing.context["invitations"]) == [ours]


def test_resending_sends_a_new_link(
    client, prefecture_58, monde, mailoutbox, invite, django_capture_on_commit_callbacks
):
    invitation = invite(
        by=prefecture_58, email="a@clamecy.fr", role=Role.COMMUNE, commune=monde.clamecy
    )
    client.force_login(prefecture_58)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("communes:invitation_resend", args=[invitation.pk]))

    assert response.status_code == 302
    assert len(mailoutbox) == 2
    assert "/invitation/" in mailoutbox[1].body


# Invariants held by the database -------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"role": Role.PREFECTURE},
        {"role": Role.ANCT, "departement": "nievre"},
        {"role": Role.COMMUNE, "commune": "clamecy", "epci": "haut_nivernais"},
        {"role": Role.PARTENAIRE},
        {
            "role": Role.PARTENAIRE,
            "organisation": "banque_des_territoires",
            "region": "bfc",
            "departement": "nievre",
        },
    ],
)
def test_a_habilitation_names_exactly_the_territory_of_its_role(monde, fields):
    values = {k: getattr(monde, v) if k != "role" else v for k, v in fields.items()}

    with pytest.raises(IntegrityError):
        Habilitation.objects.create(user=UserFactory(), **values)


def test_the_same_habilitation_cannot_be_given_twice(monde):
    user = UserFactory()
    Habilitation.objects.create(user=user, role=Role.PREFECTURE, departement=monde.nievre)

    with pytest.raises(IntegrityError):
        Habilitation.objects.create(user=user, role=Role.PREFECTURE, departement=monde.nievre)
