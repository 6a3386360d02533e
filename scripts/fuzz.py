"""`make fuzz`: schemathesis against the OpenAPI schema of the REST API, as each persona.

A throwaway demo database (PostgreSQL `pvd_fuzz` when PostgreSQL answers on its usual port, a
SQLite file under the temporary directory otherwise) gets `manage.py prepare_demo` and one
personal API token per demo account; the portal is served by gunicorn on a free port and
schemathesis drives every operation of `/api/v1/schema/` (reads and writes: the database is
thrown away) as each persona, then without a token. Checks: no server error, every status code,
content type, header and body documented by the schema. The run prints a French summary table
and exits non-zero on any server error or schema violation.

Environment: FUZZ_EXEMPLES (random test cases per operation, 10 by default), FUZZ_SEED (1 by
default: two runs send the same requests), FUZZ_COUVERTURE (the personas who also get the
coverage phase, "prefecture" by default, "tous" for all), FUZZ_PERSONAS (only these, e.g.
"commune,anonyme"), FUZZ_DATABASE_URL (another database to throw away).
The reports of each run stay in `<tmp>/pvd_fuzz/` (HAR of every request, JSON verdict, server log).
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
WORK = Path(tempfile.gettempdir()) / "pvd_fuzz"
PERSONAS = ["anct", "prefecture", "region", "commune", "epci", "partenaire"]
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]
EXEMPLES = int(os.environ.get("FUZZ_EXEMPLES", "10"))
# The coverage phase (every boundary and every invalid value of each parameter and field, some
# 8 000 requests, five minutes a persona) for the préfecture, who may call nearly every write;
# the others get the examples, the random cases and the chains of calls. "tous": every persona.
COUVERTURE = os.environ.get("FUZZ_COUVERTURE", "prefecture").split(",")
SEED = int(os.environ.get("FUZZ_SEED", "1"))


def answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database() -> str:
    """The URL of an empty database of our own, dropped and created again."""
    if url := os.environ.get("FUZZ_DATABASE_URL"):
        return url
    if answers(5432):
        import psycopg2

        connection = psycopg2.connect("postgres://postgres@127.0.0.1:5432/postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS pvd_fuzz WITH (FORCE)")
            cursor.execute("CREATE DATABASE pvd_fuzz")
        connection.close()
        return "postgres://postgres@127.0.0.1:5432/pvd_fuzz"
    fichier = WORK / "pvd_fuzz.sqlite3"
    fichier.unlink(missing_ok=True)
    return f"sqlite:///{fichier}"


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {args[0]} a échoué :\n{done.stdout}\n{done.stderr}")
    return done.stdout


# One token per demo account, created by the same service as « Mes jetons d'API ».
TOKENS = """
import json
from communes.models import DureeJeton
from communes.services import create_token
from django.contrib.auth import get_user_model
users = get_user_model().objects
print(json.dumps({p: create_token(by=users.get(email=f"{p}@demo.pvd.test"), libelle="fuzz",
                                  duree=DureeJeton.TRENTE_JOURS)[1] for p in %r}))
"""


# schemathesis.toml of one run: only the checks of CHECKS. The national dashboard is computed in
# the request (seconds a date): a few random dates and no coverage phase keep the run short.
CONFIG = """
workers = 2
seed = {seed}
request-timeout = 60.0
continue-on-failure = true
suppress-health-check = ["all"]
generation.max-examples = {exemples}
generation.database = "none"
phases.coverage.enabled = {couverture}
checks.enabled = false
{checks}

[[operations]]
include-operation-id = "tableau_de_bord"
generation.max-examples = 3
phases.coverage.enabled = false
"""


def schemathesis(base: str, nom: str, token: str | None) -> dict:
    """Run schemathesis as one persona; return its figures for the summary table."""
    har, verdict = WORK / f"{nom}.har", WORK / f"{nom}.json"
    couverture = nom in COUVERTURE or "tous" in COUVERTURE
    config = WORK / f"{nom}.toml"
    checks = "\n".join(f"checks.{check}.enabled = true" for check in CHECKS)
    options = {"seed": SEED, "exemples": EXEMPLES, "couverture": str(couverture).lower()}
    config.write_text(CONFIG.format(**options, checks=checks))
    command = [str(BIN / "st"), "--config-file", str(config), "run"]
    command += [f"{base}/api/v1/schema/?format=json", "--report", "har,json"]
    command += ["--report-har-path", str(har), "--report-json-path", str(verdict), "--no-color"]
    if token:
        command += ["--header", f"Authorization: Token {token}"]
    started = time.monotonic()
    with (WORK / f"{nom}.log").open("w") as log:
        subprocess.run(command, cwd=WORK, stdout=log, stderr=subprocess.STDOUT)
    if not verdict.exists():
        sys.exit(f"schemathesis n’a rien rendu pour {nom} : voir {WORK / f'{nom}.log'}.")
    report = json.loads(verdict.read_text())
    failures = report["failures"]
    server = sum(f["count"] for f in failures if f["code"] == "not_a_server_error")
    return {
        "nom": nom,
        "operations": (report["operations"] or {}).get("tested", 0),
        "requetes": len(json.loads(har.read_text())["log"]["entries"]) if har.exists() else 0,
        "serveur": server,
        "schema": sum(f["count"] for f in failures) - server,
        "erreurs": sum(e["count"] for e in report["errors"]),
        "duree": time.monotonic() - started,
        "failures": failures,
    }


def nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def table(lignes: list[dict]) -> str:
    entetes = ["Persona", "Opérations", "Requêtes", "Erreurs serveur", "Écarts au schéma", "Durée"]
    rangs = [
        [
            r["nom"],
            nombre(r["operations"]),
            nombre(r["requetes"]),
            nombre(r["serveur"]),
            nombre(r["schema"]),
            f"{r['duree']:.0f} s",
        ]
        for r in lignes
    ]
    total = ["Total", "", *(nombre(sum(r[k] for r in lignes)) for k in ("requetes", "serveur"))]
    rangs.append([*total, nombre(sum(r["schema"] for r in lignes)), ""])
    largeurs = [max(len(x[i]) for x in [entetes, *rangs]) for i in range(len(entetes))]

    def ligne(cellules: list[str]) -> str:
        premiere, *autres = zip(cellules, largeurs, strict=True)
        return " | ".join([premiere[0].ljust(premiere[1]), *(c.rjust(w) for c, w in autres)])

    return "\n".join([ligne(entetes), "-+-".join("-" * w for w in largeurs), *map(ligne, rangs)])


def main() -> int:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    debut = time.monotonic()
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database(),
        "REDIS_URL": "",  # Celery runs its tasks in the request: no worker to start
        "MEDIA_ROOT": str(WORK / "media"),
        "DEBUG": "true",
        "LOG_LEVEL": "ERROR",
    }
    print(f"Base jetable : {env['DATABASE_URL']}", flush=True)
    manage(env, "prepare_demo")
    if env["DATABASE_URL"].startswith("postgres"):
        # Statistics first, as after autovacuum in production: a database just loaded and
        # never analysed takes seconds for the national figures (docs/performance.md).
        manage(env, "dbshell", "--", "-c", "ANALYZE")
    tokens = json.loads(manage(env, "shell", "-c", TOKENS % PERSONAS).strip().splitlines()[-1])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serveur_log = (WORK / "serveur.log").open("w")
    # A long worker timeout: the national dashboard of a new date takes seconds. No limit on the
    # request line: a URL of 5 000 characters reaches the API (its answer is what is checked)
    # instead of gunicorn's own 414, which no API schema describes.
    gunicorn = [str(BIN / "gunicorn"), "pvd.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3"]
    serveur = subprocess.Popen(
        [*gunicorn, "--timeout", "120", "--limit-request-line", "0"],
        cwd=ROOT,
        env=env,
        stdout=serveur_log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(120):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{base}/api/v1/schema/", timeout=5).close()
                break
            time.sleep(0.5)
        else:
            sys.exit(f"Le portail ne répond pas sur {base} (voir {WORK / 'serveur.log'}).")
        print(f"Portail servi sur {base} ; {EXEMPLES} exemples par opération.", flush=True)
        lignes = []
        choisis = os.environ.get("FUZZ_PERSONAS", ",".join([*PERSONAS, "anonyme"])).split(",")
        for nom, token in [*tokens.items(), ("anonyme", None)]:
            if nom not in choisis:
                continue
            lignes.append(schemathesis(base, nom, token))
            r = lignes[-1]
            print(f"  {nom} : {nombre(r['requetes'])} requêtes en {r['duree']:.0f} s", flush=True)
    finally:
        serveur.terminate()
        serveur.wait(timeout=30)
        serveur_log.close()
    print()
    print(table(lignes))
    print(f"\nDurée totale : {time.monotonic() - debut:.0f} s. Rapports : {WORK}")
    echecs = False
    for r in lignes:
        for f in r["failures"]:
            echecs = True
            print(f"- {r['nom']} : {f['title']} ({f['count']}) : {', '.join(f['operations'])}")
        if r["erreurs"]:
            echecs = True
            print(f"- {r['nom']} : {r['erreurs']} erreur(s) de schemathesis, voir {r['nom']}.log")
    if echecs:
        print(f"\nÉchec : voir {WORK}/<persona>.log et serveur.log.")
        return 1
    print("\nAucune erreur serveur ni réponse hors du schéma.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
