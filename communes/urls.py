from django.urls import path

from communes import proconnect, views

app_name = "communes"

urlpatterns = [
    path("territoires/", views.territoires, name="territoires"),
    path("territoires/regions/<str:code>/", views.region_detail, name="region_detail"),
    path(
        "territoires/departements/<str:code>/",
        views.departement_detail,
        name="departement_detail",
    ),
    path("territoires/epci/<str:siren>/", views.epci_detail, name="epci_detail"),
    path("territoires/communes/<str:code>/", views.commune_detail, name="commune_detail"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/<int:pk>/", views.invitation_detail, name="invitation_detail"),
    path("invitations/<int:pk>/renvoyer/", views.invitation_resend, name="invitation_resend"),
    path("invitations/nouvelle/", views.invitation_roles, name="invitation_roles"),
    path("invitations/nouvelle/<str:role>/", views.invitation_create, name="invitation_create"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # ProConnect (communes.proconnect): redirect to it, its answer, the refusal page.
    path("connexion/proconnect/", proconnect.connexion, name="proconnect"),
    path("connexion/proconnect/retour/", proconnect.retour, name="proconnect_retour"),
    path("connexion/proconnect/refus/", proconnect.refus, name="proconnect_refus"),
    path("compte/jetons/", views.jeton_list, name="jeton_list"),
    path("compte/jetons/nouveau/", views.jeton_create, name="jeton_create"),
    path("compte/jetons/<int:pk>/revoquer/", views.jeton_revoke, name="jeton_revoke"),
]
