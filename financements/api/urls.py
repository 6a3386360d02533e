"""The routes of pillar 2, included by `pvd/api/urls.py` under `/api/v1/` (no `app_name`: they
take the API's namespace). Names: `financement-list`, `financement-detail`,
`financement-accorder`, `financement-refuser`, `financement-versements`, `action-list`… and
the read-only `mesure-`, `source-`, `organisation-`, `label-` lists and details."""

from rest_framework.routers import SimpleRouter

from financements.api import views

router = SimpleRouter()
router.register("financements", views.FinancementViewSet, basename="financement")
router.register("actions", views.ActionViewSet, basename="action")
router.register("mesures", views.MesureViewSet, basename="mesure")
router.register("sources", views.SourceViewSet, basename="source")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("labels", views.LabelViewSet, basename="label")

urlpatterns = router.urls
