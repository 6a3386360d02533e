from django.urls import path

from financements.views import actions, catalogue, comites, financements, labels

app_name = "financements"

urlpatterns = [
    path("financements/", financements.financement_list, name="financement_list"),
    path("financements/nouveau/", financements.financement_create, name="financement_create"),
    path("financements/<int:pk>/", financements.financement_detail, name="financement_detail"),
    path(
        "financements/<int:pk>/modifier/",
        financements.financement_update,
        name="financement_update",
    ),
    path(
        "financements/<int:pk>/decision/",
        financements.financement_decide,
        name="financement_decide",
    ),
    path(
        "financements/<int:pk>/versement/",
        financements.financement_versement,
        name="financement_versement",
    ),
    path("comites-financeurs/", comites.comite_list, name="comite_list"),
    path("comites-financeurs/nouveau/", comites.comite_create, name="comite_create"),
    path("comites-financeurs/<int:pk>/", comites.comite_detail, name="comite_detail"),
    path("comites-financeurs/<int:pk>/inscrire/", comites.comite_inscrire, name="comite_inscrire"),
    path(
        "comites-financeurs/<int:pk>/decisions/",
        comites.comite_decisions,
        name="comite_decisions",
    ),
    path("actions/", actions.action_list, name="action_list"),
    path("actions/nouvelle/", actions.action_create, name="action_create"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/modifier/", actions.action_update, name="action_update"),
    path("labels/", labels.label_list, name="label_list"),
    path("labels/nouveau/", labels.label_create, name="label_create"),
    path("labels/<int:pk>/fin/", labels.label_end, name="label_end"),
    path("catalogue/mesures/", catalogue.mesure_list, name="mesure_list"),
    path("catalogue/mesures/nouvelle/", catalogue.mesure_create, name="mesure_create"),
    path("catalogue/mesures/<slug:code>/", catalogue.mesure_detail, name="mesure_detail"),
    path(
        "catalogue/mesures/<slug:code>/modifier/",
        catalogue.mesure_update,
        name="mesure_update",
    ),
    path("catalogue/sources/", catalogue.source_list, name="source_list"),
    path("catalogue/sources/nouvelle/", catalogue.source_create, name="source_create"),
    path("catalogue/sources/<slug:code>/", catalogue.source_detail, name="source_detail"),
    path(
        "catalogue/sources/<slug:code>/modifier/",
        catalogue.source_update,
        name="source_update",
    ),
]
