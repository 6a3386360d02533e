"""The routes of `pvd.exports`."""

from django.urls import path

from pvd.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.mes_exports, name="mes_exports"),
    path("<int:pk>/telecharger/", views.telecharger, name="telecharger"),
    path("<slug:liste>/", views.export_form, name="export_form"),
]
