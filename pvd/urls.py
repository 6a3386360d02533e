from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from communes import proconnect
from communes.forms import ConnexionForm, MotDePasseOublieForm, NouveauMotDePasseForm
from pvd import views
from pvd.views import audit, notes, opendata, tableau_de_bord

urlpatterns = [
    path("", views.index, name="index"),
    path("accueil/", views.accueil, name="accueil"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            form_class=ConnexionForm,
            redirect_authenticated_user=True,
            # A callable: the template asks at each request whether ProConnect is configured.
            extra_context={"proconnect_actif": proconnect.active},
        ),
        name="connexion",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="deconnexion"),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(
            form_class=MotDePasseOublieForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=NouveauMotDePasseForm,
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("donnees-personnelles/", views.donnees_personnelles, name="donnees_personnelles"),
    path("tableau-de-bord/", tableau_de_bord.tableau_de_bord, name="tableau_de_bord"),
    path("notes/", notes.note_list, name="note_list"),
    path("notes/demander/", notes.note_create, name="note_create"),
    path("notes/<int:pk>/", notes.note_detail, name="note_detail"),
    path("notes/<int:pk>/note.pdf", notes.note_pdf, name="note_pdf"),
    path("journal-des-modifications/", audit.journal, name="audit"),
    path("api/v1/", include("pvd.api.urls")),
    # Open data: the page documenting every public file (the communes' file is
    # `conventions:opendata_communes`), the dashboard's public figures.
    path("opendata/", opendata.page, name="opendata"),
    path(
        "opendata/tableau-de-bord.csv",
        opendata.tableau_de_bord_csv,
        name="opendata_tableau_de_bord_csv",
    ),
    path(
        "opendata/tableau-de-bord.json",
        opendata.tableau_de_bord_json,
        name="opendata_tableau_de_bord_json",
    ),
    path("exports/", include("pvd.exports.urls")),
    path("imports/", include("pvd.imports.urls")),
    path("", include("communes.urls")),
    path("", include("conventions.urls")),
    path("", include("financements.urls")),
    path("", include("ingenierie.urls")),
    path("", include("club.urls")),
    path("admin/", admin.site.urls),
]
