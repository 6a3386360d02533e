"""Models of the national layer: the bases every app shares (they import no app of the portal),
the workflow log, and the published notes de suivi."""

import uuid

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


# Exports of the lists ----------------------------------------------------------------------


class EtatExport(models.TextChoices):
    EN_ATTENTE = "en_attente", "En préparation"
    PRET = "pret", "Prêt"
    ECHEC = "echec", "Échec"


class FormatExport(models.TextChoices):
    CSV = "csv", "CSV (tableur, séparateur point-virgule)"
    XLSX = "xlsx", "Excel (XLSX)"


def chemin_export(instance, filename: str) -> str:
    """exports/<uuid>.<format>: a random name, in MEDIA_ROOT, never served from MEDIA_URL."""
    return f"exports/{uuid.uuid4().hex}.{instance.format}"


class ExportQuerySet(models.QuerySet):
    def for_user(self, user):
        """An export is its author's only: it holds what their perimeter showed them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(auteur=user)


class Export(models.Model):
    """A large export of a list, built by a background job and kept for its author: which
    list, which columns and filters were asked, when, by whom, and the file."""

    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    demande_le = models.DateTimeField("demandé le", default=timezone.now)
    liste = models.CharField(max_length=40)  # the key of a pvd.exports.listes list
    format = models.CharField(max_length=10, choices=FormatExport.choices)
    colonnes = models.JSONField(default=list)  # keys of the chosen columns, in order
    filtres = models.JSONField(default=dict)  # the list's query string: {name: [values]}
    etat = models.CharField(
        "état", max_length=20, choices=EtatExport.choices, default=EtatExport.EN_ATTENTE
    )
    nombre_lignes = models.PositiveIntegerField("lignes", null=True, blank=True)
    pret_le = models.DateTimeField("prêt le", null=True, blank=True)
    motif_echec = models.TextField("motif de l’échec", blank=True)
    fichier = models.FileField(upload_to=chemin_export, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-demande_le", "-pk"]
        verbose_name = "export"
        constraints = [
            models.CheckConstraint(
                condition=~Q(etat="pret") | ~Q(fichier=""), name="export_pret_a_son_fichier"
            ),
        ]

    def __str__(self) -> str:
        return f"Export n° {self.pk} ({self.liste}, {self.format})"


class TacheEnAttente(models.Model):
    """A background job recorded in the transaction of the action that asks for it (a
    transactional outbox, `pvd.taches.planifier`): published to the broker once the transaction
    commits, and kept here while the broker cannot be reached, until `pvd.tasks.relayer_taches`
    publishes it. The action never fails because Redis is down; its job is never lost."""

    tache = models.CharField("tâche", max_length=200)  # the Celery task's name
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    creee_le = models.DateTimeField("créée le", default=timezone.now, db_index=True)
    essais = models.PositiveIntegerField("essais de publication", default=0)
    derniere_erreur = models.TextField("dernière erreur", blank=True)

    class Meta:
        ordering = ["creee_le", "pk"]
        verbose_name = "tâche en attente du broker"
        verbose_name_plural = "tâches en attente du broker"

    def __str__(self) -> str:
        return f"{self.tache}{tuple(self.args)}"
