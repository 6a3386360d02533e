"""What the API of pillars 1 and 2 share (`financements.api`, and `ingenierie.api` above it):
a viewset of scoped, versioned objects, the INSEE code field of communes, the French body of a
refused input, and the schema's pieces that go with them.

The flow of every write is the HTML form's: the object is fetched through `for_user` (outside:
404), the app's predicate answers 403, `pvd.api.concurrence` checks the version (428, 412),
the serializer reads the input (400 `{"detail": "…"}` naming each field), then the app's
service writes (its `DomainError` 400, `NotAllowed` 403, `ConflictError` 409: nothing
written). Serializers only read and show: they never save.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from communes.models import Commune
from pvd.api import concurrence, reponses
from pvd.api.filtres import FiltresPVD
from pvd.api.pagination import PaginationPVD


class CommuneField(serializers.SlugRelatedField):
    """A commune by its INSEE code. The perimeter is the service's to check (403); an unknown
    code is a 400."""

    default_error_messages = {
        "does_not_exist": "Aucune commune n’a le code INSEE « {value} ».",
        "invalid": "Un code INSEE est un texte de cinq caractères.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Commune.objects.select_related("departement"))
        super().__init__(slug_field="code", **kwargs)


def communes_field(help_text: str) -> CommuneField:
    return CommuneField(many=True, help_text=help_text)


class CodeField(serializers.SlugRelatedField):
    """An object of the referential (mesure, source, organisation) by its code."""

    default_error_messages = {
        "does_not_exist": "Aucun objet n’a le code « {value} ».",
        "invalid": "Code illisible.",
    }

    def __init__(self, queryset, introuvable: str, **kwargs):
        super().__init__(slug_field="code", queryset=queryset, **kwargs)
        self.error_messages["does_not_exist"] = introuvable


class IdField(serializers.PrimaryKeyRelatedField):
    """An object by its number, looked for among those the user may see (`for_user`, given by
    the serializer from its request)."""

    default_error_messages = {
        "does_not_exist": "Aucun objet visible n’a le numéro {pk_value}.",
        "incorrect_type": "Un numéro est attendu, pas « {data_type} ».",
    }


def scope_fields(serializer, **querysets) -> None:
    """Give each `IdField` of `serializer` its queryset through `for_user` of the request's
    user (the choices of the HTML form)."""
    request = serializer.context.get("request")
    if request is None:
        return
    for name, queryset in querysets.items():
        if name in serializer.fields:
            serializer.fields[name].queryset = queryset.for_user(request.user)


def check_programme(communes, programme, deja=()) -> None:
    """The communes a form offers: those of `programme` (a queryset of communes), and those
    the object already has."""
    nouvelles = [c for c in communes if c.pk not in {d.pk for d in deja}]
    if not nouvelles:
        return
    connues = set(programme.filter(pk__in=[c.pk for c in nouvelles]).values_list("pk", flat=True))
    hors = [f"{c.nom} ({c.code})" for c in nouvelles if c.pk not in connues]
    if hors:
        raise serializers.ValidationError(
            "Hors du programme Petites villes de demain : " + ", ".join(hors) + "."
        )


# The schema ---------------------------------------------------------------------------

ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description='La version de l’objet (`"3"`), à renvoyer dans `If-Match` pour le modifier.',
)
VERSION_FACULTATIVE = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='Facultatif : l’ETag de l’objet lu (`"3"`, ou le champ `version` du corps). '
    "S’il n’est plus le bon : 412, rien n’est fait.",
)
ACTION = {
    400: reponses.REFUS_METIER,
    401: reponses.NON_AUTHENTIFIE,
    403: reponses.INTERDIT,
    404: reponses.INTROUVABLE,
    409: reponses.CONFLIT,
    412: reponses.VERSION_PERIMEE,
}


def ok(serializer, description: str) -> OpenApiResponse:
    return OpenApiResponse(serializer, description=description)


# The viewset ---------------------------------------------------------------------------


class ObjetsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lists and details through `for_user` (outside: 404 with `introuvable`), paginated and
    filtered; a detail carries its `ETag`. The subclasses add their writes with `repondre`."""

    pagination_class = PaginationPVD
    filter_backends = [FiltresPVD]
    # Any value reaches the view, which answers a JSON 404 (not Django's HTML one).
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    introuvable = "Objet introuvable ou hors de votre périmètre."

    def scoped(self):
        """The model's objects the user may see, with what the serializer reads."""
        raise NotImplementedError

    def get_queryset(self):
        return self.scoped()

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as error:
            raise NotFound(self.introuvable) from error

    def retrieve(self, request, *args, **kwargs):
        return self.repondre(self.get_object(), reload=False)

    def repondre(self, obj, code=status.HTTP_200_OK, *, reload=True, serializer_class=None):
        """The object as the detail shows it, read again through `for_user` after a write,
        with its `ETag`."""
        if reload:
            obj = self.scoped().get(pk=obj.pk)
        serializer_class = serializer_class or self.get_serializer_class()
        response = Response(
            serializer_class(obj, context=self.get_serializer_context()).data, status=code
        )
        if hasattr(obj, "version"):
            response["ETag"] = concurrence.etag(obj)
        return response

    def version_attendue(self, obj, *, requise=True) -> int | None:
        """`pvd.api.concurrence`: 412 if stale, 428 if none given (unless not `requise`)."""
        if not requise and not request_has_version(self.request):
            return None
        return concurrence.check_version(self.request, obj)


def request_has_version(request) -> bool:
    if request.headers.get("If-Match"):
        return True
    data = request.data
    return hasattr(data, "get") and data.get("version") not in (None, "")


def interdit_si(condition: bool, message: str) -> None:
    """A 403 from a predicate of `permissions.py`, with the HTML view's French message."""
    if condition:
        raise PermissionDenied(message)
