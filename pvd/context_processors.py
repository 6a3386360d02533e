"""What every page needs: the DSFR site configuration and the navigation of the user's roles."""

from dataclasses import dataclass
from types import SimpleNamespace

from django.urls import reverse
from django.utils.text import slugify

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
    children: tuple["NavItem", ...] = ()

    @property
    def key(self) -> str:
        return slugify(self.label)


def _menus(user) -> list[tuple[str, list[tuple[str, str]]]]:
    """The programme's menus: what a user with a perimeter reads (writing is per page)."""
    return [
        (
            "Ingénierie",
            [
                ("Chefs de projet", reverse("ingenierie:poste_list")),
                ("Soutiens en ingénierie", reverse("ingenierie:soutien_list")),
            ],
        ),
        (
            "Financements",
            [
                ("Lignes de financement", reverse("financements:financement_list")),
                ("Comités des financeurs", reverse("financements:comite_list")),
                ("Actions des projets", reverse("financements:action_list")),
                ("Labels", reverse("financements:label_list")),
                ("Mesures du programme", reverse("financements:mesure_list")),
                ("Sources de financement", reverse("financements:source_list")),
            ],
        ),
    ]


def _is_active(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def _navigation(request) -> list[NavItem]:
    user = request.user
    path = request.path
    entries = []
    if user.is_authenticated:
        entries.append(("Mon espace", reverse("accueil")))
    else:
        entries.append(("Accueil", reverse("index")))
    with_perimetre = user.is_authenticated and not Perimetre.of(user).is_empty
    if with_perimetre:
        entries.append(("Dossiers", reverse("conventions:dossier_list")))
    items = [NavItem(label, url, _is_active(path, url)) for label, url in entries]
    if with_perimetre:
        for label, links in _menus(user):
            children = tuple(NavItem(text, url, _is_active(path, url)) for text, url in links)
            items.append(NavItem(label, "", any(c.active for c in children), children))
    entries = [("Communes PVD", reverse("conventions:public_list"))]
    entries.append(("Territoires", reverse("communes:territoires")))
    if user.is_authenticated and invitable_roles(user):
        entries.append(("Invitations", reverse("communes:invitation_list")))
    if user.is_authenticated and user.is_staff:
        entries.append(("Administration", reverse("admin:index")))
    items += [NavItem(label, url, _is_active(path, url)) for label, url in entries]
    return items


def site(request) -> dict:
    return {
        "SITE_CONFIG": SITE_CONFIG,
        "skiplinks": SKIPLINKS,
        "navigation": _navigation(request),
    }
