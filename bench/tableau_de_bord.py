"""Server time and SQL queries of the dashboard's indicators (France, a région, a département),
and the national PDF note's time and peak memory, on the database of DATABASE_URL (the demo
data by default).

    DATABASE_URL=… .venv/bin/python bench/tableau_de_bord.py [--date AAAA-MM-JJ] [--runs 15]
        [--departement 58] [--region 27] [--json fichier.json]

The indicators are timed after one warm-up run (median and slowest of `--runs`); the note is
built in a fresh process (`--note-seule`) so that its peak memory (ru_maxrss) is the whole
process's: Django, the indicators, matplotlib and WeasyPrint.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from communes.perimetre import Perimetre  # noqa: E402
from conventions.models import Dossier  # noqa: E402
from pvd.demo.reference import DATE_NOTE  # noqa: E402
from pvd.indicateurs import Contexte, calculer  # noqa: E402
from pvd.notes import perimetres  # noqa: E402
from pvd.text import nombre  # noqa: E402


def mesurer(param: str, jour, runs: int) -> dict:
    perimetre = Perimetre.parse(param)
    calculer(Contexte(perimetre, jour))  # warm-up: imports, caches of the registry
    durees = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as requetes:
            debut = time.perf_counter()
            calculer(Contexte(perimetre, jour))
            durees.append(1000 * (time.perf_counter() - debut))
    return {
        "perimetre": param,
        "mediane_ms": round(statistics.median(durees), 1),
        "max_ms": round(max(durees), 1),
        "requetes": len(requetes),
    }


def note_nationale(jour) -> dict:
    """Compute and render the national note in this process (nothing is written)."""
    from pvd.models import NoteSuivi
    from pvd.notes.pdf import render_note_pdf
    from pvd.notes.services import _instantane

    debut = time.perf_counter()
    valeurs = _instantane(calculer(Contexte(Perimetre.parse("FR"), jour)))
    pdf = render_note_pdf(
        perimetre_libelle=perimetres.libelle("FR"),
        jour=jour,
        valeurs=valeurs,
        precedente=NoteSuivi.objects.precedente("FR", jour),
        perimetre="FR",
    )
    return {
        "secondes": round(time.perf_counter() - debut, 2),
        "memoire_max_mo": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "octets": len(pdf),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--date", default=DATE_NOTE.isoformat())
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--region", default="27")
    parser.add_argument("--departement", default="58")
    parser.add_argument("--json")
    parser.add_argument("--note-seule", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    from datetime import date

    jour = date.fromisoformat(args.date)
    if args.note_seule:
        print(json.dumps(note_nationale(jour)))
        return

    taille = Dossier.objects.pvd_le(jour).count()
    base = connection.vendor
    print(f"Base : {base} ; {nombre(taille)} communes PVD au {jour:%d/%m/%Y}")
    resultats = {"base": base, "date": args.date, "communes_pvd": taille, "indicateurs": []}
    for param in ("FR", f"region:{args.region}", f"departement:{args.departement}"):
        mesure = mesurer(param, jour, args.runs)
        resultats["indicateurs"].append(mesure)
        print(
            f"Indicateurs {perimetres.libelle(param)} : médiane "
            f"{nombre(mesure['mediane_ms'])} ms, max {nombre(mesure['max_ms'])} ms, "
            f"{mesure['requetes']} requêtes SQL ({args.runs} mesures)"
        )
    sortie = subprocess.run(
        [sys.executable, __file__, "--note-seule", "--date", args.date],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    note = json.loads(sortie.stdout.strip().splitlines()[-1])
    resultats["note_nationale"] = note
    print(
        f"Note nationale (PDF) : {nombre(note['secondes'])} s, mémoire max "
        f"{nombre(note['memoire_max_mo'])} Mo (processus entier), {nombre(note['octets'])} octets"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(resultats, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
