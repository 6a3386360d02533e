"""A commune's journey in the API: candidatures and their workflow, conventions d’adhésion,
conventions-cadres valant ORT and avenants, the dossiers (the communes of the programme and
their stage).

Every queryset starts from `for_user` (outside the perimeter: 404); an object that is visible but
not allowed answers 403, checked with the predicates of `conventions.permissions` that the HTML
views use. Writes go through the services of `conventions.services`, as the HTML forms do; their
refusals become JSON (`pvd.api.exceptions`). An update or a signature names the version it
changes (`pvd.api.concurrence`: `If-Match` or `version`; 428, 412, and 409 on a race).
"""

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from conventions import filters
from conventions.api import serializers as s
from conventions.enums import CANDIDATURE
from conventions.models import (
    Avenant,
    Candidature,
    ConventionAdhesion,
    ConventionCadre,
    Dossier,
)
from conventions.permissions import can_manage_conventions, files_candidatures, may_fire
from conventions.services import candidatures as candidature_services
from conventions.services import conventions as convention_services
from pvd.api import reponses
from pvd.api.concurrence import IF_MATCH, check_version, etag
from pvd.api.donnees import lire
from pvd.api.filtres import FiltresPVD
from pvd.api.pagination import PaginationPVD

DONNEES_REFUSEES = reponses.erreur(
    "Données illisibles (chaque champ et son motif) ou refusées par une règle du programme (le "
    "motif) : rien n’est écrit."
)
CREATION = {**reponses.CREATION, 400: DONNEES_REFUSEES}
MODIFICATION = {**reponses.MODIFICATION, 400: DONNEES_REFUSEES}
TRANSITION = {
    400: reponses.erreur(
        "Données illisibles, ou action impossible dans l’état actuel (par exemple déjà faite) : "
        "le motif ; rien n’est écrit."
    ),
    401: reponses.NON_AUTHENTIFIE,
    403: reponses.INTERDIT,
    404: reponses.INTROUVABLE,
}
NUMERO = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Numéro de l’objet.")


def donnees(serializer_class, request, *, partial: bool = False) -> dict:
    """The body read by `serializer_class`, or a 400 `{"detail": …}` naming every bad field."""
    return lire(serializer_class(data=request.data, partial=partial, context={"request": request}))


class ParcoursViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """List and detail (with its `ETag`) of objects fetched through `for_user`."""

    pagination_class = PaginationPVD
    filter_backends = [FiltresPVD]
    # Any value reaches the view, which answers a JSON 404 (not Django's HTML one).
    lookup_value_regex = "[^/]+"
    introuvable = "Objet introuvable ou hors de votre périmètre."

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as error:
            raise NotFound(self.introuvable) from error

    def retrieve(self, request, *args, **kwargs):
        return self.reponse(self.get_object())

    def reponse(self, obj, code=status.HTTP_200_OK) -> Response:
        headers = {"ETag": etag(obj)} if hasattr(obj, "version") else {}
        if code == status.HTTP_201_CREATED:
            headers["Location"] = reverse(f"api:{self.basename}-detail", args=[obj.pk])
        return Response(self.get_serializer(obj).data, status=code, headers=headers)

    def refuse_unless(self, allowed: bool, message: str) -> None:
        if not allowed:
            raise PermissionDenied(message)


# Candidatures ---------------------------------------------------------------------------------


def _transition(summary: str, description: str, serializer):
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[NUMERO],
        request=serializer,
        responses={200: s.CandidatureSerializer, **TRANSITION},
        tags=["candidatures"],
    )


@extend_schema_view(
    list=extend_schema(
        summary="Liste des candidatures",
        description="Les candidatures dont une commune est dans votre périmètre, les plus "
        "récentes d’abord.",
        responses={200: s.CandidatureSerializer, **reponses.LISTE},
        tags=["candidatures"],
    ),
    retrieve=extend_schema(
        summary="Détail d’une candidature",
        description="Une candidature, avec son `ETag` (sa version).",
        parameters=[NUMERO],
        responses={200: s.CandidatureSerializer, **reponses.DETAIL},
        tags=["candidatures"],
    ),
    create=extend_schema(
        summary="Déposer une candidature",
        description="Enregistre la candidature (déposée) d’une ou plusieurs communes d’un même "
        "département, désignées par leur code INSEE. Réservé à la préfecture de ces communes ; "
        "une commune qui a déjà une candidature déposée, instruite ou retenue est refusée.",
        request=s.CandidatureEcritureSerializer,
        responses={201: s.CandidatureSerializer, **CREATION},
        tags=["candidatures"],
    ),
    instruire=_transition(
        "Instruire une candidature",
        "La préfecture donne son avis sur une candidature déposée (aujourd’hui, sauf date "
        "indiquée).",
        s.InstructionSerializer,
    ),
    decider=_transition(
        "Décision du comité régional",
        "Enregistre la décision du comité régional (retenue ou non) sur une candidature "
        "instruite : la préfecture ou la région.",
        s.DecisionSerializer,
    ),
    retirer=_transition(
        "Retirer une candidature",
        "La préfecture retire une candidature déposée ou instruite.",
        s.RetraitSerializer,
    ),
)
class CandidatureViewSet(ParcoursViewSet):
    serializer_class = s.CandidatureSerializer
    filterset_class = filters.CandidatureFilter
    introuvable = "Candidature introuvable ou hors de votre périmètre."

    def get_queryset(self):
        return Candidature.objects.for_user(self.request.user).prefetch_related("communes")

    def create(self, request):
        self.refuse_unless(
            files_candidatures(request.user),
            "Les candidatures sont enregistrées par les préfectures.",
        )
        data = donnees(s.CandidatureEcritureSerializer, request)
        candidature = candidature_services.create_candidature(by=request.user, **data)
        return self.reponse(candidature, status.HTTP_201_CREATED)

    def _allowed(self, transition: str) -> Candidature:
        candidature = self.get_object()
        self.refuse_unless(
            may_fire(self.request.user, candidature, transition),
            f"Votre rôle ne permet pas l’action « {CANDIDATURE[transition].label} » sur ce "
            "dossier.",
        )
        return candidature

    @action(detail=True, methods=["post"])
    def instruire(self, request, pk=None):
        candidature = self._allowed("instruire")
        data = donnees(s.InstructionSerializer, request)
        return self.reponse(
            candidature_services.instruct_candidature(
                candidature=candidature, by=request.user, **data
            )
        )

    @action(detail=True, methods=["post"])
    def decider(self, request, pk=None):
        candidature = self._allowed("retenir")  # ne pas retenir: the same roles
        data = donnees(s.DecisionSerializer, request)
        return self.reponse(
            candidature_services.decide_candidature(
                candidature=candidature,
                by=request.user,
                retenue=data["decision"] == "retenir",
                decidee_le=data["decidee_le"],
                commentaire=data["commentaire"],
            )
        )

    @action(detail=True, methods=["post"])
    def retirer(self, request, pk=None):
        candidature = self._allowed("retirer")
        data = donnees(s.RetraitSerializer, request)
        return self.reponse(
            candidature_services.withdraw_candidature(
                candidature=candidature, by=request.user, commentaire=data["commentaire"]
            )
        )


# Conventions and avenants ---------------------------------------------------------------------

GEREES_PAR_LA_PREFECTURE = "Les conventions sont préparées et signées par leur préfecture."


class ConventionViewSet(ParcoursViewSet):
    """What conventions and avenants share: scoped reads, the préfecture's rights, signing."""

    model = ConventionAdhesion
    prefetch: tuple = ()

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user).prefetch_related(*self.prefetch)

    def _communes(self, obj):
        return getattr(obj, "convention", obj).communes.all()

    def _managed(self):
        """The object, if the user may prepare and sign it (403 otherwise)."""
        obj = self.get_object()
        self.refuse_unless(
            can_manage_conventions(self.request.user, self._communes(obj)),
            GEREES_PAR_LA_PREFECTURE,
        )
        return obj

    def _refuse_unless_preparer(self):
        self.refuse_unless(files_candidatures(self.request.user), GEREES_PAR_LA_PREFECTURE)

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def signer(self, request, pk=None):
        obj = self._managed()
        version = check_version(request, obj)
        data = donnees(s.SignatureSerializer, request)
        signed = convention_services.sign_convention(
            convention=obj,
            by=request.user,
            signee_le=data["signee_le"],
            document=data["document"],
            expected_version=version,
        )
        return self.reponse(signed)


class ModifiableViewSet(ConventionViewSet):
    """Conventions d’adhésion and cadres: PUT (every field) or PATCH (some) of one in
    preparation, at the version read."""

    ecriture = s.ConventionAdhesionEcritureSerializer

    def update(self, request, pk=None):
        return self._update(request, partial=False)

    def partial_update(self, request, pk=None):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool):
        obj = self._managed()
        version = check_version(request, obj)
        data = donnees(self.ecriture, request, partial=partial)
        data.pop("version", None)
        saved = self.save(obj, version, {**self.current(obj), **data})
        return self.reponse(saved)


def _convention_schema(pluriel: str, un: str, serializer, creation: tuple, ecriture=None):
    """The documentation of a kind of convention: `creation` is (description, request)."""
    tags = ["avenants"] if serializer is s.AvenantSerializer else ["conventions"]
    views = {
        "list": extend_schema(
            summary=f"Liste des {pluriel}",
            description=f"Les {pluriel} dont une commune est dans votre périmètre.",
            responses={200: serializer, **reponses.LISTE},
            tags=tags,
        ),
        "retrieve": extend_schema(
            summary=f"Détail d’{un}",
            description=f"Détail d’{un}, avec son `ETag` (sa version).",
            parameters=[NUMERO],
            responses={200: serializer, **reponses.DETAIL},
            tags=tags,
        ),
        "create": extend_schema(
            summary=f"Préparer {un}",
            description=creation[0],
            request=creation[1],
            responses={201: serializer, **CREATION},
            tags=tags,
        ),
        "signer": extend_schema(
            summary=f"Signer {un}",
            description="Enregistre la signature, avec le PDF signé (`multipart/form-data`), "
            "à la version lue (`If-Match` ou champ `version`). Réservé à la préfecture ; une "
            "seconde signature est refusée (400).",
            parameters=[NUMERO, IF_MATCH],
            request={"multipart/form-data": s.SignatureSerializer},
            responses={200: serializer, **MODIFICATION},
            tags=tags,
        ),
    }
    if ecriture is not None:
        modification = (
            f"Modifie {un} en préparation, à la version lue : l’en-tête `If-Match` (l’`ETag` "
            "du détail) ou le champ `version`. Sans version : 428 ; version périmée : 412 (avec "
            "l’`ETag` actuel) ; modifiée par quelqu’un d’autre pendant l’écriture : 409. Une "
            "convention signée se modifie par avenant (400). Réservé à la préfecture."
        )
        for name, verb in (("update", "Remplacer"), ("partial_update", "Modifier")):
            views[name] = extend_schema(
                summary=f"{verb} {un}",
                description=modification
                + (" Les champs absents gardent leur valeur." if name == "partial_update" else ""),
                parameters=[NUMERO, IF_MATCH],
                request=ecriture,
                responses={200: serializer, **MODIFICATION},
                tags=tags,
            )
    return extend_schema_view(**views)


@_convention_schema(
    "conventions d’adhésion",
    "une convention d’adhésion",
    s.ConventionAdhesionSerializer,
    (
        "Prépare la convention d’adhésion de communes lauréates d’un même département (codes "
        "INSEE), qui ne sont dans aucune autre. Réservé à leur préfecture.",
        s.ConventionAdhesionEcritureSerializer,
    ),
    ecriture=s.ConventionAdhesionEcritureSerializer,
)
class ConventionAdhesionViewSet(ModifiableViewSet):
    model = ConventionAdhesion
    serializer_class = s.ConventionAdhesionSerializer
    filterset_class = filters.ConventionFilter
    prefetch = ("communes", "partenaires", "conventions_cadres", "avenants")
    introuvable = "Convention d’adhésion introuvable ou hors de votre périmètre."

    def create(self, request):
        self._refuse_unless_preparer()
        data = donnees(s.ConventionAdhesionEcritureSerializer, request)
        data.pop("version", None)
        convention = convention_services.create_convention_adhesion(by=request.user, **data)
        return self.reponse(convention, status.HTTP_201_CREATED)

    def current(self, convention: ConventionAdhesion) -> dict:
        return {
            "communes": list(convention.communes.all()),
            "partenaires": list(convention.partenaires.all()),
            "cosignataire_conseil_departemental": convention.cosignataire_conseil_departemental,
            "cosignataire_conseil_regional": convention.cosignataire_conseil_regional,
            "presidence_comite": convention.presidence_comite,
            "president_comite": convention.president_comite,
        }

    def save(self, convention, version, data):
        return convention_services.update_convention_adhesion(
            convention=convention, by=self.request.user, expected_version=version, **data
        )


@_convention_schema(
    "conventions-cadres valant ORT",
    "une convention-cadre valant ORT",
    s.ConventionCadreSerializer,
    (
        "Prépare la convention-cadre valant ORT qui complète une convention d’adhésion signée "
        "(toutes ses communes par défaut). Réservé à leur préfecture.",
        s.ConventionCadreCreationSerializer,
    ),
    ecriture=s.ConventionCadreEcritureSerializer,
)
class ConventionCadreViewSet(ModifiableViewSet):
    model = ConventionCadre
    serializer_class = s.ConventionCadreSerializer
    filterset_class = filters.ConventionCadreFilter
    ecriture = s.ConventionCadreEcritureSerializer
    prefetch = ("communes", "orientations", "avenants")
    introuvable = "Convention-cadre introuvable ou hors de votre périmètre."

    def create(self, request):
        self._refuse_unless_preparer()
        data = donnees(s.ConventionCadreCreationSerializer, request)
        cadre = convention_services.create_convention_cadre(
            by=request.user,
            adhesion=data["adhesion"],
            communes=data.get("communes"),
            orientations=data["orientations"],
        )
        return self.reponse(cadre, status.HTTP_201_CREATED)

    def current(self, cadre: ConventionCadre) -> dict:
        return {
            "communes": list(cadre.communes.all()),
            "orientations": list(cadre.orientations.all()),
        }

    def save(self, cadre, version, data):
        return convention_services.update_convention_cadre(
            cadre=cadre, by=self.request.user, expected_version=version, **data
        )


@_convention_schema(
    "avenants",
    "un avenant",
    s.AvenantSerializer,
    (
        "Ajoute un avenant (en préparation) à une convention signée : d’adhésion "
        "(`convention_adhesion`) ou cadre (`convention_cadre`). Réservé à sa préfecture.",
        s.AvenantEcritureSerializer,
    ),
)
class AvenantViewSet(ConventionViewSet):
    model = Avenant
    serializer_class = s.AvenantSerializer
    filterset_class = filters.AvenantFilter
    introuvable = "Avenant introuvable ou hors de votre périmètre."

    def get_queryset(self):
        # The avenant's convention and its communes: the rights on it (`_managed`).
        return Avenant.objects.for_user(self.request.user).select_related("adhesion", "cadre")

    def create(self, request):
        self._refuse_unless_preparer()
        data = donnees(s.AvenantEcritureSerializer, request)
        convention = data["convention_adhesion"] or data["convention_cadre"]
        avenant = convention_services.create_avenant(
            by=request.user, convention=convention, objet=data["objet"]
        )
        return self.reponse(avenant, status.HTTP_201_CREATED)


# Dossiers -------------------------------------------------------------------------------------


def _first(model) -> Subquery:
    return Subquery(model.objects.filter(communes=OuterRef("pk")).order_by("pk").values("pk")[:1])


@extend_schema_view(
    list=extend_schema(
        summary="Liste des dossiers",
        description="Les communes du programme dans votre périmètre (lauréates, et candidates "
        "dont la candidature est ouverte), avec leur étape et leurs dates ; `pvd` vrai pour "
        "une Petite ville de demain (lauréate). Par nom.",
        responses={200: s.DossierSerializer, **reponses.LISTE},
        tags=["dossiers"],
    ),
    retrieve=extend_schema(
        summary="Dossier d’une commune",
        description="Une commune de votre périmètre, par son code INSEE : son étape dans le "
        "programme (nulle hors du programme) et ses dates.",
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="Code INSEE")],
        responses={200: s.DossierSerializer, **reponses.DETAIL},
        tags=["dossiers"],
    ),
)
class DossierViewSet(ParcoursViewSet):
    serializer_class = s.DossierSerializer
    filterset_class = filters.DossierAPIFilter
    lookup_field = "code"
    introuvable = "Aucune commune de votre périmètre n’a ce code INSEE."

    def get_queryset(self):
        dossiers = Dossier.objects.for_user(self.request.user)
        if self.action == "list":
            dossiers = dossiers.in_programme()
        return (
            dossiers.with_etape()
            .annotate(
                convention_adhesion=_first(ConventionAdhesion),
                convention_cadre=_first(ConventionCadre),
            )
            .select_related("departement")
            .order_by("nom_recherche", "code")
        )
