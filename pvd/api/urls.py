from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from pvd.api import views

app_name = "api"

urlpatterns = [
    path("tableau-de-bord/", views.TableauDeBordView.as_view(), name="tableau_de_bord"),
    # The OpenAPI schema (YAML; `?format=json` for JSON). No documentation page: Swagger UI and
    # Redoc would load their scripts from a CDN.
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
