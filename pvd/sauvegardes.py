"""Backups that can be trusted: the database and the uploaded documents, with a manifest of what
they hold (each table's row count, the national dashboard of that day), and the check that a
backup restores into a scratch database and gives back exactly that.

PostgreSQL: `pg_dump --format=custom` on a snapshot exported by a REPEATABLE READ transaction,
in which the manifest's counts and dashboard are computed too: the dump and its manifest see the
same data, whatever is written meanwhile. SQLite (the embedded default): the online backup API.
The documents (MEDIA_ROOT) go to a .tar.gz beside it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from communes.perimetre import NATIONAL
from pvd.indicateurs import Contexte, calculer
from pvd.indicateurs.registre import REGISTRE

# The manifest's dashboard: the public figures of France (numbers and objects, stable in JSON).
CLES = [cle for cle, indicateur in REGISTRE.items() if indicateur.public]


def compter_lignes() -> dict[str, int]:
    """Every table's row count (the portal's, Django's and the libraries')."""
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def tableau_de_bord(jour: date) -> dict:
    return json.loads(json.dumps(calculer(Contexte(NATIONAL, jour), CLES)))


def _pg_env() -> tuple[str, dict]:
    d = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(d.get("PASSWORD") or "")}
    hote, port = d["HOST"] or "localhost", d["PORT"] or 5432
    dsn = f"host={hote} port={port} user={d['USER']} dbname={d['NAME']}"
    return dsn, env


def _documents(archive: Path) -> int:
    """The uploaded documents in a .tar.gz; returns their number."""
    media = Path(settings.MEDIA_ROOT)
    nombre = 0
    with tarfile.open(archive, "w:gz") as tar:
        if media.exists():
            for chemin in sorted(p for p in media.rglob("*") if p.is_file()):
                tar.add(chemin, arcname=str(chemin.relative_to(media)))
                nombre += 1
    return nombre


def sauvegarder(dossier: Path) -> Path:
    """Write the backup into `dossier`; returns its manifest's path."""
    dossier.mkdir(parents=True, exist_ok=True)
    horodatage = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    nom = f"pvd-{horodatage}"
    jour = timezone.localdate()
    if connection.vendor == "postgresql":
        fichier = dossier / f"{nom}.dump"
        dsn, env = _pg_env()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            subprocess.run(
                [
                    *("pg_dump", "--format=custom", "--no-owner"),
                    *(f"--snapshot={snapshot}", f"--file={fichier}", dsn),
                ],
                env=env,
                check=True,
            )
            lignes, figures = compter_lignes(), tableau_de_bord(jour)
    elif connection.vendor == "sqlite":
        fichier = dossier / f"{nom}.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(fichier) as copie:
            connection.connection.backup(copie)
        lignes, figures = compter_lignes(), tableau_de_bord(jour)
    else:
        raise NotImplementedError(connection.vendor)
    documents = dossier / f"{nom}-documents.tar.gz"
    manifeste = {
        "cree_le": timezone.now().isoformat(),
        "moteur": connection.vendor,
        "base": fichier.name,
        "documents": documents.name,
        "nombre_documents": _documents(documents),
        "lignes": lignes,
        "tableau_de_bord": {"date": jour.isoformat(), "indicateurs": figures},
    }
    chemin = dossier / f"{nom}.json"
    chemin.write_text(json.dumps(manifeste, ensure_ascii=False, indent=1), encoding="utf-8")
    return chemin


# The check -------------------------------------------------------------------------------------

# Run in a separate process on the scratch database: its counts and its dashboard, as JSON.
_SONDE = """
import json, sys
from datetime import date
from pvd.sauvegardes import compter_lignes, tableau_de_bord
jour = date.fromisoformat(sys.argv[1])
print(json.dumps({"lignes": compter_lignes(), "tableau_de_bord": tableau_de_bord(jour)}))
"""


@dataclass
class Verification:
    ecarts: list[str]
    tables: int
    lignes: int
    documents: int

    @property
    def ok(self) -> bool:
        return not self.ecarts


def _sonder(database_url: str, jour: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": ""}
    resultat = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + _SONDE, jour],
        env={**env, "DJANGO_SETTINGS_MODULE": "pvd.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(resultat.stdout.strip().splitlines()[-1])


def verifier(manifeste_path: Path) -> Verification:
    """Restore the backup into a scratch database (dropped afterwards), and compare its row
    counts, its dashboard and its documents with the manifest."""
    manifeste = json.loads(manifeste_path.read_text(encoding="utf-8"))
    dossier = manifeste_path.parent
    base = dossier / manifeste["base"]
    jour = manifeste["tableau_de_bord"]["date"]
    if manifeste["moteur"] == "postgresql":
        d = connection.settings_dict
        scratch = f"pvd_verification_{timezone.now():%Y%m%d%H%M%S%f}"
        _, env = _pg_env()
        hote = ["-h", d["HOST"] or "localhost", "-p", str(d["PORT"] or 5432), "-U", d["USER"]]
        subprocess.run(["createdb", *hote, scratch], env=env, check=True)
        try:
            subprocess.run(
                ["pg_restore", "--no-owner", "--exit-on-error", *hote, "-d", scratch, str(base)],
                env=env,
                check=True,
            )
            motdepasse = f":{d['PASSWORD']}" if d.get("PASSWORD") else ""
            serveur = f"{d['HOST'] or 'localhost'}:{d['PORT'] or 5432}"
            url = f"postgres://{d['USER']}{motdepasse}@{serveur}/{scratch}"
            sonde = _sonder(url, jour)
        finally:
            subprocess.run(["dropdb", *hote, "--if-exists", scratch], env=env, check=False)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            copie = Path(tmp) / "verification.sqlite3"
            shutil.copyfile(base, copie)
            sonde = _sonder(f"sqlite:///{copie}", jour)
    ecarts = [
        f"table {table} : {attendu} lignes sauvegardées, {sonde['lignes'].get(table)} restaurées"
        for table, attendu in manifeste["lignes"].items()
        if sonde["lignes"].get(table) != attendu
    ]
    ecarts += [
        f"table {table} restaurée mais absente du manifeste"
        for table in set(sonde["lignes"]) - set(manifeste["lignes"])
    ]
    attendus = manifeste["tableau_de_bord"]["indicateurs"]
    restaures = sonde["tableau_de_bord"]
    ecarts += [
        f"indicateur {cle} : {attendus[cle]} sauvegardé, {restaures.get(cle)} restauré"
        for cle in attendus
        if restaures.get(cle) != attendus[cle]
    ]
    with tarfile.open(dossier / manifeste["documents"]) as tar:
        documents = sum(1 for membre in tar.getmembers() if membre.isfile())
    if documents != manifeste["nombre_documents"]:
        ecarts.append(
            f"documents : {manifeste['nombre_documents']} sauvegardés, {documents} dans l’archive"
        )
    return Verification(
        ecarts, len(manifeste["lignes"]), sum(manifeste["lignes"].values()), documents
    )
