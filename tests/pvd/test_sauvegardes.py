"""Backups (`make backup`, `make restore-check`): a backup restores into a scratch database
that gives back every table's rows and the national dashboard, and the check says so — or
names what differs."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from pvd import sauvegardes


@pytest.fixture
def donnees(adhesion_signee):
    """A signed convention (its PDF among the documents) and a document of another kind."""
    autre = Path(settings.MEDIA_ROOT) / "notes" / "note.pdf"
    autre.parent.mkdir(parents=True, exist_ok=True)
    autre.write_bytes(b"%PDF-1.4 note")
    return adhesion_signee


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_and_matches_its_manifest(donnees, tmp_path):
    manifeste = sauvegardes.sauvegarder(tmp_path)

    contenu = json.loads(manifeste.read_text())
    assert contenu["lignes"]["conventions_conventionadhesion"] == 1
    assert contenu["nombre_documents"] == 2
    assert contenu["tableau_de_bord"]["indicateurs"]["communes_adhesion_signee"] >= 1
    resultat = sauvegardes.verifier(manifeste)
    assert resultat.ok, resultat.ecarts
    assert resultat.documents == 2


@pytest.mark.django_db(transaction=True)
def test_the_check_names_what_differs(donnees, tmp_path):
    manifeste = sauvegardes.sauvegarder(tmp_path)
    contenu = json.loads(manifeste.read_text())
    contenu["lignes"]["communes_commune"] += 1
    contenu["tableau_de_bord"]["indicateurs"]["communes_pvd"] += 1
    manifeste.write_text(json.dumps(contenu))

    resultat = sauvegardes.verifier(manifeste)

    assert not resultat.ok
    assert any(e.startswith("table communes_commune :") for e in resultat.ecarts)
    assert any(e.startswith("indicateur communes_pvd :") for e in resultat.ecarts)
    with pytest.raises(CommandError, match="2 écart"):
        call_command("verifier_sauvegarde", str(manifeste))


@pytest.mark.django_db(transaction=True)
def test_the_commands_write_then_check_the_latest_backup(donnees, tmp_path, settings, capsys):
    settings.BACKUP_DIR = tmp_path

    call_command("sauvegarder")
    call_command("verifier_sauvegarde")

    assert "restaurée et vérifiée" in capsys.readouterr().out


def test_without_a_backup_the_check_says_so(tmp_path, settings):
    settings.BACKUP_DIR = tmp_path

    with pytest.raises(CommandError, match="Aucune sauvegarde"):
        call_command("verifier_sauvegarde")
