"""What the pages of pillar 2 share."""

from django.urls import reverse_lazy

PAR_PAGE = 50

FINANCEMENTS = ("Financements", reverse_lazy("financements:financement_list"))
COMITES = ("Comités des financeurs", reverse_lazy("financements:comite_list"))
ACTIONS = ("Actions", reverse_lazy("financements:action_list"))
LABELS = ("Labels", reverse_lazy("financements:label_list"))
MESURES = ("Mesures du programme", reverse_lazy("financements:mesure_list"))
SOURCES = ("Sources de financement", reverse_lazy("financements:source_list"))
