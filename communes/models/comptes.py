"""Who belongs where: users, partner organisations, habilitations (a role on a territory) and
the invitations that give them.
"""

from __future__ import annotations

import operator
from datetime import timedelta
from functools import reduce

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from communes.enums import ROLES_INVITABLES, CategorieOrganisation, Role
from communes.models.territoires import EPCI, Commune, Departement, Region
from communes.perimetre import NATIONAL, Perimetre


class Organisation(models.Model):
    """A partner organisation (Banque des Territoires, Anah, Cerema…).

    It lives here, at the bottom of the dependency graph, because habilitations point to it;
    the `financements` app maintains the programme's referential of organisations.
    """

    nom = models.CharField(max_length=200, unique=True)
    sigle = models.CharField(max_length=50, blank=True)
    categorie = models.CharField(max_length=20, choices=CategorieOrganisation.choices)
    # The referential's stable key ("anct", "anah", "cd-58"…); empty for organisations added
    # by hand.
    code = models.SlugField(
        "code du référentiel", max_length=50, unique=True, null=True, blank=True
    )
    # A conseil départemental or régional is the collectivité of its territory.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(departement__isnull=True),
                name="organisation_d_un_seul_territoire",
            ),
        ]

    def __str__(self) -> str:
        return self.sigle or self.nom


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """E-mail addresses are stored in lower case: one person, one account."""
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email=self.normalize_email(username))

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    is_staff = models.BooleanField(
        "accès à l’administration technique",
        default=False,
        help_text="Permet de se connecter à l’interface d’administration Django.",
    )
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)
    # The person's identifier at ProConnect (the `sub` claim), recorded at their first
    # ProConnect login: later logins match it, whatever e-mail address ProConnect then gives.
    proconnect_sub = models.CharField(
        "identifiant ProConnect", max_length=255, blank=True, editable=False
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="user_email_en_minuscules"
            ),
            models.UniqueConstraint(
                fields=["proconnect_sub"],
                condition=~Q(proconnect_sub=""),
                name="user_proconnect_sub_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @cached_property
    def habilitations_list(self) -> list[Habilitation]:
        """The user's habilitations with their territories (one query, cached on the user)."""
        return list(
            self.habilitations.select_related(
                "region", "departement", "epci", "commune__departement", "organisation"
            )
        )

    @cached_property
    def perimetre(self) -> Perimetre:
        if self.is_superuser:
            return NATIONAL
        return Perimetre.from_habilitations(self.habilitations_list)

    def has_role(self, *roles: Role) -> bool:
        return any(habilitation.role in roles for habilitation in self.habilitations_list)


# The fields a habilitation of each role fills (the others stay empty). A partner may also name
# a région or a département as its territory; without one it works nationally.
CHAMPS_PAR_ROLE: dict[str, tuple[str, ...]] = {
    Role.ANCT: (),
    Role.PREFECTURE: ("departement",),
    Role.REGION: ("region",),
    Role.COMMUNE: ("commune",),
    Role.EPCI: ("epci",),
    Role.PARTENAIRE: ("organisation",),
}
_CHAMPS = ("region", "departement", "epci", "commune", "organisation")


def _perimetre_du_role_constraint() -> Q:
    by_role = []
    for role, required in CHAMPS_PAR_ROLE.items():
        optional = ("region", "departement") if role == Role.PARTENAIRE else ()
        fields = {
            f"{name}__isnull": name not in required for name in _CHAMPS if name not in optional
        }
        by_role.append(Q(role=role, **fields))
    # A partner's optional territory is a région or a département, not both.
    return reduce(operator.or_, by_role) & ~Q(region__isnull=False, departement__isnull=False)


def _one_habilitation_per_territory() -> list[models.UniqueConstraint]:
    constraints = []
    for role, fields in CHAMPS_PAR_ROLE.items():
        if role == Role.PARTENAIRE:
            continue
        constraints.append(
            models.UniqueConstraint(
                fields=["user", *fields], condition=Q(role=role), name=f"habilitation_{role}_unique"
            )
        )
    for territory in ("region", "departement"):
        constraints.append(
            models.UniqueConstraint(
                fields=["user", "organisation", territory],
                condition=Q(role=Role.PARTENAIRE, **{f"{territory}__isnull": False}),
                name=f"habilitation_partenaire_{territory}_unique",
            )
        )
    constraints.append(
        models.UniqueConstraint(
            fields=["user", "organisation"],
            condition=Q(role=Role.PARTENAIRE, region__isnull=True, departement__isnull=True),
            name="habilitation_partenaire_national_unique",
        )
    )
    return constraints


class Habilitation(models.Model):
    """A role on a perimeter: what one user may see and do. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="habilitations")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, null=True, blank=True)
    epci = models.ForeignKey(
        EPCI, on_delete=models.PROTECT, null=True, blank=True, verbose_name="EPCI"
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=_perimetre_du_role_constraint(), name="habilitation_perimetre_du_role"
            ),
            *_one_habilitation_per_territory(),
        ]

    def __str__(self) -> str:
        label = self.get_role_display()
        if self.role == Role.PARTENAIRE:
            return f"{label} — {self.organisation.nom}, {self.territoire or 'France entière'}"
        return f"{label} — {self.territoire}" if self.territoire else label

    @property
    def territoire(self) -> Region | Departement | EPCI | Commune | None:
        """The territory the habilitation covers; None means all France."""
        return self.region or self.departement or self.epci or self.commune

    @property
    def perimetre(self) -> Perimetre:
        return Perimetre.from_habilitations([self])


class InvitationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The invitations `user` sent, and those it could have sent: whose habilitation's
        territory lies inside the territory of one of its inviting habilitations."""
        if not user.is_authenticated:
            return self.none()
        condition = Q(invited_by=user)
        for habilitation in user.habilitations_list:
            if habilitation.role not in ROLES_INVITABLES:
                continue
            perimetre = habilitation.perimetre
            if perimetre.national:
                return self
            communes = Commune.objects.filter(perimetre.communes_q())
            condition |= (
                Q(habilitation__commune__in=communes)
                | Q(
                    habilitation__epci__in=EPCI.objects.filter(
                        Exists(communes.filter(epci=OuterRef("pk")))
                    )
                )
                | Q(habilitation__departement__in=Departement.objects.covered_by(perimetre))
                | Q(habilitation__region__in=Region.objects.covered_by(perimetre))
            )
        return self.filter(condition)


class Invitation(models.Model):
    """An invitation e-mail giving a habilitation; a new user sets its password with the link."""

    habilitation = models.OneToOneField(
        Habilitation, on_delete=models.CASCADE, related_name="invitation"
    )
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="invitations_sent", verbose_name="invité par"
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    # The last e-mail: the link it carries is valid INVITATION_VALIDITY_DAYS days from then.
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation de {self.habilitation.user} ({self.habilitation})"

    def get_absolute_url(self) -> str:
        return reverse("communes:invitation_detail", args=[self.pk])

    @property
    def user(self) -> User:
        return self.habilitation.user

    @property
    def expires_at(self):
        sent_at = self.sent_at or self.created_at
        return sent_at + timedelta(days=settings.INVITATION_VALIDITY_DAYS)

    @property
    def statut(self) -> str:
        if self.accepted_at is not None:
            return "acceptée"
        return "expirée" if timezone.now() > self.expires_at else "en attente"
