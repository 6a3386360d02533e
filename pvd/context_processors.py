"""What every page needs: the DSFR site configuration and the navigation of the user's roles."""

from dataclasses import dataclass
from types import SimpleNamespace

from django.urls import reverse
from django.utils.text import slugify

from communes.perimetre import Perimetre
from communes.permissions import invitable_roles
from pvd.notes.permissions import is_national

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
        *([("Imports", liens)] if (liens := liens_imports(user)) else []),
    ]


def liens_imports(user) -> list[tuple[str, str]]:
    """The « Imports » menu: the imports open to `user` (none: no menu)."""
    from pvd.imports.registre import ouverts

    liens = [(d.titre, reverse("imports:importer", args=[d.slug])) for d in ouverts(user)]
    return [("Tous les imports", reverse("imports:index")), *liens] if liens else []


def _club(user) -> list[tuple[str, str]]:
    """The Club's menu: its agenda is public; the rest needs an account."""
    from club.permissions import can_register, is_club_team

    links = [("Agenda des événements", reverse("club:agenda"))]
    if can_register(user):
        links.append(("Mes inscriptions", reverse("club:mes_inscriptions")))
    links.append(("Cercles thématiques", reverse("club:cercle_list")))
    if is_club_team(user) or not Perimetre.of(user).is_empty:
        links.append(("Chiffres du Club", reverse("club:chiffres")))
    links.append(("Audience", reverse("club:audience")))
    return links


def _is_active(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def _children(path: str, links: list[tuple[str, str]]) -> tuple[NavItem, ...]:
    """A menu's entries, the one whose address is the longest prefix of `path` active (the
    agenda /club/ is not active on /club/chiffres/)."""
    matches = [url for _, url in links if _is_active(path, url)]
    best = max(matches, key=len, default=None)
    return tuple(NavItem(text, url, url == best) for text, url in links)


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
        entries.append(("Tableau de bord", reverse("tableau_de_bord")))
    items = [NavItem(label, url, _is_active(path, url)) for label, url in entries]
    if with_perimetre:
        for label, links in _menus(user):
            children = _children(path, links)
            items.append(NavItem(label, "", any(c.active for c in children), children))
    if user.is_authenticated:
        children = _children(path, _club(user))
        items.append(NavItem("Club PVD", "", any(c.active for c in children), children))
    entries = [("Communes PVD", reverse("conventions:public_list"))]
    if not user.is_authenticated:
        entries.append(("Agenda du Club", reverse("club:agenda")))
    entries.append(("Territoires", reverse("communes:territoires")))
    if user.is_authenticated and invitable_roles(user):
        entries.append(("Invitations", reverse("communes:invitation_list")))
    if user.is_authenticated and is_national(user):
        entries.append(("Journal", reverse("audit")))
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
