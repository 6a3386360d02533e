from django.urls import path

from club.views import agenda, cercles, chiffres, gestion

app_name = "club"

urlpatterns = [
    # The public agenda, an event's page, registration (views/agenda.py).
    path("club/", agenda.agenda, name="agenda"),
    path("club/agenda.ics", agenda.agenda_ics, name="agenda_ics"),
    path("club/mes-inscriptions/", agenda.mes_inscriptions, name="mes_inscriptions"),
    path("club/evenements/nouveau/", agenda.evenement_create, name="evenement_create"),
    path("club/evenements/<int:pk>/", agenda.evenement_detail, name="evenement_detail"),
    path("club/evenements/<int:pk>/evenement.ics", agenda.evenement_ics, name="evenement_ics"),
    path("club/evenements/<int:pk>/modifier/", agenda.evenement_update, name="evenement_update"),
    path("club/evenements/<int:pk>/publier/", agenda.evenement_publier, name="evenement_publier"),
    path("club/evenements/<int:pk>/annuler/", agenda.evenement_annuler, name="evenement_annuler"),
    path("club/evenements/<int:pk>/modules/nouveau/", agenda.module_create, name="module_create"),
    path("club/modules/<int:pk>/modifier/", agenda.module_update, name="module_update"),
    path("club/evenements/<int:pk>/inscription/", agenda.inscription_create, name="inscription"),
    path(
        "club/evenements/<int:pk>/inscrire-un-collegue/",
        agenda.inscription_collegue,
        name="inscription_collegue",
    ),
    path(
        "club/inscriptions/<int:pk>/annuler/",
        agenda.inscription_annuler,
        name="inscription_annuler",
    ),
    # The Club team's follow-up of an event: registrations, attendance (views/gestion.py).
    path(
        "club/evenements/<int:pk>/inscriptions/",
        gestion.evenement_inscriptions,
        name="evenement_inscriptions",
    ),
    path(
        "club/evenements/<int:pk>/inscriptions.csv",
        gestion.evenement_inscriptions_csv,
        name="evenement_inscriptions_csv",
    ),
    path(
        "club/evenements/<int:pk>/import-presences/",
        gestion.import_presences,
        name="import_presences",
    ),
    path(
        "club/import-presences/modele.csv",
        gestion.import_presences_modele,
        name="import_presences_modele",
    ),
    path("club/audience/", gestion.audience, name="audience"),
    # Cercles thématiques (views/cercles.py).
    path("club/cercles/", cercles.cercle_list, name="cercle_list"),
    path("club/cercles/nouveau/", cercles.cercle_create, name="cercle_create"),
    path("club/cercles/<int:pk>/", cercles.cercle_detail, name="cercle_detail"),
    path("club/cercles/<int:pk>/modifier/", cercles.cercle_update, name="cercle_update"),
    path("club/cercles/<int:pk>/membres/nouveau/", cercles.membre_create, name="membre_create"),
    path("club/membres/<int:pk>/sortie/", cercles.membre_end, name="membre_end"),
    # The Club's figures at a date, for a perimeter (views/chiffres.py).
    path("club/chiffres/", chiffres.chiffres, name="chiffres"),
]
