"""The Club's routes, included by `pvd/api/urls.py` under `/api/v1/` (no `app_name`: they take
the API's namespace). Names: `club-evenement-list|detail`, `club-inscription-list|detail`,
`club-inscription-annuler`."""

from rest_framework.routers import SimpleRouter

from club.api import views

router = SimpleRouter()
router.register("evenements", views.EvenementViewSet, basename="club-evenement")
router.register("inscriptions", views.InscriptionViewSet, basename="club-inscription")

urlpatterns = router.urls
