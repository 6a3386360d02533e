"""Pillar 3 of the programme, the Club PVD: its events (semaines thématiques, webinaires,
sessions de formation and their modules, réunions de cercle, visites de terrain), the people
who register and attend, the cercles thématiques and their members, the audience figures.

Published events are public; registrations and participants are personal data, seen by the
ANCT, by the people themselves, and by the territory they come from (`for_user`).
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from club.enums import (
    ETATS_ACTIFS,
    Canal,
    EtatEvenement,
    EtatInscription,
    OrigineParticipant,
    SourceInscription,
    TypeEvenement,
)
from communes.enums import Role
from communes.models import Commune, Departement, Organisation
from communes.perimetre import Perimetre
from pvd.audit import AuditedHistoricalRecords
from pvd.models import Suivi


def fin_de_journee(day: date) -> datetime:
    """The last instant of `day` in Paris: what "as it stood that day" includes."""
    return timezone.make_aware(datetime.combine(day, time.max))


def perimetre_territorial(user) -> Perimetre:
    """The territories `user` answers for as a préfecture, région, EPCI or commune: a
    partner's area or a national partner does not open the people's registrations."""
    if not user.is_authenticated:
        return Perimetre()
    if user.is_superuser:
        return Perimetre(national=True)
    return Perimetre.from_habilitations(
        h for h in user.habilitations_list if h.role != Role.PARTENAIRE
    )


def is_club_team(user) -> bool:
    """The ANCT's network team (any ANCT agent) runs the Club."""
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.ANCT))


class Thematique(models.Model):
    """A theme of the Club's events and cercles (ANCT staff extend the list in the admin)."""

    code = models.SlugField(primary_key=True)
    libelle = models.CharField("libellé", max_length=200)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordre", "libelle"]
        verbose_name = "thématique"

    def __str__(self) -> str:
        return self.libelle


# Cercles thématiques --------------------------------------------------------------------------


class CercleQuerySet(models.QuerySet):
    def for_user(self, user):
        """Every signed-in user sees the cercles (their members are élus of the programme)."""
        return self if user.is_authenticated else self.none()

    def started_by(self, day: date):
        return self.filter(debut__lte=day)


class Cercle(Suivi):
    """A cercle thématique: élus of PVD communes meeting for a year on one theme."""

    titre = models.CharField(max_length=200)
    thematique = models.ForeignKey(
        Thematique, on_delete=models.PROTECT, related_name="cercles", verbose_name="thématique"
    )
    copilotes = models.ManyToManyField(
        Organisation, blank=True, related_name="cercles_copilotes", verbose_name="co-pilotes"
    )
    debut = models.DateField("début")
    fin = models.DateField("fin")
    description = models.TextField(blank=True)

    history = AuditedHistoricalRecords(m2m_fields=[copilotes])
    objects = CercleQuerySet.as_manager()

    class Meta:
        ordering = ["-debut", "titre"]
        verbose_name = "cercle thématique"
        verbose_name_plural = "cercles thématiques"
        constraints = [
            models.CheckConstraint(condition=Q(fin__gt=F("debut")), name="cercle_fin_apres_debut"),
        ]

    def __str__(self) -> str:
        return self.titre

    def get_absolute_url(self) -> str:
        return reverse("club:cercle_detail", args=[self.pk])


# People ---------------------------------------------------------------------------------------


class ParticipantQuerySet(models.QuerySet):
    def for_user(self, user):
        """The ANCT sees everyone; a territory its people; anyone the people they registered
        and themselves."""
        if not user.is_authenticated:
            return self.none()
        if is_club_team(user):
            return self
        perimetre = perimetre_territorial(user)
        condition = Q(user=user) | Q(inscriptions__inscrit_par=user)
        if not perimetre.is_empty:
            condition |= Q(commune__in=Commune.objects.filter(perimetre.communes_q()))
        return self.filter(pk__in=self.model.objects.filter(condition).values("pk"))


class Participant(models.Model):
    """A person who registers to or attends the Club's events: a portal user, or a guest
    (registered by a colleague, or found in a webinar tool's export)."""

    email = models.EmailField("adresse électronique", unique=True)
    prenom = models.CharField("prénom", max_length=150, blank=True)
    nom = models.CharField(max_length=150, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant",
        verbose_name="compte",
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="participants"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
    )
    origine = models.CharField(max_length=20, choices=OrigineParticipant.choices)
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["nom", "prenom", "email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="participant_email_en_minuscules"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom}".strip() or self.email

    @property
    def domaine(self) -> str:
        return self.email.rpartition("@")[2]


class MembreCercle(models.Model):
    """An élu of a commune taking part in a cercle, from a date (and until one)."""

    cercle = models.ForeignKey(Cercle, on_delete=models.CASCADE, related_name="membres")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="cercles", verbose_name="élu"
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="cercles")
    fonction = models.CharField(max_length=150, blank=True, help_text="Maire, adjoint…")
    depuis = models.DateField("membre depuis")
    jusqu_au = models.DateField("membre jusqu’au", null=True, blank=True)

    history = AuditedHistoricalRecords()

    class Meta:
        ordering = ["commune__nom", "participant__nom"]
        verbose_name = "membre d’un cercle"
        verbose_name_plural = "membres des cercles"
        constraints = [
            models.UniqueConstraint(fields=["cercle", "participant"], name="membre_cercle_unique"),
            models.CheckConstraint(
                condition=Q(jusqu_au__isnull=True) | Q(jusqu_au__gte=F("depuis")),
                name="membre_cercle_dates_ordonnees",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} ({self.commune})"


# Events ---------------------------------------------------------------------------------------


class EvenementQuerySet(models.QuerySet):
    def for_user(self, user):
        """Published and cancelled events are public. A draft is seen by the Club team, its
        author, and the préfecture of its département (which proposes local events)."""
        visible = Q(etat__in=[EtatEvenement.PUBLIE, EtatEvenement.ANNULE])
        if not user.is_authenticated:
            return self.filter(visible)
        if is_club_team(user):
            return self
        departements = {
            h.departement_id
            for h in user.habilitations_list
            if h.role == Role.PREFECTURE and h.departement_id
        }
        return self.filter(visible | Q(created_by=user) | Q(departement__in=departements))

    def published(self):
        return self.filter(etat=EtatEvenement.PUBLIE)

    def upcoming(self, now: datetime | None = None):
        return self.filter(fin__gte=now or timezone.now())

    def held_by(self, day: date):
        """Published events that had begun on `day` (cancelled ones never count)."""
        return self.published().filter(debut__lte=fin_de_journee(day))

    def of_perimetre(self, perimetre: Perimetre):
        """The events a perimeter took part in: local to it, showcasing one of its communes,
        or attended by one of its people. Everything, for France."""
        if perimetre.national:
            return self
        communes = Commune.objects.filter(perimetre.communes_q())
        departements = communes.values("departement")
        return self.filter(
            Q(departement__in=departements)
            | Exists(
                Evenement.communes_valorisees.through.objects.filter(
                    evenement=OuterRef("pk"), commune__in=communes
                )
            )
            | Exists(
                Inscription.objects.filter(
                    evenement=OuterRef("pk"), present=True, participant__commune__in=communes
                )
            )
        )


class Evenement(Suivi):
    type = models.CharField(max_length=30, choices=TypeEvenement.choices)
    titre = models.CharField(max_length=200)
    thematique = models.ForeignKey(
        Thematique, on_delete=models.PROTECT, related_name="evenements", verbose_name="thématique"
    )
    semaine = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evenements",
        verbose_name="semaine thématique",
        limit_choices_to={"type": TypeEvenement.SEMAINE_THEMATIQUE},
    )
    cercle = models.ForeignKey(
        Cercle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reunions",
        verbose_name="cercle thématique",
    )
    debut = models.DateTimeField("début")
    fin = models.DateTimeField("fin")
    lien = models.URLField("lien de connexion", blank=True)
    lieu = models.CharField("adresse", max_length=300, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evenements_accueillis",
        verbose_name="commune d’accueil",
    )
    # A local event, proposed by the préfecture of this département.
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evenements_club",
        verbose_name="département (événement local)",
    )
    organisateurs = models.ManyToManyField(
        Organisation, blank=True, related_name="evenements_organises"
    )
    copilotes = models.ManyToManyField(
        Organisation, blank=True, related_name="evenements_copilotes", verbose_name="co-pilotes"
    )
    capacite = models.PositiveIntegerField(
        "nombre de places", null=True, blank=True, help_text="Vide : sans limite."
    )
    description = models.TextField(blank=True)
    communes_valorisees = models.ManyToManyField(
        Commune, blank=True, related_name="evenements_valorisants", verbose_name="PVD valorisées"
    )
    etat = models.CharField(
        "état", max_length=20, choices=EtatEvenement.choices, default=EtatEvenement.BROUILLON
    )
    publie_le = models.DateTimeField("publié le", null=True, blank=True, editable=False)
    motif_annulation = models.TextField("motif d’annulation", blank=True)

    history = AuditedHistoricalRecords(m2m_fields=[organisateurs, copilotes, communes_valorisees])
    objects = EvenementQuerySet.as_manager()

    class Meta:
        ordering = ["debut", "pk"]
        verbose_name = "événement"
        indexes = [models.Index(fields=["etat", "debut"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__gt=F("debut")), name="evenement_fin_apres_debut"
            ),
            models.CheckConstraint(
                condition=Q(capacite__isnull=True) | Q(capacite__gte=1),
                name="evenement_au_moins_une_place",
            ),
            # A week groups events; it is not inside another week.
            models.CheckConstraint(
                condition=~Q(type=TypeEvenement.SEMAINE_THEMATIQUE) | Q(semaine__isnull=True),
                name="evenement_semaine_non_imbriquee",
            ),
            # A cercle's meeting names its cercle, and only a meeting does.
            models.CheckConstraint(
                condition=Q(type=TypeEvenement.REUNION_CERCLE, cercle__isnull=False)
                | (~Q(type=TypeEvenement.REUNION_CERCLE) & Q(cercle__isnull=True)),
                name="evenement_reunion_d_un_cercle",
            ),
            # People must know where to go: a link, or a place (a week is only a grouping).
            models.CheckConstraint(
                condition=Q(type=TypeEvenement.SEMAINE_THEMATIQUE) | ~Q(lien="") | ~Q(lieu=""),
                name="evenement_lien_ou_lieu",
            ),
        ]

    def __str__(self) -> str:
        return self.titre

    def get_absolute_url(self) -> str:
        return reverse("club:evenement_detail", args=[self.pk])

    @property
    def en_ligne(self) -> bool:
        return bool(self.lien)

    @property
    def accepte_inscriptions(self) -> bool:
        """Registration is open on published events that have not begun (not on a week,
        whose events take their own registrations)."""
        return (
            self.etat == EtatEvenement.PUBLIE
            and self.type != TypeEvenement.SEMAINE_THEMATIQUE
            and self.debut > timezone.now()
        )

    @property
    def a_commence(self) -> bool:
        return self.debut <= timezone.now()

    @property
    def uid(self) -> str:
        """The stable identifier of the event in calendars."""
        return f"evenement-{self.pk}@petitesvillesdedemain.anct.gouv.fr"


class ModuleFormation(models.Model):
    """A module of a session de formation."""

    session = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="modules")
    numero = models.PositiveSmallIntegerField("numéro")
    titre = models.CharField(max_length=200)
    debut = models.DateTimeField("début")
    fin = models.DateTimeField("fin")

    class Meta:
        ordering = ["session", "numero"]
        verbose_name = "module de formation"
        verbose_name_plural = "modules de formation"
        constraints = [
            models.UniqueConstraint(fields=["session", "numero"], name="module_numero_unique"),
            models.CheckConstraint(condition=Q(fin__gt=F("debut")), name="module_fin_apres_debut"),
        ]

    def __str__(self) -> str:
        return f"Module {self.numero} : {self.titre}"


class InscriptionQuerySet(models.QuerySet):
    def with_rang(self):
        """Annotate `rang`, the place on the waiting list (first come, first served)."""
        before = Inscription.objects.filter(
            evenement=OuterRef("evenement"), etat=EtatInscription.ATTENTE
        ).filter(
            Q(demandee_le__lt=OuterRef("demandee_le"))
            | Q(demandee_le=OuterRef("demandee_le"), pk__lte=OuterRef("pk"))
        )
        count = before.order_by().values("evenement").annotate(n=Count("pk")).values("n")
        return self.annotate(
            rang=Case(
                When(etat=EtatInscription.ATTENTE, then=Subquery(count)),
                default=None,
                output_field=IntegerField(),
            )
        )

    def for_user(self, user):
        """The Club team sees every registration; the préfecture those to its local events
        and of its territory's people; everyone the registrations they hold or made."""
        if not user.is_authenticated:
            return self.none()
        if is_club_team(user):
            return self
        condition = Q(participant__user=user) | Q(inscrit_par=user)
        perimetre = perimetre_territorial(user)
        if not perimetre.is_empty:
            condition |= Q(participant__commune__in=Commune.objects.filter(perimetre.communes_q()))
            departements = {
                h.departement_id
                for h in user.habilitations_list
                if h.role == Role.PREFECTURE and h.departement_id
            }
            if departements:
                condition |= Q(evenement__departement__in=departements)
        return self.filter(condition)

    def actives(self):
        return self.filter(etat__in=ETATS_ACTIFS)

    def attended(self):
        return self.filter(present=True)


class Inscription(models.Model):
    """One person's registration to one event, and whether they attended."""

    evenement = models.ForeignKey(Evenement, on_delete=models.PROTECT, related_name="inscriptions")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="inscriptions"
    )
    etat = models.CharField("état", max_length=20, choices=EtatInscription.choices)
    # The waiting list's order: the time of the (last) request.
    demandee_le = models.DateTimeField("demandée le", default=timezone.now)
    inscrit_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inscrit par",
    )
    source = models.CharField(max_length=20, choices=SourceInscription.choices)
    present = models.BooleanField("présent", null=True, blank=True)
    presence_saisie_le = models.DateTimeField(null=True, blank=True, editable=False)
    presence_saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # The state last announced to the person by e-mail, and when the reminder went: each
    # mail is claimed by a conditional update before it is sent, so a job run twice sends once.
    etat_notifie = models.CharField(max_length=20, blank=True, editable=False)
    rappel_envoye_le = models.DateTimeField(null=True, blank=True, editable=False)

    history = AuditedHistoricalRecords()
    objects = InscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["demandee_le", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evenement", "participant"], name="inscription_unique_par_evenement"
            ),
        ]
        indexes = [models.Index(fields=["evenement", "etat", "demandee_le"])]

    def __str__(self) -> str:
        return f"{self.participant} — {self.evenement}"


class ImportPresences(models.Model):
    """The provenance of an attendance import: which file, by whom, what it did."""

    evenement = models.ForeignKey(
        Evenement, on_delete=models.PROTECT, related_name="imports_presences"
    )
    fichier = models.CharField(max_length=255)
    importe_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    importe_le = models.DateTimeField(default=timezone.now)
    lignes = models.PositiveIntegerField()
    presents = models.PositiveIntegerField()
    invites_crees = models.PositiveIntegerField("invités créés")

    class Meta:
        ordering = ["-importe_le"]
        verbose_name = "import de présences"
        verbose_name_plural = "imports de présences"

    def __str__(self) -> str:
        return f"{self.fichier} ({self.evenement})"


# Audience -------------------------------------------------------------------------------------


class MesureAudienceQuerySet(models.QuerySet):
    def for_user(self, user):
        return self if user.is_authenticated else self.none()

    def latest_by(self, day: date) -> dict[str, int]:
        """The last figure of each channel measured on or before `day`."""
        values: dict[str, int] = {}
        for canal, valeur in (
            self.filter(date__lte=day).order_by("canal", "-date").values_list("canal", "valeur")
        ):
            values.setdefault(canal, valeur)
        return values


class MesureAudience(models.Model):
    """An audience figure of the Club's channels, typed by hand for a date."""

    canal = models.CharField(max_length=20, choices=Canal.choices)
    date = models.DateField("relevé le")
    valeur = models.PositiveIntegerField()
    saisi_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    saisi_le = models.DateTimeField(default=timezone.now, editable=False)

    history = AuditedHistoricalRecords()
    objects = MesureAudienceQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "canal"]
        verbose_name = "mesure d’audience"
        verbose_name_plural = "mesures d’audience"
        constraints = [
            models.UniqueConstraint(
                fields=["canal", "date"], name="audience_une_par_canal_et_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_canal_display()} : {self.valeur} au {self.date:%d/%m/%Y}"
