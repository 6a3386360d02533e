"""The Club in the REST API: the agenda's events (read-only) and registrations (list, detail,
register oneself or a colleague, cancel).

Every queryset starts from the model's `for_user`, as the HTML agenda does: published and
cancelled events are public (anonymous visitors included); a draft or a préfecture's proposal
is seen by the Club team, its author and the préfecture of its département. Registrations are
personal: the Club team sees them all, a territory those of its people (and a préfecture those
of its local events), everyone the ones they hold or made. Outside: 404.

Writes go through `club.services`, with the checks of the HTML forms: a refusal of the
programme's rules answers 400, a role that may not act 403 (`pvd.api.exceptions`).
Registrations carry no version: registering and cancelling are serialised by the services'
row lock on the event, and a second cancellation is refused, never applied twice.
"""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.fields import CharField
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from club import services
from club.api.filters import EvenementFilter, InscriptionFilter
from club.api.serializers import (
    DemandeInscriptionSerializer,
    EvenementSerializer,
    InscriptionSerializer,
)
from club.enums import EtatInscription
from club.forms import communes_inscriptibles
from club.models import Evenement, Inscription
from club.permissions import can_register
from communes.models import Commune
from pvd.api import reponses
from pvd.api.donnees import lire
from pvd.api.filtres import FiltresPVD
from pvd.api.pagination import PaginationPVD
from pvd.exceptions import NotAllowed

EVENEMENT_INTROUVABLE = "Événement introuvable ou hors de ce que vous pouvez voir."
INSCRIPTION_INTROUVABLE = "Inscription introuvable ou hors de votre périmètre."


class Scoped:
    """A detail outside the user's scope answers the API's JSON 404 with a French message."""

    introuvable = "Objet introuvable."
    # Any value reaches the view, which answers a JSON 404 (the default `[^/.]+` would leave a
    # value with a dot, `0.5`, to Django's HTML 404).
    lookup_value_regex = "[^/]+"

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as error:
            raise NotFound(self.introuvable) from error


@extend_schema_view(
    list=extend_schema(
        summary="Liste des événements du Club",
        description="Les événements que vous pouvez voir, du plus ancien au plus récent : les "
        "événements publiés et annulés (publics, visiteurs anonymes compris), et les "
        "brouillons ou propositions que vous voyez sur l’agenda (équipe du Club, auteur, "
        "préfecture du département).",
        responses={200: EvenementSerializer, **reponses.LISTE},
        tags=["club"],
    ),
    retrieve=extend_schema(
        summary="Détail d’un événement du Club",
        description="Un événement que vous pouvez voir ; ailleurs : 404.",
        responses={200: EvenementSerializer, **reponses.DETAIL},
        tags=["club"],
    ),
)
class EvenementViewSet(Scoped, viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]  # the agenda is public; `for_user` does the rest
    serializer_class = EvenementSerializer
    pagination_class = PaginationPVD
    filter_backends = [FiltresPVD]
    filterset_class = EvenementFilter
    introuvable = EVENEMENT_INTROUVABLE

    def get_queryset(self):
        user = self.request.user
        mon_etat = Value(None, output_field=CharField())
        if user.is_authenticated:
            mon_etat = Subquery(
                Inscription.objects.filter(evenement=OuterRef("pk"), participant__user=user)
                .exclude(etat=EtatInscription.ANNULEE)
                .values("etat")[:1]
            )
        return (
            Evenement.objects.for_user(user)
            .annotate(
                nb_inscrits=Count(
                    "inscriptions", filter=Q(inscriptions__etat=EtatInscription.INSCRIT)
                ),
                mon_etat=mon_etat,
            )
            .prefetch_related(
                "organisateurs",
                Prefetch("communes_valorisees", queryset=Commune.objects.only("code")),
            )
            .order_by("debut", "pk")
        )


ANNULATION = {
    400: reponses.erreur("Inscription déjà annulée."),
    401: reponses.NON_AUTHENTIFIE,
    403: reponses.erreur(
        "Vous ne pouvez pas l’annuler : ni la personne, ni qui l’a inscrite, ni l’équipe du "
        "Club ; ou l’événement a commencé, ou l’inscription est déjà annulée."
    ),
    404: reponses.INTROUVABLE,
    409: reponses.CONFLIT,
}


@extend_schema_view(
    list=extend_schema(
        summary="Liste des inscriptions aux événements du Club",
        description="Les inscriptions que vous pouvez voir : les vôtres et celles que vous avez "
        "faites ; celles des personnes de votre territoire (commune, EPCI, préfecture, "
        "région) ; celles des événements locaux de votre département (préfecture) ; toutes "
        "pour l’équipe du Club.",
        responses={200: InscriptionSerializer, **reponses.LISTE},
        tags=["club"],
    ),
    retrieve=extend_schema(
        summary="Détail d’une inscription",
        responses={200: InscriptionSerializer, **reponses.DETAIL},
        tags=["club"],
    ),
    create=extend_schema(
        summary="S’inscrire ou inscrire un collègue",
        description="Sans `email`, vous vous inscrivez vous-même ; avec `email`, `prenom` et "
        "`nom`, vous inscrivez un collègue (utilisateur du portail ou non), éventuellement "
        "d’une commune de votre territoire. Une place s’il en reste, sinon la liste "
        "d’attente (`etat` `attente`, `rang`) ; un courriel prévient la personne. Les mêmes "
        "règles que sur la page de l’événement : événement publié, pas encore commencé, pas "
        "une semaine thématique (400) ; un compte de commune, d’EPCI, de préfecture, de "
        "partenaire ou de l’ANCT (403).",
        request=DemandeInscriptionSerializer,
        responses={
            201: InscriptionSerializer,
            **reponses.CREATION,
            404: reponses.erreur("Événement inconnu ou que vous ne pouvez pas voir."),
        },
        tags=["club"],
    ),
    annuler=extend_schema(
        summary="Annuler une inscription",
        description="Par la personne, qui l’a inscrite ou l’équipe du Club, avant le début de "
        "l’événement. Une place libérée va à la première personne de la liste d’attente.",
        request=None,
        responses={200: InscriptionSerializer, **ANNULATION},
        tags=["club"],
    ),
)
class InscriptionViewSet(
    Scoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = InscriptionSerializer
    pagination_class = PaginationPVD
    filter_backends = [FiltresPVD]
    filterset_class = InscriptionFilter
    introuvable = INSCRIPTION_INTROUVABLE

    def get_queryset(self):
        return (
            Inscription.objects.for_user(self.request.user)
            .with_rang()
            .select_related("evenement", "participant")
            .order_by("evenement__debut", "pk")
        )

    def _answer(self, inscription: Inscription, code: int) -> Response:
        inscription = self.get_queryset().get(pk=inscription.pk)  # its rang, as it is now
        return Response(self.get_serializer(inscription).data, status=code)

    def create(self, request, *args, **kwargs):
        user = request.user
        data = lire(DemandeInscriptionSerializer(data=request.data))
        evenement = Evenement.objects.for_user(user).filter(pk=data["evenement"]).first()
        if evenement is None:
            raise NotFound(EVENEMENT_INTROUVABLE)
        if "email" not in data:
            return self._answer(services.inscrire_moi(evenement=evenement, by=user), 201)
        if not can_register(user):
            raise NotAllowed("Votre compte ne permet pas d’inscrire des personnes au Club.")
        commune = None
        if code := data.get("commune"):
            commune = communes_inscriptibles(user).filter(pk=code).first()
            if commune is None:
                raise ParseError(
                    f"champ « commune » : « {code} » n’est pas une commune de votre territoire."
                )
        inscription = services.inscrire_collegue(
            evenement=evenement,
            by=user,
            email=data["email"],
            prenom=data["prenom"],
            nom=data["nom"],
            commune=commune,
        )
        return self._answer(inscription, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def annuler(self, request, pk=None):
        inscription = self.get_object()
        services.annuler_inscription(inscription=inscription, by=request.user)
        return self._answer(inscription, status.HTTP_200_OK)
