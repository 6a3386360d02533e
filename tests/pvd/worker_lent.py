"""A real Celery worker for the tests, whose PDF rendering first waits `sys.argv[1]` seconds:
time for a test to kill it in the middle of a note. Usage: python -m tests.pvd.worker_lent 3
(the rest of the command line is Celery's `worker` options)."""

import sys
import time

import django

django.setup()

from pvd.celery import app  # noqa: E402
from pvd.notes import pdf  # noqa: E402

delai = float(sys.argv[1])
rendu = pdf.render_note_pdf


def render_lent(**kwargs):
    time.sleep(delai)
    return rendu(**kwargs)


pdf.render_note_pdf = render_lent

if __name__ == "__main__":
    app.worker_main(["worker", *sys.argv[2:]])
