"""WSGI entry point (gunicorn pvd.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.settings")

application = get_wsgi_application()
