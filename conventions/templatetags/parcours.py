"""Template helpers of a commune's journey: stage badges, deadline wording."""

from django import template
from django.utils.html import format_html

from conventions.enums import Echeance, Etape

register = template.Library()

BADGES = {
    Etape.CANDIDATE: "fr-badge--info",
    Etape.LAUREATE: "fr-badge--new",
    Etape.ADHESION_SIGNEE: "fr-badge--blue-ecume",
    Etape.ORT_SIGNEE: "fr-badge--success",
}
BADGES_ECHEANCE = {
    Echeance.A_VENIR: "fr-badge--info",
    Echeance.PROCHE: "fr-badge--warning",
    Echeance.EN_RETARD: "fr-badge--error",
    Echeance.TENUE: "fr-badge--success",
}


@register.simple_tag
def etape_badge(etape: str):
    if not etape:
        return format_html('<p class="fr-badge fr-badge--sm">{}</p>', "Hors programme")
    return format_html(
        '<p class="fr-badge fr-badge--sm fr-badge--no-icon {}">{}</p>',
        BADGES[etape],
        Etape(etape).label,
    )


@register.simple_tag
def echeance_badge(statut: str):
    if not statut:
        return ""
    return format_html(
        '<p class="fr-badge fr-badge--sm {}">{}</p>',
        BADGES_ECHEANCE[statut],
        Echeance(statut).label,
    )


@register.filter
def jours_restants(jours: int | None) -> str:
    """ "dans 12 jours", "aujourd’hui", "dépassée de 30 jours"."""
    if jours is None:
        return ""
    if jours == 0:
        return "aujourd’hui"
    if jours > 0:
        return f"dans {jours} jour{'s' if jours > 1 else ''}"
    return f"dépassée de {-jours} jour{'s' if jours < -1 else ''}"
