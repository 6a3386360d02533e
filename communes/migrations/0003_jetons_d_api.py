import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('communes', '0002_referentiel_des_organisations'),
        migrations.swappable_dependency(settings.KNOX_TOKEN_MODEL),
        # knox's last migration: the token's primary key is then its digest (the first one
        # named it `key`), so the foreign key is created with its final type.
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.CreateModel(
            name='JetonAPI',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('libelle', models.CharField(max_length=100, verbose_name='libellé')),
                ('token', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='jeton', to=settings.KNOX_TOKEN_MODEL)),
            ],
            options={
                'verbose_name': 'jeton d’API',
                'verbose_name_plural': 'jetons d’API',
                'ordering': ['-token__created'],
            },
        ),
    ]
