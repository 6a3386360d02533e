from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from pvd.api import schema, views  # noqa: F401  (schema: the token's security scheme)

app_name = "api"

urlpatterns = [
    path("tableau-de-bord/", views.TableauDeBordView.as_view(), name="tableau_de_bord"),
    # The OpenAPI schema (YAML; `?format=json` for JSON) and its documentation page, both public
    # (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]; DRF's views opt out of LoginRequiredMiddleware
    # themselves). Swagger UI comes from drf-spectacular-sidecar's static files and the split view
    # serves its start-up script as a file: no CDN and no inline script (a strict
    # Content-Security-Policy holds; only the template's small inline <style> needs a hash).
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # The territories: régions, départements, EPCI, communes by their official codes.
    path("", include("communes.api.urls")),
]
