from django.urls import path

from ingenierie import views

app_name = "ingenierie"

urlpatterns = [
    path("ingenierie/postes/", views.poste_list, name="poste_list"),
    path("ingenierie/postes/nouveau/", views.poste_create, name="poste_create"),
    path("ingenierie/postes/<int:pk>/", views.poste_detail, name="poste_detail"),
    path("ingenierie/postes/<int:pk>/modifier/", views.poste_update, name="poste_update"),
    path("ingenierie/postes/<int:pk>/vta/nouveau/", views.vta_create, name="vta_create"),
    path(
        "ingenierie/postes/<int:pk>/<str:action>/",
        views.poste_transition,
        name="poste_transition",
    ),
    path("ingenierie/soutiens/", views.soutien_list, name="soutien_list"),
    path("ingenierie/soutiens/nouveau/", views.soutien_create, name="soutien_create"),
    path("ingenierie/soutiens/<int:pk>/", views.soutien_detail, name="soutien_detail"),
    path("ingenierie/soutiens/<int:pk>/modifier/", views.soutien_update, name="soutien_update"),
    path("ingenierie/besoins/<str:code>/", views.besoins, name="besoins"),
]
