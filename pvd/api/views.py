"""The API of the national layer: the dashboard's indicators as JSON."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from communes.perimetre import Perimetre
from pvd.api.serializers import ErreurSerializer, TableauDeBordSerializer
from pvd.indicateurs import Contexte, acces, calculer


class TableauDeBordView(APIView):
    """The indicators of a perimeter at a date, those the user may read (`pvd.indicateurs.acces`).

    Anonymous visitors are let in: they read France's public indicators only.
    """

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="tableau_de_bord",
        summary="Indicateurs du tableau de bord",
        description=(
            "Les indicateurs du programme Petites villes de demain pour un périmètre (la France, "
            "une région, un département), tels qu’ils étaient à une date. Un utilisateur connecté "
            "lit la France et les territoires de son périmètre (ailleurs : 404) ; un visiteur "
            "anonyme lit les indicateurs publics de la France (le déploiement du programme, "
            "aucun montant). Les pourcentages vont de 0 à 100, avec une décimale."
        ),
        parameters=[
            OpenApiParameter(
                "perimetre",
                OpenApiTypes.STR,
                description="`FR` (par défaut), `region:<code INSEE>` ou "
                "`departement:<code INSEE>`.",
                examples=[
                    OpenApiExample("France", value="FR"),
                    OpenApiExample("Région", value="region:27"),
                    OpenApiExample("Département", value="departement:58"),
                ],
            ),
            OpenApiParameter(
                "date",
                OpenApiTypes.DATE,
                description="Les chiffres de ce jour-là (AAAA-MM-JJ, aujourd’hui par défaut, "
                "jamais dans le futur).",
            ),
        ],
        responses={
            200: OpenApiResponse(
                TableauDeBordSerializer,
                description="Les indicateurs que l’utilisateur peut lire.",
                examples=[
                    OpenApiExample(
                        "Département",
                        value={
                            "perimetre": "departement:58",
                            "date": "2021-10-15",
                            "indicateurs": {"communes_pvd": 2, "communes_adhesion_signee": 2},
                        },
                    )
                ],
            ),
            400: OpenApiResponse(
                ErreurSerializer,
                description="Périmètre ou date illisible, date future.",
                examples=[
                    OpenApiExample(
                        "Périmètre inconnu",
                        value={
                            "detail": "Périmètre « x » inconnu : écrivez FR, region:<code> ou "
                            "departement:<code>."
                        },
                    )
                ],
            ),
            # knox's TokenAuthentication comes first in REST_FRAMEWORK: any `Authorization:
            # Token …` header it cannot match answers 401, even here where anonymous reads.
            401: OpenApiResponse(
                ErreurSerializer,
                description="Jeton faux, expiré ou révoqué (en-tête `WWW-Authenticate: Token`).",
                examples=[OpenApiExample("Jeton invalide", value={"detail": "Token non valide."})],
            ),
            404: OpenApiResponse(
                ErreurSerializer,
                description="Territoire inconnu ou hors de votre périmètre (visiteur anonyme : "
                "tout autre périmètre que la France).",
                examples=[
                    OpenApiExample(
                        "Hors périmètre",
                        value={"detail": "Ce territoire n’est pas dans votre périmètre."},
                    )
                ],
            ),
        },
        tags=["tableau de bord"],
    )
    def get(self, request):
        user_perimetre = Perimetre.of(request.user)
        perimetre = acces.lire_perimetre(request.query_params.get("perimetre"))
        jour = acces.lire_date(request.query_params.get("date"), timezone.localdate())
        acces.check_lisible(user_perimetre, perimetre)
        indicateurs = calculer(Contexte(perimetre, jour), acces.cles_lisibles(user_perimetre))
        return Response(
            {"perimetre": perimetre.param, "date": jour.isoformat(), "indicateurs": indicateurs}
        )
