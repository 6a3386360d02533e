"""The API's filter backend: django-filter's, with the API's one error shape. A filter that
cannot be read answers 400 `{"detail": "…"}` naming each parameter and its French message,
like every other refusal of the API (`pvd.api.exceptions`)."""

from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ParseError


class FiltresPVD(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            erreurs = utils.translate_validation(filterset.errors).detail
            raise ParseError(
                " ; ".join(
                    f"paramètre « {nom} » : {' '.join(str(m) for m in messages)}"
                    for nom, messages in erreurs.items()
                )
            )
        return filterset.qs
