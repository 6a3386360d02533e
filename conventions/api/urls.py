"""The `conventions` app in the REST API, included by `pvd/api/urls.py` under `/api/v1/` (no
`app_name`: the routes take the API's namespace). Names: `candidature-list`,
`candidature-detail`, `candidature-instruire|decider|retirer`, `convention-adhesion-…` and
`convention-cadre-…` (`list`, `detail`, `signer`), `avenant-…`, `dossier-list|detail`."""

from rest_framework.routers import SimpleRouter

from conventions.api import views

router = SimpleRouter()
router.register("candidatures", views.CandidatureViewSet, basename="candidature")
router.register(
    "conventions-adhesion", views.ConventionAdhesionViewSet, basename="convention-adhesion"
)
router.register("conventions-cadre", views.ConventionCadreViewSet, basename="convention-cadre")
router.register("avenants", views.AvenantViewSet, basename="avenant")
router.register("dossiers", views.DossierViewSet, basename="dossier")

urlpatterns = router.urls
