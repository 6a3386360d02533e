"""The sections that pillar 2 adds to a commune's dossier (registered in `apps.py`): its
actions, and its financing lines with their totals and its labels. Their queries do not grow
with the rows."""

from django.utils import timezone

from financements.models import Action, Financement, Label
from financements.permissions import can_manage_actions, records_lines


def actions_context(request, dossier) -> dict:
    actions = (
        Action.objects.filter(communes=dossier)
        .select_related("orientation")
        .order_by("orientation__ordre", "titre", "pk")
    )
    return {
        "actions": actions,
        "can_declare": can_manage_actions(request.user, [dossier]),
    }


def financements_context(request, dossier) -> dict:
    # Filtering on one commune joins one row per line: each line counts once, and whole.
    lignes = (
        Financement.objects.filter(communes=dossier)
        .select_related("source", "mesure", "financeur")
        .prefetch_related("communes")
    )
    return {
        "lignes": lignes,
        "totaux": lignes.totaux(),
        "labels": Label.objects.filter(commune=dossier),
        "today": timezone.localdate(),
        "can_record": records_lines(request.user),
    }
