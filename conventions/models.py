"""A commune's journey: candidatures, conventions d'adhésion, conventions-cadres valant ORT,
their avenants, and the `Dossier` that derives each commune's stage from them.

A commune's stage (candidate, lauréate, adhésion signée, ORT signée) and its dates are never
stored: `Dossier.objects.with_etape()` computes them from these objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Least
from django.urls import reverse
from django.utils import timezone

from communes.models import Commune, Organisation
from communes.models.territoires import CommuneQuerySet
from communes.perimetre import Perimetre, visible_through_communes
from conventions.enums import (
    Avis,
    Echeance,
    Etape,
    EtatCandidature,
    EtatConvention,
    OrigineOrt,
    PresidenceComite,
)
from pvd.audit import AuditedHistoricalRecords
from pvd.dates import add_months
from pvd.documents import GeneratedPdfName
from pvd.models import Suivi as BaseSuivi

DELAI_PROJET_TERRITOIRE_MOIS = 18
ALERTE_ECHEANCE_JOURS = 90


class Orientation(models.Model):
    """A theme of the projets de territoire (the axes of an ORT, and the programme's own)."""

    code = models.SlugField(primary_key=True)
    libelle = models.CharField("libellé", max_length=200)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordre"]

    def __str__(self) -> str:
        return self.libelle


class ImportProgramme(models.Model):
    """One run of `import_programme`: the provenance of what it created."""

    fichier = models.CharField(max_length=255)
    format = models.CharField(max_length=10)
    empreinte = models.CharField("empreinte SHA-256", max_length=64)
    importe_le = models.DateTimeField(default=timezone.now)
    compte_rendu = models.JSONField(default=dict)

    class Meta:
        ordering = ["-importe_le"]
        verbose_name = "import du programme"
        verbose_name_plural = "imports du programme"

    def __str__(self) -> str:
        return f"{self.fichier} ({self.importe_le:%d/%m/%Y})"

    @property
    def source(self) -> str:
        return f"Import de {self.fichier} le {timezone.localtime(self.importe_le):%d/%m/%Y}"


class Suivi(BaseSuivi):
    """What every workflow object of the journey carries: version, author, and the import it
    came from."""

    import_programme = models.ForeignKey(
        ImportProgramme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        verbose_name="provenance",
    )

    class Meta:
        abstract = True


# Candidatures -------------------------------------------------------------------------------


class CandidatureQuerySet(models.QuerySet):
    def for_user(self, user):
        return visible_through_communes(self, user)

    def en_cours(self):
        return self.filter(etat__in=[EtatCandidature.DEPOSEE, EtatCandidature.INSTRUITE])

    def retenues(self):
        return self.filter(etat=EtatCandidature.RETENUE)


class Candidature(Suivi):
    """One or several communes (with their EPCI) apply; the préfecture instructs, the comité
    régional decides. A commune whose candidature is retenue is a lauréate, a PVD commune."""

    communes = models.ManyToManyField(Commune, related_name="candidatures")
    etat = models.CharField(
        "état", max_length=20, choices=EtatCandidature.choices, default=EtatCandidature.DEPOSEE
    )
    deposee_le = models.DateField("déposée le", null=True, blank=True)
    presentation = models.TextField("présentation du projet", blank=True)
    avis = models.CharField(
        "avis de la préfecture", max_length=20, choices=Avis.choices, blank=True
    )
    instruite_le = models.DateField("instruite le", null=True, blank=True)
    decidee_le = models.DateField("décision du comité régional le", null=True, blank=True)
    retiree_le = models.DateField("retirée le", null=True, blank=True)

    objects = CandidatureQuerySet.as_manager()
    history = AuditedHistoricalRecords(m2m_fields=[communes])

    class Meta:
        ordering = ["-pk"]
        constraints = [
            # Dates are known, except for lauréates imported from the national list, which
            # gives neither the deposit nor the decision's date.
            models.CheckConstraint(
                condition=Q(deposee_le__isnull=False) | Q(import_programme__isnull=False),
                name="candidature_deposee_a_une_date",
            ),
            models.CheckConstraint(
                condition=~Q(etat=EtatCandidature.INSTRUITE)
                | Q(instruite_le__isnull=False) & ~Q(avis=""),
                name="candidature_instruite_a_un_avis",
            ),
            models.CheckConstraint(
                condition=~Q(etat__in=[EtatCandidature.RETENUE, EtatCandidature.NON_RETENUE])
                | Q(decidee_le__isnull=False)
                | Q(import_programme__isnull=False),
                name="candidature_decidee_a_une_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Candidature n° {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("conventions:candidature_detail", args=[self.pk])


# Conventions ---------------------------------------------------------------------------------


class ConventionQuerySet(models.QuerySet):
    def for_user(self, user):
        return visible_through_communes(self, user)

    def signees(self):
        return self.filter(etat=EtatConvention.SIGNEE)

    def signees_le(self, day: date):
        """Signed on or before `day`: the conventions as they stood that day (a signed
        convention never changes afterwards, avenants aside)."""
        return self.signees().filter(signee_le__lte=day)


class BaseConvention(Suivi):
    etat = models.CharField(
        "état", max_length=20, choices=EtatConvention.choices, default=EtatConvention.EN_PREPARATION
    )
    signee_le = models.DateField("signée le", null=True, blank=True)
    document = models.FileField(
        "convention signée (PDF)",
        upload_to=GeneratedPdfName("conventions"),
        blank=True,
    )

    objects = ConventionQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def est_signee(self) -> bool:
        return self.etat == EtatConvention.SIGNEE


class ConventionAdhesion(BaseConvention):
    """The entry into the programme, signed by PVD communes, their EPCI and the préfet."""

    communes = models.ManyToManyField(Commune, related_name="conventions_adhesion")
    cosignataire_conseil_departemental = models.BooleanField(
        "cosignée par le conseil départemental", default=False
    )
    cosignataire_conseil_regional = models.BooleanField(
        "cosignée par le conseil régional", default=False
    )
    partenaires = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="conventions_adhesion",
        verbose_name="partenaires cosignataires",
    )
    presidence_comite = models.CharField(
        "présidence du comité de projet",
        max_length=20,
        choices=PresidenceComite.choices,
        blank=True,
    )
    president_comite = models.CharField(
        "président(s) du comité de projet",
        max_length=255,
        blank=True,
        help_text="Par exemple : le maire de Clamecy et le président de la communauté de communes.",
    )

    history = AuditedHistoricalRecords(m2m_fields=[communes, partenaires])

    class Meta:
        ordering = ["-signee_le", "-pk"]
        verbose_name = "convention d’adhésion"
        verbose_name_plural = "conventions d’adhésion"
        constraints = [
            models.CheckConstraint(
                condition=~Q(etat=EtatConvention.SIGNEE) | Q(signee_le__isnull=False),
                name="convention_adhesion_signee_a_une_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Convention d’adhésion n° {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("conventions:convention_detail", args=["adhesion", self.pk])

    @property
    def echeance_projet(self) -> date | None:
        """The projet de territoire is due 18 months after the signature."""
        if self.signee_le is None:
            return None
        return add_months(self.signee_le, DELAI_PROJET_TERRITOIRE_MOIS)


class ConventionCadre(BaseConvention):
    """Completes a convention d'adhésion with the projet de territoire; it is also the
    communes' opération de revitalisation de territoire (ORT)."""

    adhesion = models.ForeignKey(
        ConventionAdhesion,
        on_delete=models.PROTECT,
        related_name="conventions_cadres",
        verbose_name="convention d’adhésion complétée",
    )
    communes = models.ManyToManyField(Commune, related_name="conventions_cadres")
    orientations = models.ManyToManyField(Orientation, blank=True, related_name="conventions")

    history = AuditedHistoricalRecords(m2m_fields=[communes, orientations])

    class Meta:
        ordering = ["-signee_le", "-pk"]
        verbose_name = "convention-cadre valant ORT"
        verbose_name_plural = "conventions-cadres valant ORT"
        constraints = [
            models.CheckConstraint(
                condition=~Q(etat=EtatConvention.SIGNEE) | Q(signee_le__isnull=False),
                name="convention_cadre_signee_a_une_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Convention-cadre valant ORT n° {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("conventions:convention_detail", args=["cadre", self.pk])


class AvenantQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(
            Q(adhesion__in=ConventionAdhesion.objects.for_user(user))
            | Q(cadre__in=ConventionCadre.objects.for_user(user))
        )


class Avenant(Suivi):
    """An amendment to a signed convention (d'adhésion or cadre)."""

    adhesion = models.ForeignKey(
        ConventionAdhesion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="avenants",
    )
    cadre = models.ForeignKey(
        ConventionCadre, on_delete=models.PROTECT, null=True, blank=True, related_name="avenants"
    )
    numero = models.PositiveSmallIntegerField("numéro")
    objet = models.TextField()
    etat = models.CharField(
        "état", max_length=20, choices=EtatConvention.choices, default=EtatConvention.EN_PREPARATION
    )
    signee_le = models.DateField("signé le", null=True, blank=True)
    document = models.FileField(
        "avenant signé (PDF)", upload_to=GeneratedPdfName("avenants"), blank=True
    )

    objects = AvenantQuerySet.as_manager()
    history = AuditedHistoricalRecords()

    class Meta:
        ordering = ["numero"]
        constraints = [
            models.CheckConstraint(
                condition=Q(adhesion__isnull=False, cadre__isnull=True)
                | Q(adhesion__isnull=True, cadre__isnull=False),
                name="avenant_d_une_seule_convention",
            ),
            models.UniqueConstraint(
                fields=["adhesion", "numero"], name="avenant_adhesion_numero_unique"
            ),
            models.UniqueConstraint(fields=["cadre", "numero"], name="avenant_cadre_numero_unique"),
            models.CheckConstraint(
                condition=~Q(etat=EtatConvention.SIGNEE) | Q(signee_le__isnull=False),
                name="avenant_signe_a_une_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Avenant n° {self.numero} à la {self.convention}"

    def get_absolute_url(self) -> str:
        return reverse("conventions:convention_detail", args=["avenant", self.pk])

    @property
    def convention(self) -> ConventionAdhesion | ConventionCadre:
        return self.adhesion or self.cadre

    @property
    def est_signee(self) -> bool:
        return self.etat == EtatConvention.SIGNEE


class OrtHorsCadreQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(Perimetre.of(user).communes_q("commune__"))


class OrtHorsCadre(Suivi):
    """An ORT of the commune not signed through a convention-cadre of the portal: signed
    before the programme, or known only from the national list."""

    commune = models.OneToOneField(Commune, on_delete=models.PROTECT, related_name="ort_hors_cadre")
    signee_le = models.DateField("signée le")
    origine = models.CharField(max_length=20, choices=OrigineOrt.choices)

    objects = OrtHorsCadreQuerySet.as_manager()
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "ORT hors convention-cadre"
        verbose_name_plural = "ORT hors convention-cadre"

    def __str__(self) -> str:
        return f"ORT de {self.commune} ({self.signee_le:%d/%m/%Y})"


# The dossier of a commune -----------------------------------------------------------------------


class DossierQuerySet(CommuneQuerySet):
    def with_etape(self):
        """Annotate each commune with its dates and its stage in the programme."""
        commune = OuterRef("pk")
        first_signed = ("signee_le",)
        adhesion = ConventionAdhesion.objects.signees().filter(communes=commune)
        cadre = ConventionCadre.objects.signees().filter(communes=commune)
        hors_cadre = OrtHorsCadre.objects.filter(commune=commune)
        return self.annotate(
            date_adhesion=Subquery(adhesion.order_by(*first_signed).values("signee_le")[:1]),
            date_cadre=Subquery(cadre.order_by(*first_signed).values("signee_le")[:1]),
            date_ort_hors_cadre=Subquery(hors_cadre.values("signee_le")[:1]),
            laureate=Exists(Candidature.objects.retenues().filter(communes=commune)),
            candidate=Exists(Candidature.objects.en_cours().filter(communes=commune)),
        ).annotate(
            # The first ORT, whichever way it was signed (LEAST ignores NULL on PostgreSQL
            # only, hence the COALESCEs).
            date_ort=Least(
                Coalesce("date_cadre", "date_ort_hors_cadre"),
                Coalesce("date_ort_hors_cadre", "date_cadre"),
            ),
            etape=Case(
                When(laureate=True, date_ort__isnull=False, then=Value(Etape.ORT_SIGNEE)),
                When(laureate=True, date_adhesion__isnull=False, then=Value(Etape.ADHESION_SIGNEE)),
                When(laureate=True, then=Value(Etape.LAUREATE)),
                When(candidate=True, then=Value(Etape.CANDIDATE)),
                default=Value(""),
                output_field=models.CharField(),
            ),
        )

    def count_by_etape(self) -> dict[str, int]:
        """Annotated dossiers: how many at each stage ({etape: count})."""
        rows = self.order_by().values("etape").annotate(n=models.Count("pk"))
        return {row["etape"]: row["n"] for row in rows}

    def pvd(self):
        """The lauréates: the communes of the programme."""
        return self.filter(Exists(Candidature.objects.retenues().filter(communes=OuterRef("pk"))))

    def pvd_le(self, day: date):
        """The lauréates on `day`: retenue by a decision on or before it. Imported lauréates,
        whose decision date the national list does not give, count at every date."""
        retenues = Candidature.objects.retenues().filter(
            Q(decidee_le__lte=day) | Q(decidee_le__isnull=True)
        )
        return self.filter(Exists(retenues.filter(communes=OuterRef("pk"))))

    def in_programme(self):
        """Lauréates and candidates whose candidature is still open."""
        candidatures = Candidature.objects.filter(
            etat__in=[EtatCandidature.DEPOSEE, EtatCandidature.INSTRUITE, EtatCandidature.RETENUE]
        )
        return self.filter(Exists(candidatures.filter(communes=OuterRef("pk"))))

    def awaiting_projet(self):
        """Annotated communes whose adhésion is signed and that no signed convention-cadre
        covers yet: their projet de territoire is due."""
        return self.filter(date_adhesion__isnull=False, date_cadre__isnull=True)

    def overdue(self, today: date):
        """Due date (adhésion + 18 months) before `today`."""
        cutoff = add_months(today, -DELAI_PROJET_TERRITOIRE_MOIS)
        return self.awaiting_projet().filter(date_adhesion__lt=cutoff)

    def due_within(self, today: date, days: int = ALERTE_ECHEANCE_JOURS):
        """Due date between `today` and `today + days`."""
        start = add_months(today, -DELAI_PROJET_TERRITOIRE_MOIS)
        end = add_months(today + timedelta(days=days), -DELAI_PROJET_TERRITOIRE_MOIS)
        return self.awaiting_projet().filter(date_adhesion__gte=start, date_adhesion__lte=end)


@dataclass(frozen=True)
class ProchaineEtape:
    libelle: str
    echeance: date | None = None


class Dossier(Commune):
    """A commune seen through the programme (a proxy: no table of its own). The methods below
    read the annotations of `Dossier.objects.with_etape()`."""

    objects = DossierQuerySet.as_manager()

    class Meta:
        proxy = True

    def get_absolute_url(self) -> str:
        return reverse("conventions:dossier_detail", args=[self.code])

    @property
    def echeance_projet(self) -> date | None:
        """When the projet de territoire is due, if still awaited."""
        if self.date_adhesion is None or self.date_cadre is not None:
            return None
        return add_months(self.date_adhesion, DELAI_PROJET_TERRITOIRE_MOIS)

    def statut_echeance(self, today: date) -> Echeance | None:
        """Where the projet de territoire's deadline stands on `today`."""
        if self.date_adhesion is None:
            return None
        if self.date_cadre is not None:
            return Echeance.TENUE
        due = self.echeance_projet
        if due < today:
            return Echeance.EN_RETARD
        if (due - today).days <= ALERTE_ECHEANCE_JOURS:
            return Echeance.PROCHE
        return Echeance.A_VENIR

    @property
    def prochaine_etape(self) -> ProchaineEtape | None:
        match self.etape:
            case Etape.CANDIDATE:
                return ProchaineEtape(
                    "Instruction de la candidature et décision du comité régional"
                )
            case Etape.LAUREATE:
                return ProchaineEtape("Signature de la convention d’adhésion")
            case Etape.ADHESION_SIGNEE | Etape.ORT_SIGNEE if self.echeance_projet:
                return ProchaineEtape(
                    "Projet de territoire et signature de la convention-cadre valant ORT",
                    self.echeance_projet,
                )
            case Etape.ADHESION_SIGNEE | Etape.ORT_SIGNEE:
                return ProchaineEtape("Mise en œuvre des actions du projet de territoire")
        return None


class DigestEcheances(models.Model):
    """The daily deadline digest sent to a préfecture user: at most one a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    envoye_le = models.DateField("envoyé le")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "envoye_le"], name="un_digest_par_jour"),
        ]
        verbose_name = "digest des échéances"
        verbose_name_plural = "digests des échéances"

    def __str__(self) -> str:
        return f"Digest du {self.envoye_le:%d/%m/%Y} pour {self.user}"
