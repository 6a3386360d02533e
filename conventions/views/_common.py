"""What the pages of the journey share."""

from django.urls import reverse_lazy

DOSSIERS = ("Dossiers", reverse_lazy("conventions:dossier_list"))
CANDIDATURES = ("Candidatures", reverse_lazy("conventions:candidature_list"))
