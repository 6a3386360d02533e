"""Pillar 1 in the API: chefs de projet (their co-financing and their life), their VTA, the
soutiens en ingénierie, the besoins exprimés.

Like the HTML views (`ingenierie.views`): every object through `for_user` (outside: 404), the
predicates of `ingenierie.permissions` (visible but not allowed: 403, with the page's message),
writes through `ingenierie.services` (the 75 % cap and the Anah's OPAH-RU: 400 with the French
message, nothing written).
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound

from conventions.models import Dossier
from financements.api.base import (
    ACTION,
    ETAG,
    VERSION_FACULTATIVE,
    ObjetsViewSet,
    interdit_si,
    ok,
)
from financements.permissions import records_lines
from ingenierie import services
from ingenierie.api import filters
from ingenierie.api import serializers as s
from ingenierie.models import BesoinsExprimes, PosteChefDeProjet, PosteVTA, SoutienIngenierie
from ingenierie.permissions import (
    can_declare_besoins,
    can_edit_poste,
    can_edit_soutien,
    records_postes,
)
from pvd.api import reponses
from pvd.api.concurrence import IF_MATCH
from pvd.api.donnees import DonneesRefusees, lire
from pvd.workflows import ConflictError

# The messages of the HTML views.
POSTES_PAR_LA_PREFECTURE = "Les chefs de projet sont enregistrés par la préfecture."
VIE_DU_POSTE = "La vie du poste est enregistrée par la préfecture."
VTA_PAR_LA_PREFECTURE = "Les VTA sont enregistrés par la préfecture."
SOUTIENS_ENREGISTRES = (
    "Les soutiens en ingénierie sont enregistrés par les partenaires et les préfectures."
)
SOUTIEN_D_UN_AUTRE = (
    "Ce soutien est celui de {organisation} : seuls ses agents et la préfecture le modifient."
)
BESOINS_DECLARES = "Les besoins sont déclarés par la commune, son EPCI ou sa préfecture."


def _without_version(data: dict) -> dict:
    data.pop("version", None)
    return data


# Chefs de projet ---------------------------------------------------------------------------

POSTES = ["chefs de projet"]


def _transition(summary: str, description: str, serializer):
    return extend_schema(
        summary=summary,
        description=description + " Réservé à la préfecture des communes du poste.",
        request=serializer,
        parameters=[VERSION_FACULTATIVE, ETAG],
        responses={200: ok(s.PosteSerializer, "Le poste dans son nouvel état."), **ACTION},
        tags=POSTES,
    )


@extend_schema_view(
    list=extend_schema(
        summary="Liste des postes de chef de projet",
        description="Les postes de chef de projet de votre périmètre, avec leur cofinancement "
        "(les quatre parts, leur total et son taux), leur titulaire et leurs VTA. Filtres : "
        "territoire (codes officiels), état, date de prise de poste.",
        responses={200: s.PosteSerializer, **reponses.LISTE},
        tags=POSTES,
    ),
    retrieve=extend_schema(
        summary="Détail d’un poste de chef de projet",
        description="Un poste, son cofinancement et sa version (en-tête `ETag`).",
        parameters=[ETAG],
        responses={200: s.PosteSerializer, **reponses.DETAIL},
        tags=POSTES,
    ),
    create=extend_schema(
        summary="Créer un poste de chef de projet",
        description="Un poste « à recruter » pour une commune lauréate, ou partagé par les "
        "communes d’une convention d’adhésion. La subvention totale ne dépasse pas 75 % du "
        "coût annuel ; la part de l’Anah exige une OPAH-RU en phase pré-opérationnelle ou "
        "opérationnelle (sinon 400, rien n’est écrit). Réservé à la préfecture.",
        parameters=[ETAG],
        responses={201: ok(s.PosteSerializer, "Le poste créé."), **reponses.CREATION},
        tags=POSTES,
    ),
    partial_update=extend_schema(
        summary="Modifier un poste de chef de projet",
        description="Ses communes, son employeur, son coût, son cofinancement (mêmes règles "
        "qu’à la création) ; le titulaire une fois le poste pourvu. La version lue est exigée "
        "(`If-Match` ou `version`).",
        parameters=[IF_MATCH, ETAG],
        responses={200: ok(s.PosteSerializer, "Le poste modifié."), **reponses.MODIFICATION},
        tags=POSTES,
    ),
)
class PosteViewSet(ObjetsViewSet):
    serializer_class = s.PosteSerializer
    filterset_class = filters.PosteApiFilter
    introuvable = "Aucun poste de chef de projet de votre périmètre n’a ce numéro."

    def scoped(self):
        return (
            PosteChefDeProjet.objects.for_user(self.request.user)
            .select_related("employeur_commune", "employeur_epci")
            .prefetch_related("communes__departement", "vtas")
        )

    def create(self, request, *args, **kwargs):
        interdit_si(not records_postes(request.user), POSTES_PAR_LA_PREFECTURE)
        data = _without_version(lire(self.get_serializer(data=request.data)))
        return self.repondre(
            services.create_poste(by=request.user, **data), status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        poste = self.get_object()
        interdit_si(not can_edit_poste(request.user, poste), POSTES_PAR_LA_PREFECTURE)
        version = self.version_attendue(poste)
        data = lire(self.get_serializer(poste, data=request.data, partial=True))
        services.update_poste(
            by=request.user, poste=poste, expected_version=version, **_without_version(data)
        )
        return self.repondre(poste)

    def _fire(self, service, serializer_class):
        poste = self.get_object()
        interdit_si(not can_edit_poste(self.request.user, poste), VIE_DU_POSTE)
        self.version_attendue(poste, requise=False)
        data = _without_version(lire(serializer_class(data=self.request.data)))
        service(by=self.request.user, poste=poste, **data)
        return self.repondre(poste)

    @_transition(
        "Ouvrir le recrutement",
        "Un poste « à recruter » ou « vacant » passe « en recrutement ».",
        s.CommentaireSerializer,
    )
    @action(detail=True, methods=["post"])
    def recruter(self, request, pk=None):
        return self._fire(services.recruter, s.CommentaireSerializer)

    @_transition(
        "Pourvoir le poste",
        "Un poste « en recrutement » devient « occupé » par son titulaire, à sa date de prise "
        "de poste.",
        s.PourvoirSerializer,
    )
    @action(detail=True, methods=["post"])
    def pourvoir(self, request, pk=None):
        return self._fire(services.pourvoir, s.PourvoirSerializer)

    @_transition(
        "Déclarer le poste vacant",
        "Le titulaire est parti à la date `fin` : le poste « occupé » devient « vacant ».",
        s.LibererSerializer,
    )
    @action(detail=True, methods=["post"])
    def liberer(self, request, pk=None):
        return self._fire(services.liberer, s.LibererSerializer)


# VTA ---------------------------------------------------------------------------

VTA = ["VTA"]


@extend_schema_view(
    list=extend_schema(
        summary="Liste des VTA",
        description="Les volontaires territoriaux en administration qui appuient les chefs de "
        "projet de votre périmètre. Filtres : territoire (codes officiels), poste.",
        responses={200: s.VtaSerializer, **reponses.LISTE},
        tags=VTA,
    ),
    retrieve=extend_schema(
        summary="Détail d’un VTA",
        description="Un VTA et le poste qu’il appuie.",
        responses={200: s.VtaSerializer, **reponses.DETAIL},
        tags=VTA,
    ),
    create=extend_schema(
        summary="Enregistrer un VTA",
        description="Un VTA en appui d’un poste de chef de projet. Réservé à la préfecture des "
        "communes du poste.",
        responses={201: ok(s.VtaSerializer, "Le VTA enregistré."), **reponses.CREATION},
        tags=VTA,
    ),
)
class VtaViewSet(ObjetsViewSet):
    serializer_class = s.VtaSerializer
    filterset_class = filters.VtaApiFilter
    http_method_names = ["get", "post", "head", "options"]
    introuvable = "Aucun VTA de votre périmètre n’a ce numéro."

    def scoped(self):
        return PosteVTA.objects.for_user(self.request.user).order_by("debut", "pk")

    def create(self, request, *args, **kwargs):
        data = lire(self.get_serializer(data=request.data))
        interdit_si(not can_edit_poste(request.user, data["poste"]), VTA_PAR_LA_PREFECTURE)
        return self.repondre(services.create_vta(by=request.user, **data), status.HTTP_201_CREATED)


# Soutiens en ingénierie ---------------------------------------------------------------------------

SOUTIENS = ["soutiens en ingénierie"]


@extend_schema_view(
    list=extend_schema(
        summary="Liste des soutiens en ingénierie",
        description="Les études, AMO, diagnostics… accordés par les partenaires aux communes de "
        "votre périmètre, en euros ou en jours (jamais additionnés). Filtres : territoire "
        "(codes officiels), partenaire, mesure, nature, état, dates de début.",
        responses={200: s.SoutienSerializer, **reponses.LISTE},
        tags=SOUTIENS,
    ),
    retrieve=extend_schema(
        summary="Détail d’un soutien en ingénierie",
        description="Un soutien et sa version (en-tête `ETag`).",
        parameters=[ETAG],
        responses={200: s.SoutienSerializer, **reponses.DETAIL},
        tags=SOUTIENS,
    ),
    create=extend_schema(
        summary="Enregistrer un soutien en ingénierie",
        description="Par la préfecture, ou par un partenaire pour son organisation dans sa "
        "zone (sinon 403). Un montant en euros ou un nombre de jours, l’un ou l’autre.",
        parameters=[ETAG],
        responses={201: ok(s.SoutienSerializer, "Le soutien créé."), **reponses.CREATION},
        tags=SOUTIENS,
    ),
    partial_update=extend_schema(
        summary="Modifier un soutien en ingénierie",
        description="Par ses agents ou la préfecture ; le partenaire ne change pas. La version "
        "lue est exigée (`If-Match` ou `version`).",
        parameters=[IF_MATCH, ETAG],
        responses={200: ok(s.SoutienSerializer, "Le soutien modifié."), **reponses.MODIFICATION},
        tags=SOUTIENS,
    ),
)
class SoutienViewSet(ObjetsViewSet):
    serializer_class = s.SoutienSerializer
    filterset_class = filters.SoutienApiFilter
    introuvable = "Aucun soutien en ingénierie de votre périmètre n’a ce numéro."

    def scoped(self):
        return (
            SoutienIngenierie.objects.for_user(self.request.user)
            .select_related("organisation", "mesure")
            .prefetch_related("communes__departement")
        )

    def create(self, request, *args, **kwargs):
        interdit_si(not records_lines(request.user), SOUTIENS_ENREGISTRES)
        data = _without_version(lire(self.get_serializer(data=request.data)))
        return self.repondre(
            services.create_soutien(by=request.user, **data), status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        soutien = self.get_object()
        interdit_si(
            not can_edit_soutien(request.user, soutien),
            SOUTIEN_D_UN_AUTRE.format(organisation=soutien.organisation),
        )
        version = self.version_attendue(soutien)
        data = lire(self.get_serializer(soutien, data=request.data, partial=True))
        services.update_soutien(
            by=request.user, soutien=soutien, expected_version=version, **_without_version(data)
        )
        return self.repondre(soutien)


# Besoins exprimés ---------------------------------------------------------------------------

BESOINS = ["besoins exprimés"]
# The fields of a declaration, and their value when a new one does not give them.
CHAMPS_BESOINS = {
    "chef_de_projet": False,
    "etudes": False,
    "investissements": False,
    "precisions": "",
}


@extend_schema_view(
    list=extend_schema(
        summary="Liste des besoins exprimés",
        description="Ce que les communes de votre périmètre ont dit avoir besoin de financer en "
        "adhérant. Filtres : territoire (codes officiels), besoin.",
        responses={200: s.BesoinsSerializer, **reponses.LISTE},
        tags=BESOINS,
    ),
    retrieve=extend_schema(
        summary="Besoins exprimés par une commune",
        description="Désignés par le code INSEE de la commune ; leur version dans `ETag`.",
        parameters=[ETAG],
        responses={200: s.BesoinsSerializer, **reponses.DETAIL},
        tags=BESOINS,
    ),
    create=extend_schema(
        summary="Déclarer les besoins d’une commune",
        description="Par la commune, son EPCI ou sa préfecture. Déjà déclarés : 409 (modifiez-"
        "les). Une commune hors de votre périmètre : 404.",
        parameters=[ETAG],
        responses={
            201: ok(s.BesoinsSerializer, "Les besoins déclarés."),
            **reponses.CREATION,
            404: reponses.INTROUVABLE,
        },
        tags=BESOINS,
    ),
    partial_update=extend_schema(
        summary="Corriger les besoins d’une commune",
        description="L’historique garde chaque version. La version lue est exigée (`If-Match` "
        "ou `version`) ; la commune ne change pas.",
        parameters=[IF_MATCH, ETAG],
        responses={200: ok(s.BesoinsSerializer, "Les besoins corrigés."), **reponses.MODIFICATION},
        tags=BESOINS,
    ),
)
class BesoinsViewSet(ObjetsViewSet):
    serializer_class = s.BesoinsSerializer
    filterset_class = filters.BesoinsApiFilter
    lookup_field = "commune"
    introuvable = "Aucune commune de votre périmètre n’a déclaré de besoins sous ce code INSEE."

    def scoped(self):
        return (
            BesoinsExprimes.objects.for_user(self.request.user)
            .select_related("commune__departement")
            .order_by("commune__nom_recherche", "commune")
        )

    def repondre(self, obj, code=status.HTTP_200_OK, **kwargs):
        if kwargs.get("reload", True):
            obj = self.scoped().get(commune=obj.commune_id)
            kwargs["reload"] = False
        return super().repondre(obj, code, **kwargs)

    def create(self, request, *args, **kwargs):
        data = _without_version(lire(self.get_serializer(data=request.data)))
        commune = data.pop("commune")
        dossier = Dossier.objects.for_user(request.user).filter(pk=commune.pk).first()
        if dossier is None:
            raise NotFound(f"La commune {commune.code} n’est pas dans votre périmètre.")
        interdit_si(not can_declare_besoins(request.user, dossier), BESOINS_DECLARES)
        if BesoinsExprimes.objects.filter(commune=dossier).exists():
            raise ConflictError(
                f"Les besoins de {dossier.nom} sont déjà déclarés : corrigez-les "
                f"(PATCH /api/v1/besoins/{dossier.code}/)."
            )
        valeurs = {name: data.get(name, default) for name, default in CHAMPS_BESOINS.items()}
        besoins = services.save_besoins(by=request.user, commune=dossier, **valeurs)
        return self.repondre(besoins, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        besoins = self.get_object()
        interdit_si(not can_declare_besoins(request.user, besoins.commune), BESOINS_DECLARES)
        self.version_attendue(besoins)
        data = _without_version(lire(self.get_serializer(besoins, data=request.data, partial=True)))
        if data.pop("commune", besoins.commune) != besoins.commune:
            raise DonneesRefusees("Les besoins d’une commune ne passent pas à une autre.")
        valeurs = {name: data.get(name, getattr(besoins, name)) for name in CHAMPS_BESOINS}
        saved = services.save_besoins(by=request.user, commune=besoins.commune, **valeurs)
        return self.repondre(saved)
