"""Template helpers of the Club: an event's time slot in French, state badges."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from club.enums import EtatEvenement, EtatInscription

register = template.Library()


def _heure(moment) -> str:
    return f"{moment:%H} h {moment:%M}"


@register.filter
def creneau(obj) -> str:
    """When an event (or a module) takes place, in Paris time:
    "mardi 24 novembre 2026, de 14 h 00 à 15 h 30", or "du lundi 4 … au vendredi 8 …"."""
    debut, fin = timezone.localtime(obj.debut), timezone.localtime(obj.fin)
    jour = date_format(debut, "l j F Y")
    if debut.date() == fin.date():
        return f"{jour}, de {_heure(debut)} à {_heure(fin)}"
    return f"du {jour} ({_heure(debut)}) au {date_format(fin, 'l j F Y')} ({_heure(fin)})"


_BADGES_EVENEMENT = {
    EtatEvenement.BROUILLON: "fr-badge--info",
    EtatEvenement.PROPOSE: "fr-badge--new",
    EtatEvenement.PUBLIE: "fr-badge--success",
    EtatEvenement.ANNULE: "fr-badge--error",
}
_BADGES_INSCRIPTION = {
    EtatInscription.INSCRIT: "fr-badge--success",
    EtatInscription.ATTENTE: "fr-badge--warning",
    EtatInscription.ANNULEE: "",
}


@register.filter
def etat_evenement_badge(evenement) -> str:
    return format_html(
        '<p class="fr-badge fr-badge--sm fr-badge--no-icon {}">{}</p>',
        _BADGES_EVENEMENT.get(evenement.etat, ""),
        evenement.get_etat_display(),
    )


@register.filter
def etat_inscription_badge(inscription) -> str:
    return format_html(
        '<p class="fr-badge fr-badge--sm fr-badge--no-icon {}">{}</p>',
        _BADGES_INSCRIPTION.get(inscription.etat, ""),
        inscription.get_etat_display(),
    )


@register.filter
def pluriel(value, suffix: str = "s") -> str:
    """French plural: singular for 0 and 1 (« 0 webinaire », « 2 webinaires »)."""
    try:
        return suffix if abs(int(value)) >= 2 else ""
    except (TypeError, ValueError):
        return ""
