"""The themes of the Club's events and cercles, from the programme's offer (seeds 000 and
001), and the co-pilots of the first cercle thématique that the partners' referential lacks
(PUCA, Gendarmerie). ANCT staff extend them afterwards."""

from django.db import migrations

THEMATIQUES = [
    ("securite-du-quotidien", "Sécurité du quotidien"),
    ("revitalisation-commerciale", "Revitalisation commerciale"),
    ("habitat", "Habitat et rénovation"),
    ("transition-ecologique", "Transition écologique et sobriété foncière"),
    ("mobilites", "Mobilités"),
    ("espaces-publics", "Espaces publics, paysage et patrimoine"),
    ("culture-tourisme", "Culture et tourisme"),
    ("sante", "Santé et accès aux soins"),
    ("numerique", "Inclusion et services numériques"),
    ("participation-citoyenne", "Participation citoyenne"),
    ("ingenierie-de-projet", "Ingénierie de projet et conduite du changement"),
    ("financements", "Financer son projet de territoire"),
]

# code → (nom, sigle, catégorie), as in financements.referentiel.ORGANISATIONS
COPILOTES = {
    "puca": ("Plan urbanisme construction architecture", "PUCA", "ministere"),
    "gendarmerie": ("Direction générale de la Gendarmerie nationale", "DGGN", "ministere"),
}


def create(apps, schema_editor):
    Thematique = apps.get_model("club", "Thematique")
    for ordre, (code, libelle) in enumerate(THEMATIQUES, start=1):
        Thematique.objects.update_or_create(code=code, defaults={"libelle": libelle, "ordre": ordre})
    Organisation = apps.get_model("communes", "Organisation")
    for code, (nom, sigle, categorie) in COPILOTES.items():
        Organisation.objects.update_or_create(
            code=code, defaults={"nom": nom, "sigle": sigle, "categorie": categorie}
        )


class Migration(migrations.Migration):
    dependencies = [("club", "0001_club"), ("communes", "0002_referentiel_des_organisations")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
