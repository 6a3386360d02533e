"""Settings of the portal, read from the environment (see `.env.example`).

With nothing set, the embedded default runs on a laptop: SQLite file, Celery tasks run inline,
e-mails printed on the console. `DATABASE_URL` and `REDIS_URL` switch to PostgreSQL and Redis.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY est obligatoire quand DEBUG est désactivé : définissez la variable "
            "d'environnement SECRET_KEY (50 caractères aléatoires ou plus, par exemple avec "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "insecure-embedded-default-for-a-laptop-only"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute address of the portal, used in e-mails (invitation links).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files for /api/v1/docs/, served by us, no CDN
    "simple_history",
    "widget_tweaks",
    "dsfr",
    # The portal's apps, from the bottom of the dependency graph to the top
    # (docs/ARCHITECTURE.md): each may import those above it in this list, never below.
    "communes",
    "conventions",
    "financements",
    "ingenierie",
    "club",
    "pvd",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a login unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who made a change, for the history of every field (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "pvd.urls"
WSGI_APPLICATION = "pvd.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pvd.context_processors.site",
            ],
        },
    },
]

# Forms render with the project's templates too (components/champ_filtre.html), as well as
# django-dsfr's and Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the dashboard's aggregates over a few tens of thousands of rows
    # cost enough for PostgreSQL to compile them, which takes longer (0.6 s) than running them
    # (0.1 s). Measured with bench/tableau_de_bord.py, see docs/performance.md.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pvd",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis as the broker when it is configured, otherwise tasks run inline (eager).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/Paris"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker died unacknowledged goes back to the queue once its visibility timeout
# is over (Redis sweeps for such tasks every `unacked_restore_interval` seconds). It must
# exceed the longest countdown of a retried task (a note held by another worker: 3 minutes).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": 1,
}
# How long a worker holds a note de suivi it builds before another may take it over.
NOTE_BAIL_SECONDS = env.int("NOTE_BAIL_SECONDS", default=180)
CELERY_BEAT_SCHEDULE = {
    "digest-echeances-quotidien": {
        "task": "conventions.tasks.send_deadline_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # The Club's reminders, the day before each event (each person reminded once).
    "club-rappels-veille": {
        "task": "club.tasks.send_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # The national note de suivi, at the start of each quarter, with the figures of the last
    # day of the quarter just ended (asked once, even if beat fires twice).
    "note-de-suivi-trimestrielle": {
        "task": "pvd.tasks.preparer_note_trimestrielle",
        "schedule": crontab(hour=6, minute=0, day_of_month=1, month_of_year="1,4,7,10"),
    },
}

# The REST API (/api/v1/): the browser session; every view says who may call it.
REST_FRAMEWORK = {
    # The browser's session, and the personal API tokens of « Mes jetons d'API » (django-rest-knox:
    # hashed, several per user, with an expiry). The token comes first because DRF answers an
    # authentication failure with the first class's challenge: `WWW-Authenticate: Token` and a
    # 401 (the session has none and would turn every failure into a 403). A request without an
    # `Authorization: Token …` header skips it and falls back on the session, CSRF included.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "pvd.api.exceptions.exception_handler",
}
# Personal API tokens: knox stores only their SHA-512 digest and the first characters
# (`token_key`, to find the row); the token itself is shown once, when it is created
# (communes.services.create_token, which also enforces the limit per user).
REST_KNOX = {
    "TOKEN_PREFIX": "pvd_",  # recognisable by secret scanners and by the person who finds it
    "TOKEN_TTL": timedelta(days=365),  # the default; the user picks 30 days, 90 days or 1 year
    "AUTO_REFRESH": False,  # a token expires on the date shown on its page, used or not
    "TOKEN_LIMIT_PER_USER": 20,
}
# knox's token model is swappable: a foreign key to it (communes.JetonAPI) names this setting in
# its migration, so it must exist even with knox's own model.
KNOX_TOKEN_MODEL = "knox.AuthToken"
SPECTACULAR_SETTINGS = {
    "TITLE": "API du portail Petites villes de demain",
    "VERSION": "1",
    "DESCRIPTION": (
        "Les données du programme Petites villes de demain (ANCT), en JSON, avec les droits de "
        "votre compte : chaque réponse ne contient que ce que votre périmètre vous permet de "
        "lire.\n\n"
        "**Authentification.** Depuis le navigateur, la session du portail suffit. Depuis un "
        "autre système, créez un jeton personnel sur la page « Mes jetons d’API » "
        "(`/compte/jetons/`) et envoyez-le dans l’en-tête de chaque requête : "
        "`Authorization: Token pvd_…`. Un jeton a exactement les droits de son utilisateur ; "
        "faux, expiré ou révoqué, il vaut une réponse 401. Sans session ni jeton, seuls les "
        "territoires et les indicateurs publics de la France sont lisibles.\n\n"
        "**Territoires.** Régions, départements, EPCI et communes, désignés par leur code "
        "officiel (code INSEE, SIREN pour un EPCI), par pages de 50 (`page`, `taille` "
        "jusqu’à 500).\n\n"
        "**Tableau de bord.** `perimetre` : `FR` (par défaut), `region:<code INSEE>` ou "
        "`departement:<code INSEE>` ; `date` : AAAA-MM-JJ, aujourd’hui par défaut, jamais dans "
        "le futur.\n\n"
        '**Erreurs.** Toute erreur répond en JSON `{"detail": "…"}`, avec un message en '
        "français : 400 paramètre ou filtre illisible, 401 jeton refusé, 404 territoire inconnu "
        "ou hors de votre périmètre (son existence n’est pas révélée)."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its page /api/v1/docs/ are public, whatever DEFAULT_PERMISSION_CLASSES says;
    # every endpoint is listed (SERVE_PUBLIC), what each returns depends on who calls it.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_PUBLIC": True,
    # Swagger UI from our static files (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Accounts: e-mail + password, scoped by habilitations (see communes.models).
AUTH_USER_MODEL = "communes.User"
LOGIN_URL = "connexion"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "index"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
INVITATION_VALIDITY_DAYS = env.int("INVITATION_VALIDITY_DAYS", default=7)

_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Petites villes de demain <ne-pas-repondre@anct.gouv.fr>"
)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages come from npm (package.json), never copied by hand.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/dsfr-chart", BASE_DIR / "node_modules" / "@gouvfr" / "dsfr-chart" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# In debug (and in tests, whose runner turns DEBUG off after start-up), whitenoise serves the
# files from their apps' folders; in production, from STATIC_ROOT filled by collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Forms mark their optional fields, as the DSFR now recommends (see pvd.forms.BaseForm).
DSFR_MARK_OPTIONAL_FIELDS = True

# Where `import_territoires` reads the official territories (npm package
# @etalab/decoupage-administratif, installed by `npm ci`).
TERRITOIRES_SOURCE_DIR = Path(
    env.str(
        "TERRITOIRES_SOURCE_DIR",
        default=str(BASE_DIR / "node_modules" / "@etalab" / "decoupage-administratif"),
    )
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs each step of every PDF at INFO: only its warnings are worth reading.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
