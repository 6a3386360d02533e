"""Template helpers of pillar 1: amounts, days and rates as French writes them, state badges."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from financements.templatetags import financements as financements_tags
from ingenierie.enums import EtatPoste, EtatSoutien
from pvd import text

register = template.Library()

BADGES_POSTE = {
    EtatPoste.A_RECRUTER: "fr-badge--new",
    EtatPoste.EN_RECRUTEMENT: "fr-badge--info",
    EtatPoste.OCCUPE: "fr-badge--success",
    EtatPoste.VACANT: "fr-badge--warning",
}
BADGES_SOUTIEN = {
    EtatSoutien.ENVISAGE: "fr-badge--new",
    EtatSoutien.ENGAGE: "fr-badge--info",
    EtatSoutien.EN_COURS: "fr-badge--info",
    EtatSoutien.TERMINE: "fr-badge--success",
    EtatSoutien.ABANDONNE: "",
}


# One amount format for both pillars: the `euros` filter of `financements`.
register.filter("euros", financements_tags.euros)


@register.filter
def jours(value) -> str:
    """A number of days ("12 jours", "1,5 jour"), or "—" when there is none."""
    return "—" if value is None or value == "" else text.jours(value)


@register.filter
def taux(value) -> str:
    """A ratio as a French percentage: 0.6 → "60 %", 0.6667 → "66,7 %"."""
    percent = (Decimal(value) * 100).quantize(Decimal("0.1"))
    places = 0 if percent == percent.to_integral_value() else 1
    return f"{number_format(percent, decimal_pos=places)}\N{NO-BREAK SPACE}%"


@register.simple_tag
def etat_poste_badge(poste):
    return format_html(
        '<p class="fr-badge fr-badge--sm fr-badge--no-icon {}">{}</p>',
        BADGES_POSTE.get(poste.etat, ""),
        poste.get_etat_display(),
    )


@register.simple_tag
def etat_soutien_badge(soutien):
    return format_html(
        '<p class="fr-badge fr-badge--sm fr-badge--no-icon {}">{}</p>',
        BADGES_SOUTIEN.get(soutien.etat, ""),
        soutien.get_etat_display(),
    )
