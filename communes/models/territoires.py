"""Territories of the official COG: régions, départements, collectivités d'outre-mer, EPCI,
communes and their postal codes.

They are reference data imported from `@etalab/decoupage-administratif` by
`manage.py import_territoires`, addressed by their official codes, which are their primary keys
(INSEE code, SIREN for an EPCI), and never deleted: a territory that leaves the COG is marked
obsolete.
"""

from __future__ import annotations

import re

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone

from communes.enums import TypeEPCI
from communes.perimetre import Perimetre
from pvd.text import normalize_query


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
        return self.filter(pk__in=Commune.objects.filter(departement=departement).values("epci"))


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
            by_postal_code = CodePostal.objects.filter(code__startswith=code).values("commune")
            matches = self.filter(Q(code__startswith=code) | Q(pk__in=by_postal_code))
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
