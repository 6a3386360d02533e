from django.urls import path, register_converter

from conventions.views import candidatures, conventions, dossiers, public


class KindConverter:
    regex = "adhesion|cadre|avenant"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "kind")

app_name = "conventions"

urlpatterns = [
    # Agents and communes (logged in, scoped).
    path("dossiers/", dossiers.dossier_list, name="dossier_list"),
    path("dossiers/echeances/", dossiers.echeances, name="echeances"),
    path("dossiers/<str:code>/", dossiers.dossier_detail, name="dossier_detail"),
    path("dossiers/<str:code>/ort/", dossiers.dossier_ort, name="dossier_ort"),
    path("candidatures/", candidatures.candidature_list, name="candidature_list"),
    path("candidatures/nouvelle/", candidatures.candidature_create, name="candidature_create"),
    path(
        "candidatures/decisions/",
        candidatures.candidature_decisions,
        name="candidature_decisions",
    ),
    path("candidatures/<int:pk>/", candidatures.candidature_detail, name="candidature_detail"),
    path(
        "candidatures/<int:pk>/<str:action>/",
        candidatures.candidature_transition,
        name="candidature_transition",
    ),
    path("conventions/adhesion/nouvelle/", conventions.adhesion_create, name="adhesion_create"),
    path(
        "conventions/adhesion/<int:pk>/cadre/nouvelle/",
        conventions.cadre_create,
        name="cadre_create",
    ),
    path(
        "conventions/<kind:kind>/<int:pk>/", conventions.convention_detail, name="convention_detail"
    ),
    path(
        "conventions/<kind:kind>/<int:pk>/modifier/",
        conventions.convention_update,
        name="convention_update",
    ),
    path(
        "conventions/<kind:kind>/<int:pk>/signer/",
        conventions.convention_sign,
        name="convention_sign",
    ),
    path(
        "conventions/<kind:kind>/<int:pk>/document/",
        conventions.convention_document,
        name="convention_document",
    ),
    path(
        "conventions/<kind:kind>/<int:pk>/avenants/nouveau/",
        conventions.avenant_create,
        name="avenant_create",
    ),
    # Public.
    path("communes-pvd/", public.public_list, name="public_list"),
    path("communes-pvd/carte/", public.public_map, name="public_map"),
    path("communes-pvd/<str:code>/", public.public_detail, name="public_detail"),
    path("opendata/communes-pvd.csv", public.opendata_communes_csv, name="opendata_communes"),
]
