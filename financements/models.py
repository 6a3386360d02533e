"""Pillar 2 of the programme: the catalogue (mesures, sources de financement), the actions of
the projets de territoire, the financing lines and their payments, the comités des financeurs
that decide them, and the thematic labels of the communes.

Amounts are `Decimal` euros with two decimals, never floats. A line shared by several communes
counts whole for each of them in a commune's totals, and once in a perimeter's totals.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Sum
from django.urls import reverse

from communes.models import Commune, Departement, Organisation, Region
from communes.perimetre import Perimetre, visible_through_communes
from conventions.models import Orientation
from financements.enums import (
    CategorieSource,
    Decideur,
    EtatAction,
    EtatFinancement,
    Pilier,
    TypeAction,
    TypeLabel,
)
from pvd.audit import AuditedHistoricalRecords
from pvd.models import Suivi

ZERO = Decimal("0.00")


def montant(verbose_name: str, **kwargs) -> models.DecimalField:
    """A sum of money in euros: 12 digits, two decimals."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


# The catalogue -------------------------------------------------------------------------------


class Mesure(models.Model):
    """A measure of the programme's offer (about sixty; the ten key ones are seeded)."""

    code = models.SlugField(max_length=60, unique=True)
    titre = models.CharField(max_length=200)
    partenaire = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mesures", verbose_name="partenaire"
    )
    pilier = models.CharField(max_length=20, choices=Pilier.choices)
    orientation = models.ForeignKey(
        Orientation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mesures",
        verbose_name="thème",
    )
    description = models.TextField()
    conditions = models.TextField(blank=True)
    url = models.URLField("page de l’aide", blank=True)
    cle = models.BooleanField("mesure clé du programme", default=False)
    active = models.BooleanField(default=True)

    history = AuditedHistoricalRecords()

    class Meta:
        ordering = ["-cle", "titre"]

    def __str__(self) -> str:
        return self.titre

    def get_absolute_url(self) -> str:
        return reverse("financements:mesure_detail", args=[self.code])


class SourceFinancement(models.Model):
    """A financing source: a State dotation (DETR, DSIL, FNADT), a fund (Fonds friches, Fonds
    vert), a partner's measure (the Banque des Territoires' commerce measures), a regional or
    departmental fund."""

    code = models.SlugField(max_length=60, unique=True)
    nom = models.CharField(max_length=200)
    sigle = models.CharField(max_length=30, blank=True)
    categorie = models.CharField("catégorie", max_length=20, choices=CategorieSource.choices)
    financeur = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sources", verbose_name="financeur"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(default=True)

    history = AuditedHistoricalRecords()

    class Meta:
        ordering = ["categorie", "nom"]
        verbose_name = "source de financement"
        verbose_name_plural = "sources de financement"
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(departement__isnull=True),
                name="source_d_un_seul_territoire",
            ),
        ]

    def __str__(self) -> str:
        return self.sigle or self.nom


# Actions of the projets de territoire --------------------------------------------------------


class ActionQuerySet(models.QuerySet):
    def for_user(self, user):
        return visible_through_communes(self, user)

    def opah_ru_eligibles(self):
        """OPAH-RU in pre-operational or operational phase: they open Anah's co-financing."""
        from financements.enums import PHASES_OPAH_RU_ELIGIBLES

        return self.filter(type=TypeAction.OPAH_RU, etat__in=PHASES_OPAH_RU_ELIGIBLES)


class Action(Suivi):
    """A fiche action of a projet de territoire."""

    communes = models.ManyToManyField(Commune, related_name="actions")
    titre = models.CharField(max_length=200)
    orientation = models.ForeignKey(
        Orientation, on_delete=models.PROTECT, related_name="actions", verbose_name="orientation"
    )
    type = models.CharField("type d’action", max_length=30, choices=TypeAction.choices)
    etat = models.CharField(
        "état", max_length=20, choices=EtatAction.choices, default=EtatAction.ENVISAGEE
    )
    budget = montant("budget prévisionnel (€)", null=True, blank=True)
    description = models.TextField(blank=True)

    objects = ActionQuerySet.as_manager()
    history = AuditedHistoricalRecords(m2m_fields=[communes])

    class Meta:
        ordering = ["titre", "pk"]
        verbose_name = "action"
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="action_budget_positif"
            ),
        ]

    def __str__(self) -> str:
        return self.titre

    def get_absolute_url(self) -> str:
        return reverse("financements:action_detail", args=[self.pk])


# Comités des financeurs ----------------------------------------------------------------------


class ComiteFinanceursQuerySet(models.QuerySet):
    def for_user(self, user):
        perimetre = Perimetre.of(user)
        if perimetre.national:
            return self
        visible = Commune.objects.filter(
            perimetre.communes_q(), departement=OuterRef("departement")
        )
        return self.filter(Exists(visible))


class ComiteFinanceurs(Suivi):
    """A session of the comité des financeurs of a département: the requests it decides."""

    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="comites_financeurs"
    )
    date = models.DateField("date de la séance")
    intitule = models.CharField("intitulé", max_length=200, blank=True)
    tenu = models.BooleanField("décisions enregistrées", default=False)

    objects = ComiteFinanceursQuerySet.as_manager()
    history = AuditedHistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "comité des financeurs"
        verbose_name_plural = "comités des financeurs"

    def __str__(self) -> str:
        return f"Comité des financeurs — {self.departement.nom}, {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("financements:comite_detail", args=[self.pk])


# Financing lines -----------------------------------------------------------------------------


class FinancementQuerySet(models.QuerySet):
    def for_user(self, user):
        return visible_through_communes(self, user)

    def accordes(self):
        """Granted (paid or not)."""
        return self.filter(etat__in=[EtatFinancement.ACCORDE, EtatFinancement.VERSE])

    def totaux(self) -> dict[str, Decimal]:
        """Requested, granted and paid amounts of these lines (each line once)."""
        sums = self.order_by().aggregate(
            demande=Sum("montant_demande"),
            accorde=Sum("montant_accorde", filter=Q(etat__in=[EtatFinancement.ACCORDE, "verse"])),
            verse=Sum("montant_verse"),
        )
        return {key: value or ZERO for key, value in sums.items()}


class Financement(Suivi):
    """A financing line: a request to a source or for a mesure, and what became of it."""

    source = models.ForeignKey(
        SourceFinancement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financements",
    )
    mesure = models.ForeignKey(
        Mesure, on_delete=models.PROTECT, null=True, blank=True, related_name="financements"
    )
    # The organisation whose line it is (the source's or the mesure's): its partner users
    # record and edit it.
    financeur = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="financements", editable=False
    )
    communes = models.ManyToManyField(Commune, related_name="financements")
    action = models.ForeignKey(
        Action,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financements",
        verbose_name="action financée",
    )
    objet = models.CharField(max_length=255)
    annee = models.PositiveSmallIntegerField("année")
    montant_demande = montant("montant demandé (€)")
    montant_accorde = montant("montant accordé (€)", null=True, blank=True)
    montant_verse = montant("montant versé (€)", default=ZERO, editable=False)
    etat = models.CharField(
        "état", max_length=20, choices=EtatFinancement.choices, default=EtatFinancement.DEMANDE
    )
    decide_le = models.DateField("décidé le", null=True, blank=True)
    decide_par = models.CharField("décidé par", max_length=20, choices=Decideur.choices, blank=True)
    comite = models.ForeignKey(
        ComiteFinanceurs,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financements",
        verbose_name="comité des financeurs",
    )
    # The line's key in its financeur's own system: a re-import of its spreadsheet updates the
    # line instead of adding another (unique per financeur when given).
    reference_externe = models.CharField("référence externe", max_length=100, blank=True)

    objects = FinancementQuerySet.as_manager()
    history = AuditedHistoricalRecords(m2m_fields=[communes])

    class Meta:
        ordering = ["-annee", "-pk"]
        verbose_name = "financement"
        constraints = [
            models.CheckConstraint(
                condition=Q(source__isnull=False, mesure__isnull=True)
                | Q(source__isnull=True, mesure__isnull=False),
                name="financement_source_ou_mesure",
            ),
            models.CheckConstraint(
                condition=Q(montant_demande__gte=0)
                & (Q(montant_accorde__isnull=True) | Q(montant_accorde__gte=0))
                & Q(montant_verse__gte=0),
                name="financement_montants_positifs",
            ),
            # Granted lines have an amount and a date; refused ones a date.
            models.CheckConstraint(
                condition=~Q(etat__in=[EtatFinancement.ACCORDE, EtatFinancement.VERSE])
                | Q(montant_accorde__isnull=False, decide_le__isnull=False),
                name="financement_accorde_a_un_montant",
            ),
            models.CheckConstraint(
                condition=~Q(etat=EtatFinancement.REFUSE) | Q(decide_le__isnull=False),
                name="financement_refuse_a_une_date",
            ),
            # Paid never exceeds granted; nothing is paid before the grant; "versé" is paid
            # in full.
            models.CheckConstraint(
                condition=Q(montant_verse=0)
                | Q(montant_accorde__isnull=False, montant_verse__lte=models.F("montant_accorde")),
                name="financement_verse_inferieur_a_accorde",
            ),
            models.CheckConstraint(
                condition=~Q(etat=EtatFinancement.VERSE)
                | Q(montant_verse=models.F("montant_accorde")),
                name="financement_verse_en_totalite",
            ),
            models.UniqueConstraint(
                fields=["financeur", "reference_externe"],
                condition=~Q(reference_externe=""),
                name="financement_reference_externe_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source or self.mesure} — {self.objet}"

    def get_absolute_url(self) -> str:
        return reverse("financements:financement_detail", args=[self.pk])

    @property
    def reste_a_verser(self) -> Decimal:
        if self.montant_accorde is None:
            return ZERO
        return self.montant_accorde - self.montant_verse


class Versement(models.Model):
    """One payment of a granted line."""

    financement = models.ForeignKey(
        Financement, on_delete=models.CASCADE, related_name="versements"
    )
    verse_le = models.DateField("versé le")
    montant = montant("montant (€)")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    history = AuditedHistoricalRecords()

    class Meta:
        ordering = ["verse_le", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(montant__gt=0), name="versement_positif"),
        ]

    def __str__(self) -> str:
        return f"Versement du {self.verse_le:%d/%m/%Y}"


# Labels ------------------------------------------------------------------------------------------


class LabelQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(Perimetre.of(user).communes_q("commune__"))

    def actifs_le(self, day):
        """The labels in place on `day`."""
        return self.filter(Q(fin__isnull=True) | Q(fin__gte=day), debut__lte=day)


class Label(models.Model):
    """A thematic label in a commune over time (France Services, Conseiller numérique…)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="labels")
    type = models.CharField(max_length=30, choices=TypeLabel.choices)
    nom = models.CharField(max_length=200, blank=True)
    debut = models.DateField("depuis le")
    fin = models.DateField("jusqu’au", null=True, blank=True)

    objects = LabelQuerySet.as_manager()
    history = AuditedHistoricalRecords()

    class Meta:
        ordering = ["type", "debut"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(fin__gte=models.F("debut")),
                name="label_fin_apres_debut",
            ),
        ]

    def __str__(self) -> str:
        return self.nom or f"{self.get_type_display()} de {self.commune}"
