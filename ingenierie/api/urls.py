"""The routes of pillar 1, included by `pvd/api/urls.py` under `/api/v1/` (no `app_name`: they
take the API's namespace). Names: `poste-list`, `poste-detail`, `poste-recruter`,
`poste-pourvoir`, `poste-liberer`, `vta-list`, `vta-detail`, `soutien-list`,
`soutien-detail`, `besoins-list`, `besoins-detail`."""

from rest_framework.routers import SimpleRouter

from ingenierie.api import views

router = SimpleRouter()
router.register("postes-chef-de-projet", views.PosteViewSet, basename="poste")
router.register("vta", views.VtaViewSet, basename="vta")
router.register("soutiens", views.SoutienViewSet, basename="soutien")
router.register("besoins", views.BesoinsViewSet, basename="besoins")

urlpatterns = router.urls
