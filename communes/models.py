"""Territories of the official COG, and who belongs where (users, habilitations, organisations).

Territories are reference data imported from `@etalab/decoupage-administratif` by
`manage.py import_territoires`. They are addressed by their official codes, which are their
primary keys (INSEE code, SIREN for an EPCI), and are never deleted: a territory that leaves the
COG is marked obsolete.
"""

from __future__ import annotations

import operator
import re
from datetime import timedelta
from functools import reduce

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from communes.enums import ROLES_INVITABLES, CategorieOrganisation, Role, TypeEPCI
from communes.perimetre import NATIONAL, Perimetre
from pvd.text import normalize_query

# Territories ------------------------------------------------------------------------------


class TerritoireQuerySet(models.QuerySet):
    def actuels(self):
        return self.filter(obsolete=False)

    def _having_communes_in_perimetre_of(self, user, link: str):
        """Keep the territories one of whose communes (`link` leads from a Commune) is visible."""
        perimetre = Perimetre.of(user)
        if perimetre.national:
            return self
        communes = Commune.objects.filter(perimetre.communes_q(), **{link: OuterRef("pk")})
        return self.filter(Exists(communes))


class RegionQuerySet(TerritoireQuerySet):
    def for_user(self, user):
        return self._having_communes_in_perimetre_of(user, "departement__region")

    def covered_by(self, perimetre: Perimetre):
        """The régions entirely inside `perimetre`."""
        return self if perimetre.national else self.filter(code__in=perimetre.regions)

    def annotate_counts(self):
        current = Q(departements__communes__obsolete=False)
        return self.annotate(
            departements_count=Count(
                "departements", filter=Q(departements__obsolete=False), distinct=True
            ),
            communes_count=Count("departements__communes", filter=current),
        )


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    obsolete = models.BooleanField(default=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["nom"]
        verbose_name = "région"

    def __str__(self) -> str:
        return self.nom

    def get_absolute_url(self) -> str:
        return reverse("communes:region_detail", args=[self.code])


class DepartementQuerySet(TerritoireQuerySet):
    def for_user(self, user):
        return self._having_communes_in_perimetre_of(user, "departement")

    def covered_by(self, perimetre: Perimetre):
        """The départements entirely inside `perimetre`."""
        if perimetre.national:
            return self
        return self.filter(Q(code__in=perimetre.departements) | Q(region__in=perimetre.regions))

    def annotate_counts(self):
        current = Q(communes__obsolete=False)
        return self.annotate(
            communes_count=Count("communes", filter=current),
            population=Sum("communes__population", filter=current),
        )


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    obsolete = models.BooleanField(default=False)

    objects = DepartementQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self) -> str:
        return f"{self.nom} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("communes:departement_detail", args=[self.code])


class CollectiviteOutreMer(models.Model):
    """Saint-Pierre-et-Miquelon, Polynésie française…: their communes belong to no département."""

    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    obsolete = models.BooleanField(default=False)

    objects = TerritoireQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "collectivité d’outre-mer"
        verbose_name_plural = "collectivités d’outre-mer"

    def __str__(self) -> str:
        return self.nom


class EPCIQuerySet(TerritoireQuerySet):
    def for_user(self, user):
        return self._having_communes_in_perimetre_of(user, "epci")

    def search(self, query: str):
        """EPCI whose name or SIREN matches `query`."""
        siren = query.replace(" ", "")
        if siren.isdigit():
            return self.filter(siren__startswith=siren)
        words = normalize_query(query)
        return self.filter(nom_recherche__contains=words) if words else self.none()

    def in_departement(self, departement: Departement):
        """The EPCI with at least one member commune in `departement` (some straddle two)."""
        return self.filter(
            Exists(Commune.objects.filter(epci=OuterRef("pk"), departement=departement))
        )


class EPCI(models.Model):
    siren = models.CharField("SIREN", max_length=9, primary_key=True)
    nom = models.CharField(max_length=200)
    nom_recherche = models.CharField(max_length=200, db_index=True, editable=False)
    type = models.CharField(max_length=5, choices=TypeEPCI.choices)
    population = models.PositiveIntegerField(null=True, blank=True)
    obsolete = models.BooleanField(default=False)

    objects = EPCIQuerySet.as_manager()

    class Meta:
        ordering = ["nom_recherche"]
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"

    def __str__(self) -> str:
        return self.nom

    def get_absolute_url(self) -> str:
        return reverse("communes:epci_detail", args=[self.siren])


class CommuneQuerySet(TerritoireQuerySet):
    def for_user(self, user):
        return self.filter(Perimetre.of(user).communes_q())

    def search(self, query: str):
        """Communes whose name, INSEE code or postal code matches `query`, best matches first."""
        code = query.replace(" ", "").upper()
        if re.fullmatch(r"\d[\dAB]\d*", code):
            matches = self.filter(
                Q(code__startswith=code)
                | Exists(CodePostal.objects.filter(commune=OuterRef("pk"), code__startswith=code))
            )
            return matches.order_by("code")
        words = normalize_query(query)
        if not words:
            return self.none()
        return self.filter(nom_recherche__contains=words).order_by(
            models.Case(
                models.When(nom_recherche=words, then=0),
                models.When(nom_recherche__startswith=words, then=1),
                default=2,
            ),
            models.F("population").desc(nulls_last=True),
            "nom_recherche",
        )


class Commune(models.Model):
    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField(max_length=200)
    # The name in lower case without accents nor punctuation, for search and alphabetical order.
    nom_recherche = models.CharField(max_length=200, db_index=True, editable=False)
    population = models.PositiveIntegerField(null=True, blank=True)
    siren = models.CharField("SIREN", max_length=9, blank=True)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="communes"
    )
    collectivite_outre_mer = models.ForeignKey(
        CollectiviteOutreMer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communes",
    )
    epci = models.ForeignKey(
        EPCI, on_delete=models.PROTECT, null=True, blank=True, related_name="communes"
    )
    obsolete = models.BooleanField(default=False)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["nom_recherche"]
        constraints = [
            models.CheckConstraint(
                condition=Q(departement__isnull=False, collectivite_outre_mer__isnull=True)
                | Q(departement__isnull=True, collectivite_outre_mer__isnull=False),
                name="commune_dans_un_departement_ou_une_com",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nom} ({self.departement_id or self.collectivite_outre_mer_id})"

    def get_absolute_url(self) -> str:
        return reverse("communes:commune_detail", args=[self.code])


class CodePostal(models.Model):
    code = models.CharField(max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="codes_postaux")

    class Meta:
        ordering = ["code"]
        verbose_name = "code postal"
        verbose_name_plural = "codes postaux"
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="code_postal_unique"),
        ]

    def __str__(self) -> str:
        return self.code


class ImportTerritoires(models.Model):
    """One run of `import_territoires`: which referential, when, and what it changed."""

    version = models.CharField("version du référentiel", max_length=50)
    empreinte = models.CharField("empreinte SHA-256 des fichiers", max_length=64)
    termine_le = models.DateTimeField(default=timezone.now)
    compte_rendu = models.JSONField(default=dict)

    class Meta:
        ordering = ["-termine_le"]
        get_latest_by = "termine_le"
        verbose_name = "import du référentiel des territoires"
        verbose_name_plural = "imports du référentiel des territoires"

    def __str__(self) -> str:
        return f"{self.version} ({self.termine_le:%d/%m/%Y})"


# Who belongs where --------------------------------------------------------------------------


class Organisation(models.Model):
    """A partner organisation (Banque des Territoires, Anah, Cerema…).

    It lives here, at the bottom of the dependency graph, because habilitations point to it;
    the `financements` app maintains the programme's referential of organisations.
    """

    nom = models.CharField(max_length=200, unique=True)
    sigle = models.CharField(max_length=50, blank=True)
    categorie = models.CharField(max_length=20, choices=CategorieOrganisation.choices)

    class Meta:
        ordering = ["nom"]

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
