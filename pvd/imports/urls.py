"""The routes of `pvd.imports`."""

from django.urls import path

from pvd.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.importer, name="importer"),
    path("<slug:slug>/modele.<str:format>", views.modele, name="modele"),
]
