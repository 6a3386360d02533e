"""Settings read from the environment: each case starts a fresh Python process."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "options": settings.DATABASES["default"].get("OPTIONS", {}),
    "cache": settings.CACHES["default"]["BACKEND"],
    "broker": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
}))
"""


def run(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**clean, "DJANGO_SETTINGS_MODULE": "pvd.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_nothing_set_the_embedded_default_works_on_a_laptop():
    result = run({})

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "engine": "django.db.backends.sqlite3",
        "options": {},
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "broker": "memory://",
        "eager": True,
        "email": "django.core.mail.backends.console.EmailBackend",
        "debug": True,
    }


def test_database_and_redis_urls_switch_to_postgresql_and_redis():
    result = run(
        {
            "DATABASE_URL": "postgres://pvd@db.example:5432/pvd",
            "REDIS_URL": "redis://redis.example:6379/0",
            "EMAIL_URL": "smtp+tls://user:secret@smtp.example:587",
        }
    )

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    # PostgreSQL's JIT compiles the dashboard's aggregates for longer than they run.
    assert values["options"] == {"options": "-c jit=off"}
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["broker"] == "redis://redis.example:6379/0"
    assert values["eager"] is False
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_without_debug_a_missing_secret_key_stops_the_start_up_with_a_clear_message():
    result = run({"DEBUG": "false"})

    assert result.returncode != 0
    assert "SECRET_KEY est obligatoire quand DEBUG est désactivé" in result.stderr


def test_without_debug_and_with_a_secret_key_it_starts():
    result = run({"DEBUG": "false", "SECRET_KEY": "x" * 50})

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is False


def test_the_production_settings_pass_the_deployment_checks_without_a_warning(tmp_path):
    """`manage.py check --deploy --fail-level WARNING` with what production sets (DEBUG off, a
    real secret key, its host name): no warning at all, security or other."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **clean,
            "DEBUG": "false",
            "SECRET_KEY": "k" + "".join(chr(48 + (i * 7) % 75) for i in range(60)),
            "ALLOWED_HOSTS": "petitesvillesdedemain.anct.gouv.fr",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_security_headers_and_cookie_flags(client, db):
    response = client.get("/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
