"""The national layer of the portal (dashboard, PDF note, urls) and cross-cutting helpers.

Helper modules of this package that every app uses (`pvd.exceptions`, `pvd.forms`,
`pvd.text`) import no app of the portal; see docs/ARCHITECTURE.md.
"""

from pvd.celery import app as celery_app

__all__ = ("celery_app",)
