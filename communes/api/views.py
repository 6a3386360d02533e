"""The territories in the API: public reference data, read-only, addressed by their official
codes (INSEE code, SIREN for an EPCI), never by an internal id.

Like the HTML territory browser (`communes.views`), they read the tables directly: no
`for_user`, anonymous visitors included (DRF views are exempt from `LoginRequiredMiddleware`;
`AllowAny` overrides the API's default `IsAuthenticated`).

Lists show current territories only unless `?actuel=false` (`communes.api.filters`); a detail
answers an obsolete territory too, with `"actuel": false`, as the browser's pages do (an old
code stays readable).
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from communes.api import filters
from communes.api.serializers import (
    CommuneSerializer,
    DepartementSerializer,
    EPCISerializer,
    RegionSerializer,
)
from communes.models import EPCI, Commune, Departement, Region
from pvd.api.filtres import FiltresPVD
from pvd.api.pagination import PaginationPVD
from pvd.api.serializers import ErreurSerializer

ERREURS_DES_FILTRES = OpenApiResponse(
    ErreurSerializer,
    description="Un filtre illisible (code inconnu, `actuel` autre que `true` ou `false`) : "
    "chaque paramètre et son message.",
)
PAGE_INTROUVABLE = OpenApiResponse(ErreurSerializer, description="Page au-delà de la dernière.")
# Territories are public, but a request that presents a token must present a valid one.
JETON_REFUSE = OpenApiResponse(
    ErreurSerializer, description="Jeton d’API faux, expiré ou révoqué (sans jeton : public)."
)


def _documented(viewset):
    """Document a territory's list and detail from the viewset's `pluriel`, `un` (its noun with
    an article), `lookup_field` and `introuvable`."""
    lookup = viewset.lookup_field
    return extend_schema_view(
        list=extend_schema(
            summary=f"Liste des {viewset.pluriel}",
            description=f"Les {viewset.pluriel} du référentiel, actuels seulement par défaut "
            "(`actuel=false` : les obsolètes).",
            responses={
                200: viewset.serializer_class,
                400: ERREURS_DES_FILTRES,
                401: JETON_REFUSE,
                404: PAGE_INTROUVABLE,
            },
            tags=["territoires"],
        ),
        retrieve=extend_schema(
            summary=f"Détail d’{viewset.un}",
            description=f"Détail d’{viewset.un}, même obsolète (`actuel` faux).",
            parameters=[
                OpenApiParameter(
                    lookup,
                    OpenApiTypes.STR,
                    OpenApiParameter.PATH,
                    description="SIREN" if lookup == "siren" else "Code INSEE",
                )
            ],
            responses={
                200: viewset.serializer_class,
                401: JETON_REFUSE,
                404: OpenApiResponse(ErreurSerializer, description=viewset.introuvable),
            },
            tags=["territoires"],
        ),
    )(viewset)


class TerritoireViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    pagination_class = PaginationPVD
    filter_backends = [FiltresPVD]
    # Any code reaches the view, which answers a JSON 404 (the default `[^/.]+` would leave a
    # code with a dot to Django's HTML 404).
    lookup_value_regex = "[^/]+"
    introuvable = "Territoire introuvable."

    def filter_queryset(self, queryset):
        # The filters (and their default, current territories only) are those of the list: a
        # detail answers any code of the referential.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as error:
            raise NotFound(self.introuvable) from error


@_documented
class RegionViewSet(TerritoireViewSet):
    pluriel = "régions"
    un = "une région"
    queryset = Region.objects.order_by("nom", "code")
    serializer_class = RegionSerializer
    filterset_class = filters.RegionFilter
    lookup_field = "code"
    introuvable = "Aucune région n’a ce code INSEE."


@_documented
class DepartementViewSet(TerritoireViewSet):
    pluriel = "départements"
    un = "un département"
    queryset = Departement.objects.order_by("code")
    serializer_class = DepartementSerializer
    filterset_class = filters.DepartementFilter
    lookup_field = "code"
    introuvable = "Aucun département n’a ce code INSEE."


@_documented
class EPCIViewSet(TerritoireViewSet):
    pluriel = "EPCI"
    un = "un EPCI"
    queryset = EPCI.objects.order_by("nom_recherche", "siren")
    serializer_class = EPCISerializer
    filterset_class = filters.EPCIFilter
    lookup_field = "siren"
    introuvable = "Aucun EPCI n’a ce SIREN."


@_documented
class CommuneViewSet(TerritoireViewSet):
    pluriel = "communes"
    un = "une commune"
    queryset = (
        Commune.objects.select_related("departement")
        .prefetch_related("codes_postaux")
        .order_by("nom_recherche", "code")
    )
    serializer_class = CommuneSerializer
    filterset_class = filters.CommuneFilter
    lookup_field = "code"
    introuvable = "Aucune commune n’a ce code INSEE."
