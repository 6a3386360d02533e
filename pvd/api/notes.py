"""The notes de suivi in the REST API: the notes one may read (`NoteSuiviQuerySet.for_user`,
the dashboard's rule: outside → 404), with their state and, once ready, the link of their PDF;
and the request of a note (`pvd.notes.services.demander_note`, built in the background).

A note is never modified through the API: it is requested, then built by a worker
(« en attente » → « en cours » → « prête » or « échec » with the reason).
"""

import django_filters
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.response import Response

from pvd.api import reponses
from pvd.api.filtres import FiltresPVD
from pvd.api.pagination import PaginationPVD
from pvd.indicateurs import acces
from pvd.models import EtatNote, NoteSuivi
from pvd.notes import perimetres
from pvd.notes.services import demander_note

INTROUVABLE = "Note introuvable ou hors de votre périmètre."


class NoteListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        notes = list(data)
        noms = perimetres.libelles(note.perimetre for note in notes)  # one query per level
        for note in notes:
            note.perimetre_libelle = noms[note.perimetre]
        return super().to_representation(notes)


class NoteSerializer(serializers.ModelSerializer):
    perimetre = serializers.CharField(
        read_only=True,
        help_text="`FR`, `region:<code INSEE>` ou `departement:<code INSEE>`.",
    )
    perimetre_libelle = serializers.SerializerMethodField(help_text="Le nom du territoire.")
    date = serializers.DateField(read_only=True, help_text="Les chiffres de ce jour-là.")
    etat = serializers.ChoiceField(
        choices=EtatNote.choices,
        read_only=True,
        help_text="`en_attente` (demandée), `en_cours` (en construction), `prete` (publiée : "
        "ses chiffres et son PDF ne changent plus) ou `echec` (voir `motif_echec` ; elle peut "
        "être demandée à nouveau).",
    )
    motif_echec = serializers.CharField(
        read_only=True, help_text="Pourquoi la note n’a pas pu être produite (vide sinon)."
    )
    page = serializers.CharField(
        source="get_absolute_url", read_only=True, help_text="La page de la note."
    )
    pdf = serializers.SerializerMethodField(help_text="Le lien du PDF, une fois la note prête.")
    valeurs = serializers.JSONField(
        read_only=True,
        allow_null=True,
        help_text="Les chiffres publiés, par clé d’indicateur (comme `/api/v1/tableau-de-bord/`),"
        " nuls tant que la note n’est pas prête.",
    )

    class Meta:
        model = NoteSuivi
        list_serializer_class = NoteListSerializer
        fields = [
            "id",
            "perimetre",
            "perimetre_libelle",
            "date",
            "etat",
            "motif_echec",
            "demandee_le",
            "prete_le",
            "page",
            "pdf",
            "valeurs",
        ]
        read_only_fields = fields

    def get_perimetre_libelle(self, note: NoteSuivi) -> str:
        if not hasattr(note, "perimetre_libelle"):
            note.perimetre_libelle = perimetres.libelle(note.perimetre)
        return note.perimetre_libelle

    def get_pdf(self, note: NoteSuivi) -> str | None:
        if not (note.est_prete and note.fichier):
            return None
        return self.context["request"].build_absolute_uri(reverse("note_pdf", args=[note.pk]))


class DemandeNoteSerializer(serializers.Serializer):
    perimetre = serializers.CharField(
        help_text="`FR`, `region:<code INSEE>` ou `departement:<code INSEE>` : l’ANCT demande "
        "tout périmètre, une préfecture son département, une région sa région."
    )
    date = serializers.DateField(
        required=False,
        help_text="Les chiffres de ce jour-là (AAAA-MM-JJ, aujourd’hui par défaut, jamais dans "
        "le futur).",
    )


class NoteFilter(django_filters.FilterSet):
    perimetre = django_filters.CharFilter(
        label="Le périmètre exact : `FR`, `region:27`, `departement:58`."
    )
    etat = django_filters.ChoiceFilter(label="L’état de la note.", choices=EtatNote.choices)
    date = django_filters.DateFilter(label="Le jour des chiffres (AAAA-MM-JJ).")

    class Meta:
        model = NoteSuivi
        fields = ["perimetre", "etat", "date"]


@extend_schema_view(
    list=extend_schema(
        summary="Liste des notes de suivi",
        description="Les notes des périmètres dont vous lisez le tableau de bord (la France "
        "pour tout utilisateur habilité ; une région ou un département que couvre votre "
        "périmètre), les plus récentes d’abord.",
        responses={200: NoteSerializer, **reponses.LISTE},
        tags=["notes de suivi"],
    ),
    retrieve=extend_schema(
        summary="Détail d’une note de suivi",
        description="Son état, ses chiffres publiés et le lien de son PDF une fois prête ; hors "
        "de votre périmètre : 404.",
        responses={200: NoteSerializer, **reponses.DETAIL},
        tags=["notes de suivi"],
    ),
    create=extend_schema(
        summary="Demander une note de suivi",
        description="La note est construite en arrière-plan : relisez-la (`id`) jusqu’à ce que "
        "son état soit `prete` ou `echec`. Une note déjà demandée pour ce périmètre et ce "
        "jour (et pas en échec) est renvoyée telle quelle, avec le code 200 ; une nouvelle "
        "demande répond 201.",
        request=DemandeNoteSerializer,
        examples=[
            OpenApiExample(
                "Département", value={"perimetre": "departement:58", "date": "2021-10-15"}
            )
        ],
        responses={
            201: NoteSerializer,
            200: NoteSerializer,
            400: reponses.erreur("Périmètre ou date illisible, date future, territoire inconnu."),
            401: reponses.NON_AUTHENTIFIE,
            403: reponses.erreur(
                "Vous ne pouvez pas demander de note pour ce territoire (l’ANCT : tous ; une "
                "préfecture : son département ; une région : sa région)."
            ),
            409: reponses.CONFLIT,
        },
        tags=["notes de suivi"],
    ),
)
class NoteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    pagination_class = PaginationPVD
    filter_backends = [FiltresPVD]
    filterset_class = NoteFilter
    serializer_class = NoteSerializer
    # Any value reaches the view, which answers a JSON 404 (not Django's HTML one).
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return NoteSuivi.objects.for_user(self.request.user).order_by(
            "-date", "-demandee_le", "-pk"
        )

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as error:
            raise NotFound(INTROUVABLE) from error

    def create(self, request, *args, **kwargs):
        data = request.data if hasattr(request.data, "get") else {}
        if not str(data.get("perimetre") or "").strip():
            raise ParseError(
                "champ « perimetre » : indiquez FR, region:<code> ou departement:<code>."
            )
        perimetre = acces.lire_perimetre(str(data["perimetre"]))
        jour = acces.lire_date(str(data.get("date") or ""), timezone.localdate())
        note = demander_note(by=request.user, perimetre=perimetre, jour=jour)
        code = status.HTTP_201_CREATED if note.nouvelle else status.HTTP_200_OK
        return Response(NoteSerializer(note, context={"request": request}).data, code)
