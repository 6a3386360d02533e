"""The territories' routes, included by `pvd/api/urls.py` under `/api/v1/` (no `app_name`: they
take the API's namespace). Names: `territoire-region-list`, `territoire-region-detail`, and the
same for `departement`, `epci` and `commune`."""

from rest_framework.routers import SimpleRouter

from communes.api import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="territoire-region")
router.register("departements", views.DepartementViewSet, basename="territoire-departement")
router.register("epci", views.EPCIViewSet, basename="territoire-epci")
router.register("communes", views.CommuneViewSet, basename="territoire-commune")

urlpatterns = router.urls
