"""The external reference of posts and soutiens (bulk imports update instead of duplicating).

Adding a column rebuilds `ingenierie_postechefdeprojet` on SQLite, which drops the Anah
triggers of migration 0002: they are created again after the rebuild (and before it, when the
migration is reversed)."""

import importlib

from django.conf import settings
from django.db import migrations, models

ANAH = importlib.import_module("ingenierie.migrations.0002_anah_opah_ru")


def recreate_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in ANAH.SQLITE_REVERSE:
        schema_editor.execute(sql.replace("DROP TRIGGER", "DROP TRIGGER IF EXISTS"))
    for sql in ANAH.SQLITE:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('communes', '0003_jetons_d_api'),
        ('conventions', '0002_orientations_du_programme'),
        ('financements', '0003_reference_externe'),
        ('ingenierie', '0002_anah_opah_ru'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, recreate_sqlite_triggers),
        migrations.AddField(
            model_name='historicalpostechefdeprojet',
            name='reference_externe',
            field=models.CharField(blank=True, max_length=100, verbose_name='référence externe'),
        ),
        migrations.AddField(
            model_name='historicalsoutieningenierie',
            name='reference_externe',
            field=models.CharField(blank=True, max_length=100, verbose_name='référence externe'),
        ),
        migrations.AddField(
            model_name='postechefdeprojet',
            name='reference_externe',
            field=models.CharField(blank=True, max_length=100, verbose_name='référence externe'),
        ),
        migrations.AddField(
            model_name='soutieningenierie',
            name='reference_externe',
            field=models.CharField(blank=True, max_length=100, verbose_name='référence externe'),
        ),
        migrations.AddConstraint(
            model_name='postechefdeprojet',
            constraint=models.UniqueConstraint(condition=models.Q(('reference_externe', ''), _negated=True), fields=('reference_externe',), name='poste_reference_externe_unique'),
        ),
        migrations.AddConstraint(
            model_name='soutieningenierie',
            constraint=models.UniqueConstraint(condition=models.Q(('reference_externe', ''), _negated=True), fields=('organisation', 'reference_externe'), name='soutien_reference_externe_unique'),
        ),
        migrations.RunPython(recreate_sqlite_triggers, migrations.RunPython.noop),
    ]
