"""Template helpers of pillar 2: amounts in euros, state badges."""

from django import template
from django.utils.html import format_html

from financements.enums import EtatAction, EtatFinancement
from pvd import text

register = template.Library()

BADGES = {
    EtatFinancement.DEMANDE: "fr-badge--info",
    EtatFinancement.ACCORDE: "fr-badge--new",
    EtatFinancement.REFUSE: "fr-badge--error",
    EtatFinancement.VERSE: "fr-badge--success",
    EtatAction.ENVISAGEE: "fr-badge--info",
    EtatAction.PRE_OPERATIONNELLE: "fr-badge--new",
    EtatAction.OPERATIONNELLE: "fr-badge--warning",
    EtatAction.REALISEE: "fr-badge--success",
}


@register.filter
def euros(value) -> str:
    """ "20 959 057 €", "3 076 335,49 €"; "—" when there is no amount."""
    if value is None or value == "":
        return "—"
    return text.euros(value)


@register.simple_tag
def etat_badge(objet):
    """The badge of a line's or an action's state."""
    return format_html(
        '<p class="fr-badge fr-badge--sm fr-badge--no-icon {}">{}</p>',
        BADGES.get(objet.etat, ""),
        objet.get_etat_display(),
    )
