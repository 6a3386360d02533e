"""What every page needs: the DSFR site configuration and the navigation of the user's roles."""

from dataclasses import dataclass
from types import SimpleNamespace

from django.urls import reverse

from communes.perimetre import Perimetre
from communes.permissions import invitable_roles

# Read by django-dsfr's templates (header, footer, page title). Kept in code rather than in
# django-dsfr's DsfrConfig table: it is the same on every deployment and costs no query.
SITE_CONFIG = SimpleNamespace(
    site_title="Petites villes de demain",
    site_tagline="Le portail du programme de l’Agence nationale de la cohésion des territoires",
    header_brand="République française",
    header_brand_html="République<br>française",
    footer_brand="République française",
    footer_brand_html="République<br>française",
    footer_description=(
        "Petites villes de demain accompagne pendant six ans les communes de moins de 20 000 "
        "habitants qui jouent un rôle de centralité pour leur territoire."
    ),
    operator_logo_alt="Agence nationale de la cohésion des territoires",
    beta_tag=True,
    mourning=False,
    notice_title="",
    notice_description="",
)

SKIPLINKS = [
    {"link": "#content", "label": "Contenu"},
    {"link": "#navigation-principale", "label": "Menu"},
    {"link": "#footer", "label": "Pied de page"},
]


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def _navigation(request) -> list[NavItem]:
    user = request.user
    entries = []
    if user.is_authenticated:
        entries.append(("Mon espace", reverse("accueil")))
    else:
        entries.append(("Accueil", reverse("index")))
    if user.is_authenticated and not Perimetre.of(user).is_empty:
        entries.append(("Dossiers", reverse("conventions:dossier_list")))
    entries.append(("Communes PVD", reverse("conventions:public_list")))
    entries.append(("Territoires", reverse("communes:territoires")))
    if user.is_authenticated and invitable_roles(user):
        entries.append(("Invitations", reverse("communes:invitation_list")))
    if user.is_authenticated and user.is_staff:
        entries.append(("Administration", reverse("admin:index")))
    path = request.path
    return [
        NavItem(label, url, path == url or (url != "/" and path.startswith(url)))
        for label, url in entries
    ]


def site(request) -> dict:
    return {
        "SITE_CONFIG": SITE_CONFIG,
        "skiplinks": SKIPLINKS,
        "navigation": _navigation(request),
    }
