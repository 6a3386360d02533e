"""Models shared by every app; they import no app of the portal."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


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
