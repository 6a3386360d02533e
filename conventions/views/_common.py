"""What the pages of the journey share."""

from django.urls import reverse_lazy

DOSSIERS = ("Dossiers", reverse_lazy("conventions:dossier_list"))
CANDIDATURES = ("Candidatures", reverse_lazy("conventions:candidature_list"))


def fil_ariane(current: str, *links: tuple[str, str]) -> dict:
    """The `breadcrumb_data` that django-dsfr's breadcrumb reads: (title, url) links."""
    return {"current": current, "links": [{"title": t, "url": u} for t, u in links]}
