from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from pvd.api import notes, schema, views  # noqa: F401  (schema: the token's security scheme)

# The notes de suivi: `api:note-list`, `api:note-detail`.
notes_router = SimpleRouter()
notes_router.register("notes", notes.NoteViewSet, basename="note")

app_name = "api"

urlpatterns = [
    path("tableau-de-bord/", views.TableauDeBordView.as_view(), name="tableau_de_bord"),
    path("", include(notes_router.urls)),
    # The OpenAPI schema (YAML; `?format=json` for JSON) and its documentation page, both public
    # (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]; DRF's views opt out of LoginRequiredMiddleware
    # themselves). Swagger UI comes from drf-spectacular-sidecar's static files and the split view
    # serves its start-up script as a file: no CDN and no inline script (a strict
    # Content-Security-Policy holds; only the template's small inline <style> needs a hash).
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # The territories: régions, départements, EPCI, communes by their official codes.
    path("", include("communes.api.urls")),
    path("", include("conventions.api.urls")),
    path("", include("ingenierie.api.urls")),
    path("", include("financements.api.urls")),
    path("", include("club.api.urls")),
]
