import json
from io import StringIO

import pytest
from django.core.management import call_command

from communes.models import Commune, User
from conventions.models import Dossier
from pvd.management.commands import prepare_demo
from tests.communes.test_import_territoires import write_package


@pytest.mark.django_db
def test_the_demo_is_prepared_in_one_command_and_a_second_run_imports_nothing(
    settings, tmp_path, monkeypatch
):
    settings.DEBUG = True
    settings.TERRITOIRES_SOURCE_DIR = write_package(tmp_path / "cog")
    programme = tmp_path / "programme.json"
    programme.write_text(
        json.dumps(
            {
                "communes": {
                    "58079": {"label": "Clamecy", "pvd": True, "pvd_signed_at": "2021-06-21"}
                }
            }
        )
    )
    monkeypatch.setattr(prepare_demo, "PROGRAMME", programme)

    first, second = StringIO(), StringIO()
    call_command("prepare_demo", stdout=first)
    call_command("prepare_demo", stdout=second)

    assert Commune.objects.count() == 4
    assert [d.etape for d in Dossier.objects.pvd().with_etape()] == ["adhesion_signee"]
    assert User.objects.count() == 6
    assert "Lauréates : 1 créées" in first.getvalue()
    assert "déjà à jour" in second.getvalue()
    assert "déjà été importé" in second.getvalue()
