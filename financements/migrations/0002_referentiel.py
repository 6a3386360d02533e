"""The national partner organisations, the ten key mesures and the financing sources of the
programme (financements/referentiel.py), written once; ANCT staff edit them afterwards."""

from django.db import migrations


def create(apps, schema_editor):
    from financements import referentiel

    referentiel.write(apps)


class Migration(migrations.Migration):
    dependencies = [("financements", "0001_catalogue_actions_financements")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
