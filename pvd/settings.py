"""Settings of the portal, read from the environment (see `.env.example`).

With nothing set, the embedded default runs on a laptop: SQLite file, Celery tasks run inline,
e-mails printed on the console. `DATABASE_URL` and `REDIS_URL` switch to PostgreSQL and Redis.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
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
    "django_htmx",
    "django_filters",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files for /api/v1/docs/, served by us, no CDN
    "simple_history",
    "widget_tweaks",
    "dsfr",
    # After dsfr: its templates of Django's widgets (checkbox and radio options) take precedence.
    "django.forms",
    "axes",  # login throttling (AXES_* below)
    "csp",  # the {% csp_nonce %} of templates
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
    # Content-Security-Policy with a nonce per response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
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
    # Through which channel (web, API, admin) a change came, for the audit (pvd.audit).
    "pvd.audit.ChannelMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Idle and absolute limits of a session (SESSION_IDLE_MINUTES, SESSION_MAX_HOURS).
    "communes.middleware.SessionLimitsMiddleware",
    # Last: turns a locked-out login into the lockout page (django-axes).
    "axes.middleware.AxesMiddleware",
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
# Exports of the lists: up to this many rows, the file is downloaded at once; above, it is
# built by a Celery task and kept in « Mes exports ».
EXPORT_LIGNES_IMMEDIATES = env.int("EXPORT_LIGNES_IMMEDIATES", default=2000)
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
    # The jobs the broker refused while it was down (pvd.taches), published once it is back.
    "relais-des-taches": {"task": "pvd.tasks.relayer_taches", "schedule": 60.0},
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
    # The enums hook first (drf-spectacular's default), then the answers of every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pvd.api.schema.reponses_communes",
    ],
    # Several models have an `etat` with their own choices: each enum named after its model.
    "ENUM_NAME_OVERRIDES": {
        "EtatCandidatureEnum": "conventions.enums.EtatCandidature",
        "EtatConventionEnum": "conventions.enums.EtatConvention",
    },
}

# Accounts: e-mail + password, scoped by habilitations (see communes.models).
AUTH_USER_MODEL = "communes.User"
LOGIN_URL = "connexion"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "index"
# django-axes checks every login attempt before the password is (AxesStandaloneBackend first).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "communes.proconnect.ProConnectBackend",
]

# ProConnect, the State's OpenID Connect for its agents (communes.proconnect, with
# mozilla-django-oidc): on when PROCONNECT_CLIENT_ID is set. The endpoints are those of the
# provider's /.well-known/openid-configuration; by default, ProConnect's under PROCONNECT_URL.
# The callback to declare at ProConnect: <SITE_URL>/connexion/proconnect/retour/.
OIDC_RP_CLIENT_ID = env.str("PROCONNECT_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("PROCONNECT_CLIENT_SECRET", default="")
_proconnect = env.str("PROCONNECT_URL", default="https://auth.proconnect.gouv.fr/api/v2")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str(
    "PROCONNECT_AUTHORIZATION_ENDPOINT", default=f"{_proconnect}/authorize"
)
OIDC_OP_TOKEN_ENDPOINT = env.str("PROCONNECT_TOKEN_ENDPOINT", default=f"{_proconnect}/token")
OIDC_OP_USER_ENDPOINT = env.str("PROCONNECT_USERINFO_ENDPOINT", default=f"{_proconnect}/userinfo")
OIDC_OP_JWKS_ENDPOINT = env.str("PROCONNECT_JWKS_ENDPOINT", default=f"{_proconnect}/jwks")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = env.str("PROCONNECT_SCOPES", default="openid email given_name usual_name")
OIDC_CREATE_USER = False  # only invited users: ProConnect proves identity, not rights
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "communes:proconnect_retour"
LOGIN_REDIRECT_URL_FAILURE = "/connexion/proconnect/refus/"  # a path: not reversed
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 characters at least, 16 for staff (the admin site and the ANCT's national roles).
    {
        "NAME": "communes.validators.LongueurMinimale",
        "OPTIONS": {"min_length": 12, "min_length_staff": 16},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
INVITATION_VALIDITY_DAYS = env.int("INVITATION_VALIDITY_DAYS", default=7)

# Login throttling (django-axes). Its defaults are unsafe for us (3 failures by username alone,
# locked for ever, nothing reset on success): 5 failures of the same username from the same
# address lock that pair for 15 minutes; a success resets the count; every failure
# (AccessFailureLog) and every login and logout (AccessLog) is recorded, readable in the admin.
AXES_FAILURE_LIMIT = 5
AXES_VERBOSE = False  # no banner at start-up; each failure and lockout is still logged
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/verrouille.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_USERNAME_FORM_FIELD = "username"
# Behind the production reverse proxy (one hop: docker-compose's nginx), the client's address
# is the last one it adds to X-Forwarded-For; 0 on a laptop (REMOTE_ADDR).
# is the last one it adds to X-Forwarded-For. Without a proxy (AXES_PROXY_COUNT=0), that header
# is not read at all: a client could write it to escape its lockout.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Sessions end after SESSION_IDLE_MINUTES without a request and, whatever the activity,
# SESSION_MAX_HOURS after the login (communes.middleware.SessionLimitsMiddleware); the cookie
# itself lasts no longer than the absolute limit.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=60)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600

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
# Backups (`make backup`, `manage.py sauvegarder`): the database, the documents, their manifest.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "sauvegardes")))
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
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): everything from the portal itself, no CDN; no inline
# script or style without the response's nonce (`request.csp_nonce`, given to django-dsfr's
# scripts and to our few <style> elements); no plug-in, no framing, forms post only here.
# `data:` images: DSFR's icons inlined in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs each step of every PDF at INFO: only its warnings are worth reading.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
