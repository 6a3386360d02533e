"""The orientations of the projets de territoire: the five axes of an ORT (article L303-2 of
the code de la construction et de l'habitation) and three themes the programme adds. ANCT
staff edit them in the admin afterwards."""

from django.db import migrations

ORIENTATIONS = [
    ("habitat", "Habitat et rénovation de l’habitat"),
    ("commerce", "Commerce et développement économique"),
    ("mobilites", "Accessibilité, mobilités et connexions"),
    ("espaces-publics", "Formes urbaines, espaces publics et patrimoine"),
    ("equipements", "Équipements et services publics"),
    ("transition-ecologique", "Transition écologique et sobriété foncière"),
    ("culture-tourisme", "Culture, tourisme et attractivité"),
    ("numerique", "Inclusion et services numériques"),
]


def create(apps, schema_editor):
    Orientation = apps.get_model("conventions", "Orientation")
    for ordre, (code, libelle) in enumerate(ORIENTATIONS, start=1):
        Orientation.objects.update_or_create(code=code, defaults={"libelle": libelle, "ordre": ordre})


class Migration(migrations.Migration):
    dependencies = [("conventions", "0001_parcours_et_conventions")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
