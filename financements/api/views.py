"""Pillar 2 in the API: financing lines (request, edition, decision, payments), the actions of
the projets de territoire, and read-only referentials (mesures, sources, organisations,
labels).

Like the HTML views (`financements.views`): every object through `for_user` (outside: 404),
the predicates of `financements.permissions` (visible but not allowed: 403, with the page's
message), writes through `financements.services`. The catalogue is read as its pages read it:
all of it for the ANCT, what is open for everyone else.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action

from communes.models import Organisation
from financements import filters, services
from financements.api import serializers as s
from financements.api.base import (
    ACTION,
    ETAG,
    VERSION_FACULTATIVE,
    ObjetsViewSet,
    interdit_si,
    ok,
)
from financements.models import Action, Financement, Label, Mesure, SourceFinancement
from financements.permissions import (
    can_edit_action,
    can_edit_financement,
    can_manage_catalogue,
    declares_actions,
    records_lines,
)
from pvd.api import reponses
from pvd.api.concurrence import IF_MATCH
from pvd.api.donnees import lire

# The messages of the HTML views.
LIGNE_D_UN_AUTRE = (
    "Cette ligne est celle de {financeur} : seuls ses agents et la préfecture la modifient, la "
    "décident et enregistrent ses versements."
)
ENREGISTREURS = (
    "Les financements sont enregistrés par la préfecture et par les partenaires financeurs."
)
CATALOGUE_DE_L_ANCT = "Le catalogue du programme est tenu par l’équipe nationale (ANCT)."
DECLARANTS = "Les actions sont déclarées par la commune, son intercommunalité et la préfecture."


def _without_version(data: dict) -> dict:
    data.pop("version", None)
    return data


# Financing lines ---------------------------------------------------------------------------

FINANCEMENTS = ["financements"]


@extend_schema_view(
    list=extend_schema(
        summary="Liste des lignes de financement",
        description="Les lignes de financement de votre périmètre (une ligne est visible quand "
        "l’une de ses communes l’est), des plus récentes aux plus anciennes. Filtres : "
        "territoire (codes officiels), état, année, source, mesure, financeur, action, dates "
        "de décision.",
        responses={200: s.FinancementSerializer, **reponses.LISTE},
        tags=FINANCEMENTS,
    ),
    retrieve=extend_schema(
        summary="Détail d’une ligne de financement",
        description="Une ligne, ses montants (demandé, accordé, versé, reste à verser) et ses "
        "versements. L’en-tête `ETag` porte sa version.",
        parameters=[ETAG],
        responses={200: s.FinancementSerializer, **reponses.DETAIL},
        tags=FINANCEMENTS,
    ),
    create=extend_schema(
        summary="Enregistrer une demande de financement",
        description="Une demande à une source (`source`) ou pour une mesure (`mesure`), pour "
        "des communes du programme. La préfecture enregistre toute ligne de son département ; "
        "un partenaire, les lignes de son organisation dans sa zone (sinon 403). La ligne "
        "naît « demandée ».",
        parameters=[ETAG],
        responses={201: ok(s.FinancementSerializer, "La ligne créée."), **reponses.CREATION},
        tags=FINANCEMENTS,
    ),
    partial_update=extend_schema(
        summary="Modifier une demande de financement",
        description="Ses communes, son objet, son année, son montant demandé, son action, tant "
        "qu’elle n’est pas décidée (la source ou la mesure ne change pas). La version lue est "
        "exigée (`If-Match` ou `version`).",
        parameters=[IF_MATCH, ETAG],
        responses={200: ok(s.FinancementSerializer, "La ligne modifiée."), **reponses.MODIFICATION},
        tags=FINANCEMENTS,
    ),
)
class FinancementViewSet(ObjetsViewSet):
    serializer_class = s.FinancementSerializer
    filterset_class = filters.FinancementApiFilter
    introuvable = "Aucune ligne de financement de votre périmètre n’a ce numéro."

    def scoped(self):
        return (
            Financement.objects.for_user(self.request.user)
            .select_related("source", "mesure", "financeur")
            .prefetch_related("communes__departement", "versements")
        )

    def _check_writer(self, financement):
        interdit_si(
            not can_edit_financement(self.request.user, financement),
            LIGNE_D_UN_AUTRE.format(financeur=financement.financeur),
        )

    def create(self, request, *args, **kwargs):
        interdit_si(not records_lines(request.user), ENREGISTREURS)
        data = _without_version(lire(self.get_serializer(data=request.data)))
        financement = services.create_financement(by=request.user, **data)
        return self.repondre(financement, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        financement = self.get_object()
        self._check_writer(financement)
        version = self.version_attendue(financement)
        data = lire(self.get_serializer(financement, data=request.data, partial=True))
        services.update_financement(
            by=request.user,
            financement=financement,
            expected_version=version,
            **_without_version(data),
        )
        return self.repondre(financement)

    @extend_schema(
        summary="Accorder une demande",
        description="La décision d’accorder `montant_accorde` (au plus le montant demandé), "
        "prise le `decide_le`. Une ligne déjà décidée : 400.",
        request=s.AccordSerializer,
        parameters=[VERSION_FACULTATIVE, ETAG],
        responses={200: ok(s.FinancementSerializer, "La ligne accordée."), **ACTION},
        tags=FINANCEMENTS,
    )
    @action(detail=True, methods=["post"])
    def accorder(self, request, pk=None):
        financement = self.get_object()
        self._check_writer(financement)
        self.version_attendue(financement, requise=False)
        data = _without_version(lire(s.AccordSerializer(data=request.data)))
        services.accorder(by=request.user, financement=financement, **data)
        return self.repondre(financement)

    @extend_schema(
        summary="Refuser une demande",
        description="La décision de refuser, prise le `decide_le`. Une ligne déjà décidée : 400.",
        request=s.RefusSerializer,
        parameters=[VERSION_FACULTATIVE, ETAG],
        responses={200: ok(s.FinancementSerializer, "La ligne refusée."), **ACTION},
        tags=FINANCEMENTS,
    )
    @action(detail=True, methods=["post"])
    def refuser(self, request, pk=None):
        financement = self.get_object()
        self._check_writer(financement)
        self.version_attendue(financement, requise=False)
        data = _without_version(lire(s.RefusSerializer(data=request.data)))
        services.refuser(by=request.user, financement=financement, **data)
        return self.repondre(financement)

    @extend_schema(
        summary="Enregistrer un versement",
        description="Un versement sur une ligne accordée, au plus ce qui reste à verser ; le "
        "dernier la rend « versée ». Répond la ligne à jour.",
        request=s.NouveauVersementSerializer,
        parameters=[VERSION_FACULTATIVE, ETAG],
        responses={201: ok(s.FinancementSerializer, "La ligne et ses versements."), **ACTION},
        tags=FINANCEMENTS,
    )
    @action(detail=True, methods=["post"])
    def versements(self, request, pk=None):
        financement = self.get_object()
        self._check_writer(financement)
        self.version_attendue(financement, requise=False)
        data = _without_version(lire(s.NouveauVersementSerializer(data=request.data)))
        services.record_versement(by=request.user, financement=financement, **data)
        return self.repondre(financement, status.HTTP_201_CREATED)


# Actions ---------------------------------------------------------------------------

ACTIONS = ["actions des projets de territoire"]


@extend_schema_view(
    list=extend_schema(
        summary="Liste des actions",
        description="Les fiches actions des projets de territoire de votre périmètre. Filtres : "
        "territoire (codes officiels), orientation, type, état.",
        responses={200: s.ActionSerializer, **reponses.LISTE},
        tags=ACTIONS,
    ),
    retrieve=extend_schema(
        summary="Détail d’une action",
        description="Une action et sa version (en-tête `ETag`).",
        parameters=[ETAG],
        responses={200: s.ActionSerializer, **reponses.DETAIL},
        tags=ACTIONS,
    ),
    create=extend_schema(
        summary="Déclarer une action",
        description="Déclarée par la commune, son EPCI ou sa préfecture, pour des communes du "
        "programme de son périmètre.",
        parameters=[ETAG],
        responses={201: ok(s.ActionSerializer, "L’action créée."), **reponses.CREATION},
        tags=ACTIONS,
    ),
    partial_update=extend_schema(
        summary="Modifier une action",
        description="Le type ne change plus quand des financements ou un poste s’y rapportent "
        "(400). La version lue est exigée (`If-Match` ou `version`).",
        parameters=[IF_MATCH, ETAG],
        responses={200: ok(s.ActionSerializer, "L’action modifiée."), **reponses.MODIFICATION},
        tags=ACTIONS,
    ),
)
class ActionViewSet(ObjetsViewSet):
    serializer_class = s.ActionSerializer
    filterset_class = filters.ActionApiFilter
    introuvable = "Aucune action de votre périmètre n’a ce numéro."

    def scoped(self):
        return (
            Action.objects.for_user(self.request.user)
            .select_related("orientation")
            .prefetch_related("communes__departement")
        )

    def create(self, request, *args, **kwargs):
        interdit_si(not declares_actions(request.user), DECLARANTS)
        data = _without_version(lire(self.get_serializer(data=request.data)))
        return self.repondre(
            services.create_action(by=request.user, **data), status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        interdit_si(not can_edit_action(request.user, obj), DECLARANTS)
        version = self.version_attendue(obj)
        data = lire(self.get_serializer(obj, data=request.data, partial=True))
        services.update_action(
            by=request.user, action=obj, expected_version=version, **_without_version(data)
        )
        return self.repondre(obj)


# Read-only referentials ------------------------------------------------------------------------

CATALOGUE = ["catalogue du programme"]


def _referentiel(tag, pluriel: str, un: str, serializer, description: str, lookup: str, **more):
    return extend_schema_view(
        **more,
        list=extend_schema(
            summary=f"Liste des {pluriel}",
            description=description,
            responses={200: serializer, **reponses.LISTE},
            tags=tag,
        ),
        retrieve=extend_schema(
            summary=f"Détail d’{un}",
            description=f"{un[0].upper()}{un[1:]}, désigné par son {lookup}.",
            responses={200: serializer, **reponses.DETAIL},
            tags=tag,
        ),
    )


class CatalogueViewSet(ObjetsViewSet):
    lookup_field = "code"
    http_method_names = ["get", "head", "options"]

    def ouverts(self, queryset):
        if can_manage_catalogue(self.request.user):
            return queryset
        return queryset.filter(active=True)


class AjoutAuCatalogueViewSet(CatalogueViewSet):
    """Mesures and sources: the ANCT adds to them. No update here: the catalogue's objects
    carry no version, and the API never overwrites blindly (the portal's pages edit them)."""

    http_method_names = ["get", "post", "head", "options"]
    service = None

    def create(self, request, *args, **kwargs):
        interdit_si(not can_manage_catalogue(request.user), CATALOGUE_DE_L_ANCT)
        data = lire(self.get_serializer(data=request.data))
        saved = type(self).service(by=request.user, **data)
        return self.repondre(saved, status.HTTP_201_CREATED)


def _ajout(un: str, serializer) -> dict:
    return {
        "create": extend_schema(
            summary=f"Ajouter {un} au catalogue",
            description="Réservé à l’équipe nationale (ANCT), qui tient le catalogue ; le code "
            "est unique. Les modifications se font sur le portail.",
            responses={
                201: ok(serializer, f"{un[0].upper()}{un[1:]} ajoutée."),
                **reponses.CREATION,
            },
            tags=CATALOGUE,
        )
    }


@_referentiel(
    CATALOGUE,
    "mesures",
    "une mesure",
    s.MesureSerializer,
    "Les mesures de l’offre du programme (les clés d’abord). L’ANCT, qui tient le catalogue, "
    "voit aussi celles retirées (`active` faux).",
    "code",
    **_ajout("une mesure", s.MesureSerializer),
)
class MesureViewSet(AjoutAuCatalogueViewSet):
    serializer_class = s.MesureSerializer
    filterset_class = filters.MesureApiFilter
    service = services.save_mesure
    introuvable = "Aucune mesure n’a ce code."

    def scoped(self):
        return self.ouverts(Mesure.objects.select_related("partenaire"))


@_referentiel(
    CATALOGUE,
    "sources de financement",
    "une source de financement",
    s.SourceSerializer,
    "Les sources de financement (dotations, fonds, aides des partenaires). L’ANCT voit aussi "
    "celles fermées (`active` faux).",
    "code",
    **_ajout("une source de financement", s.SourceSerializer),
)
class SourceViewSet(AjoutAuCatalogueViewSet):
    serializer_class = s.SourceSerializer
    filterset_class = filters.SourceApiFilter
    service = services.save_source
    introuvable = "Aucune source de financement n’a ce code."

    def scoped(self):
        return self.ouverts(SourceFinancement.objects.select_related("financeur"))


@_referentiel(
    CATALOGUE,
    "organisations",
    "une organisation",
    s.OrganisationSerializer,
    "Le référentiel des partenaires du programme (opérateurs, financeurs, collectivités) "
    "désignés par leur code (`bdt`, `anah`, `cd-58`…).",
    "code",
)
class OrganisationViewSet(CatalogueViewSet):
    serializer_class = s.OrganisationSerializer
    filterset_class = filters.OrganisationApiFilter
    introuvable = "Aucune organisation n’a ce code."

    def scoped(self):
        return Organisation.objects.filter(code__isnull=False).order_by("nom")


@_referentiel(
    ["labels"],
    "labels",
    "un label",
    s.LabelSerializer,
    "Les labels thématiques (France Services, Micro-Folie…) des communes de votre périmètre. "
    "Filtres : territoire, type, `actif_le`.",
    "numéro",
)
class LabelViewSet(ObjetsViewSet):
    serializer_class = s.LabelSerializer
    filterset_class = filters.LabelApiFilter
    http_method_names = ["get", "head", "options"]
    introuvable = "Aucun label de votre périmètre n’a ce numéro."

    def scoped(self):
        return Label.objects.for_user(self.request.user).order_by("commune__nom", "type", "debut")
