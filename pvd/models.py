"""Models of the national layer: the bases every app shares (they import no app of the portal),
the workflow log, and the published notes de suivi."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from pvd.documents import GeneratedPdfName


class Suivi(models.Model):
    """What every object edited through forms carries: a version (optimistic concurrency),
    its author and date of creation."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="créé par",
    )

    class Meta:
        abstract = True


class TransitionLog(models.Model):
    """One step of a workflow: who moved which object from which state to which, and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    objet = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(max_length=50)
    libelle = models.CharField("étape", max_length=200)
    source = models.CharField("état de départ", max_length=30)
    cible = models.CharField("état d’arrivée", max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    at = models.DateTimeField("le", default=timezone.now)
    commentaire = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = "transition"

    def __str__(self) -> str:
        return f"{self.transition} : {self.source} → {self.cible}"


class EtatNote(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    PRETE = "prete", "Prête"
    ECHEC = "echec", "Échec"


class NoteSuiviQuerySet(models.QuerySet):
    def publiees(self):
        """A ready note is published: its values and its PDF never change afterwards."""
        return self.filter(etat=EtatNote.PRETE)

    def precedente(self, perimetre: str, jour):
        """The last published note of `perimetre` (a parameter: "FR", "region:27"…) whose
        figures are older than `jour`: what a new figure is compared with."""
        return self.publiees().filter(perimetre=perimetre, date__lt=jour).order_by("-date").first()

    def for_user(self, user):
        """The notes `user` may read: those of the perimeters whose dashboard it reads
        (`pvd.indicateurs.acces.check_lisible`): France for anyone with a perimeter, a région
        or a département its perimeter covers (the ANCT and national partners: all; a région:
        itself and its départements; a préfecture: its département). Anonymous visitors and
        accounts without habilitation: none (the public figures are the JSON's)."""
        # Imported here: the bases above are imported by every app, communes included.
        from communes.models import Departement, Region
        from communes.perimetre import Perimetre

        perimetre = Perimetre.of(user)
        if perimetre.is_empty:
            return self.none()
        if perimetre.national:
            return self
        params = {"FR"}
        params |= {
            f"region:{code}"
            for code in Region.objects.covered_by(perimetre).values_list("code", flat=True)
        }
        params |= {
            f"departement:{code}"
            for code in Departement.objects.covered_by(perimetre).values_list("code", flat=True)
        }
        return self.filter(perimetre__in=params)

    def en_cours(self):
        """The requests not yet settled (the page refreshes while there are some)."""
        return self.filter(etat__in=[EtatNote.EN_ATTENTE, EtatNote.EN_COURS])


class NoteSuivi(models.Model):
    """A note de suivi: the dashboard's figures for a perimeter at a date, as a PDF built by a
    background job, stored with the snapshot of its values."""

    perimetre = models.CharField("périmètre", max_length=30)  # "FR", "region:27", …
    date = models.DateField("chiffres au")
    etat = models.CharField(
        "état", max_length=20, choices=EtatNote.choices, default=EtatNote.EN_ATTENTE
    )
    motif_echec = models.TextField("motif de l’échec", blank=True)
    demandee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="demandée par",
    )
    demandee_le = models.DateTimeField("demandée le", default=timezone.now)
    commencee_le = models.DateTimeField("commencée le", null=True, blank=True)
    prete_le = models.DateTimeField("prête le", null=True, blank=True)
    # The snapshot: {key: value} of every indicator, as published.
    valeurs = models.JSONField(null=True, blank=True)
    # The published note the figures are compared with (same perimeter, earlier date).
    precedente = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Stored as notes/<uuid>.pdf, served only through the scoped download view.
    fichier = models.FileField(upload_to=GeneratedPdfName("notes"), blank=True)

    objects = NoteSuiviQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-demandee_le"]
        verbose_name = "note de suivi"
        verbose_name_plural = "notes de suivi"
        constraints = [
            # One note per perimeter and date (a failed one may be asked again).
            models.UniqueConstraint(
                fields=["perimetre", "date"],
                condition=~Q(etat="echec"),
                name="note_unique_par_perimetre_et_date",
            ),
            models.CheckConstraint(
                condition=~Q(etat="prete") | Q(valeurs__isnull=False),
                name="note_prete_avec_ses_valeurs",
            ),
        ]

    def __str__(self) -> str:
        return f"Note de suivi {self.perimetre} au {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("note_detail", args=[self.pk])

    @property
    def est_prete(self) -> bool:
        return self.etat == EtatNote.PRETE

    @property
    def est_en_cours(self) -> bool:
        """Not settled yet: waiting for a worker, or being built."""
        return self.etat in (EtatNote.EN_ATTENTE, EtatNote.EN_COURS)

    @property
    def nom_fichier(self) -> str:
        """The name the PDF is downloaded under: note-de-suivi-FR-2021-10-15.pdf."""
        perimetre = self.perimetre.replace(":", "-")
        return f"note-de-suivi-{perimetre}-{self.date:%Y-%m-%d}.pdf"
