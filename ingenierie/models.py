"""Pillar 1 of the programme: the chefs de projet and their co-financing, the VTA who support
them, the soutiens en ingénierie of the partners, and the besoins the communes expressed.

The two rules of a post's co-financing are database constraints as far as a constraint can
say them: the four shares are columns, so that a CHECK keeps their sum within 75 % of the
cost, and Anah's share names the OPAH-RU action that justifies it (a trigger, migration
0002, checks that action's type and phase).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse

from communes.models import EPCI, Commune, Organisation
from communes.perimetre import visible_through_communes
from conventions.models import ConventionAdhesion
from financements.models import ZERO, Action, Mesure, montant
from ingenierie.enums import CHAMPS_COFINANCEMENT, EtatPoste, EtatSoutien, NatureSoutien
from pvd.audit import AuditedHistoricalRecords
from pvd.models import Suivi

TAUX_MAXIMAL = Decimal("0.75")


class PosteQuerySet(models.QuerySet):
    def for_user(self, user):
        return visible_through_communes(self, user)


class PosteChefDeProjet(Suivi):
    """The chef de projet PVD of one commune, or shared by the communes of a convention."""

    communes = models.ManyToManyField(Commune, related_name="postes_chef_de_projet")
    adhesion = models.ForeignKey(
        ConventionAdhesion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postes_chef_de_projet",
        verbose_name="convention d’adhésion",
    )
    etat = models.CharField(
        "état", max_length=20, choices=EtatPoste.choices, default=EtatPoste.A_RECRUTER
    )
    titulaire_nom = models.CharField("nom du titulaire", max_length=200, blank=True)
    titulaire_email = models.EmailField("adresse électronique du titulaire", blank=True)
    employeur_commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune employeuse",
    )
    employeur_epci = models.ForeignKey(
        EPCI,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="EPCI employeur",
    )
    debut = models.DateField("prise de poste", null=True, blank=True)
    fin = models.DateField("fin de poste", null=True, blank=True)
    cout_annuel = montant("coût annuel du poste (€)")
    subvention_anct = montant("subvention de l’ANCT (€ par an)", default=ZERO)
    subvention_bdt = montant("subvention de la Banque des Territoires (€ par an)", default=ZERO)
    subvention_etat = montant("subvention de l’État (€ par an)", default=ZERO)
    subvention_anah = montant("subvention de l’Anah (€ par an)", default=ZERO)
    opah_ru = models.ForeignKey(
        Action,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postes_cofinances_par_l_anah",
        verbose_name="OPAH-RU justifiant la part de l’Anah",
    )
    # The post's key in the préfecture's own spreadsheet: a re-import updates the post instead
    # of adding another (unique when given: a post has no organisation to scope it by).
    reference_externe = models.CharField("référence externe", max_length=100, blank=True)

    objects = PosteQuerySet.as_manager()
    history = AuditedHistoricalRecords(m2m_fields=[communes])

    class Meta:
        ordering = ["pk"]
        verbose_name = "poste de chef de projet"
        verbose_name_plural = "postes de chef de projet"
        constraints = [
            models.CheckConstraint(
                condition=Q(employeur_commune__isnull=False, employeur_epci__isnull=True)
                | Q(employeur_commune__isnull=True, employeur_epci__isnull=False),
                name="poste_un_seul_employeur",
            ),
            models.CheckConstraint(
                condition=Q(cout_annuel__gt=0)
                & Q(subvention_anct__gte=0)
                & Q(subvention_bdt__gte=0)
                & Q(subvention_etat__gte=0)
                & Q(subvention_anah__gte=0),
                name="poste_montants_positifs",
            ),
            # The total subsidy never exceeds 75 % of the cost (4 * total <= 3 * cost: exact
            # in decimals).
            models.CheckConstraint(
                condition=GreaterThanOrEqual(
                    F("cout_annuel") * 3,
                    (
                        F("subvention_anct")
                        + F("subvention_bdt")
                        + F("subvention_etat")
                        + F("subvention_anah")
                    )
                    * 4,
                ),
                name="poste_subvention_75_pour_cent",
            ),
            models.CheckConstraint(
                condition=Q(subvention_anah=0) | Q(opah_ru__isnull=False),
                name="poste_anah_avec_opah_ru",
            ),
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(debut__isnull=True) | Q(fin__gte=F("debut")),
                name="poste_fin_apres_debut",
            ),
            models.CheckConstraint(
                condition=~Q(etat=EtatPoste.OCCUPE) | ~Q(titulaire_nom="") & Q(debut__isnull=False),
                name="poste_occupe_a_un_titulaire",
            ),
            models.UniqueConstraint(
                fields=["reference_externe"],
                condition=~Q(reference_externe=""),
                name="poste_reference_externe_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"Poste de chef de projet n° {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("ingenierie:poste_detail", args=[self.pk])

    @property
    def employeur(self) -> Commune | EPCI | None:
        return self.employeur_commune or self.employeur_epci

    @property
    def subventions(self) -> dict[str, Decimal]:
        """{cofinanceur: annual amount}."""
        return {code: getattr(self, field) for code, field in CHAMPS_COFINANCEMENT.items()}

    @property
    def subvention_totale(self) -> Decimal:
        return sum(self.subventions.values(), ZERO)

    @property
    def taux_subvention(self) -> Decimal:
        return self.subvention_totale / self.cout_annuel if self.cout_annuel else ZERO


class VtaQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(poste__in=PosteChefDeProjet.objects.for_user(user))


class PosteVTA(models.Model):
    """A volontariat territorial en administration supporting a chef de projet."""

    poste = models.ForeignKey(
        PosteChefDeProjet,
        on_delete=models.CASCADE,
        related_name="vtas",
        verbose_name="chef de projet appuyé",
    )
    titulaire_nom = models.CharField("nom du volontaire", max_length=200)
    mission = models.CharField(max_length=255, blank=True)
    debut = models.DateField("début")
    fin = models.DateField("fin", null=True, blank=True)

    objects = VtaQuerySet.as_manager()
    history = AuditedHistoricalRecords()

    class Meta:
        ordering = ["debut", "pk"]
        verbose_name = "VTA"
        verbose_name_plural = "VTA"
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(fin__gte=F("debut")), name="vta_fin_apres_debut"
            ),
        ]

    def __str__(self) -> str:
        return f"VTA {self.titulaire_nom}"


class SoutienQuerySet(models.QuerySet):
    def for_user(self, user):
        return visible_through_communes(self, user)

    def totaux(self) -> dict[str, Decimal]:
        """Euros and days, apart: they never add up."""
        sums = self.order_by().aggregate(euros=Sum("montant_euros"), jours=Sum("nombre_jours"))
        return {key: value or ZERO for key, value in sums.items()}


class SoutienIngenierie(Suivi):
    """A study, an AMO, a diagnostic, an Atelier des territoires… granted by a partner. Its
    amount is in euros or, for the Cerema, in days: exactly one of the two."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="soutiens_ingenierie",
        verbose_name="partenaire",
    )
    communes = models.ManyToManyField(Commune, related_name="soutiens_ingenierie")
    mesure = models.ForeignKey(
        Mesure, on_delete=models.PROTECT, null=True, blank=True, related_name="soutiens"
    )
    nature = models.CharField(max_length=30, choices=NatureSoutien.choices)
    objet = models.CharField(max_length=255)
    montant_euros = montant("montant (€)", null=True, blank=True)
    nombre_jours = models.DecimalField(
        "nombre de jours", max_digits=7, decimal_places=1, null=True, blank=True
    )
    debut = models.DateField("début", null=True, blank=True)
    fin = models.DateField("fin", null=True, blank=True)
    etat = models.CharField(
        "état", max_length=20, choices=EtatSoutien.choices, default=EtatSoutien.ENGAGE
    )
    # The soutien's key in its partner's own system (unique per partner when given).
    reference_externe = models.CharField("référence externe", max_length=100, blank=True)

    objects = SoutienQuerySet.as_manager()
    history = AuditedHistoricalRecords(m2m_fields=[communes])

    class Meta:
        ordering = ["-debut", "-pk"]
        verbose_name = "soutien en ingénierie"
        verbose_name_plural = "soutiens en ingénierie"
        constraints = [
            models.CheckConstraint(
                condition=Q(montant_euros__isnull=False, nombre_jours__isnull=True)
                | Q(montant_euros__isnull=True, nombre_jours__isnull=False),
                name="soutien_une_seule_unite",
            ),
            models.CheckConstraint(
                condition=(Q(montant_euros__isnull=True) | Q(montant_euros__gt=0))
                & (Q(nombre_jours__isnull=True) | Q(nombre_jours__gt=0)),
                name="soutien_quantite_positive",
            ),
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(debut__isnull=True) | Q(fin__gte=F("debut")),
                name="soutien_fin_apres_debut",
            ),
            models.UniqueConstraint(
                fields=["organisation", "reference_externe"],
                condition=~Q(reference_externe=""),
                name="soutien_reference_externe_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} — {self.objet}"

    def get_absolute_url(self) -> str:
        return reverse("ingenierie:soutien_detail", args=[self.pk])

    @property
    def quantite(self) -> str:
        """The amount with its unit, as French text."""
        from pvd.text import euros, jours

        if self.montant_euros is not None:
            return euros(self.montant_euros)
        return jours(self.nombre_jours)


class BesoinsQuerySet(models.QuerySet):
    def for_user(self, user):
        from communes.perimetre import Perimetre

        return self.filter(Perimetre.of(user).communes_q("commune__"))


class BesoinsExprimes(Suivi):
    """What a commune said it needed when it joined (with its convention d'adhésion)."""

    commune = models.OneToOneField(Commune, on_delete=models.PROTECT, related_name="besoins")
    adhesion = models.ForeignKey(
        ConventionAdhesion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="besoins",
        verbose_name="convention d’adhésion",
    )
    chef_de_projet = models.BooleanField("financement du chef de projet", default=False)
    etudes = models.BooleanField("financement d’études opérationnelles", default=False)
    investissements = models.BooleanField("financement des investissements", default=False)
    precisions = models.TextField("précisions", blank=True)

    objects = BesoinsQuerySet.as_manager()
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "besoins exprimés"
        verbose_name_plural = "besoins exprimés"

    def __str__(self) -> str:
        return f"Besoins exprimés par {self.commune}"
