"""The API of the national layer: the dashboard's indicators as JSON."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from communes.perimetre import Perimetre
from pvd.indicateurs import Contexte, acces, calculer

ERREUR = inline_serializer("Erreur", {"detail": serializers.CharField()})


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
            200: inline_serializer(
                "TableauDeBord",
                {
                    "perimetre": serializers.CharField(),
                    "date": serializers.DateField(),
                    "indicateurs": serializers.DictField(
                        child=serializers.JSONField(),
                        help_text="Valeur de chaque indicateur, par clé stable : un nombre, "
                        "un objet (répartition) ou une liste (série mensuelle).",
                    ),
                },
            ),
            400: OpenApiResponse(ERREUR, description="Périmètre ou date illisible, date future."),
            404: OpenApiResponse(ERREUR, description="Territoire hors de votre périmètre."),
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
