"""Writes of the Club (services): events, registrations and the waiting list, attendance,
cercles and audience. Views, the API and the tasks import from here."""

from club.services.cercles import (
    add_membre,
    create_cercle,
    end_membre,
    record_audience,
    update_cercle,
)
from club.services.evenements import (
    annuler_evenement,
    create_evenement,
    publier_evenement,
    save_module,
    update_evenement,
)
from club.services.inscriptions import (
    annuler_inscription,
    inscrire,
    inscrire_collegue,
    inscrire_moi,
    notify_inscription,
    participant_for_user,
    places,
    send_reminders,
)
from club.services.presences import (
    ImportInvalide,
    ResultatImport,
    domaines_des_communes,
    import_presences,
    record_presences,
)

__all__ = [
    "ImportInvalide",
    "ResultatImport",
    "add_membre",
    "annuler_evenement",
    "annuler_inscription",
    "create_cercle",
    "create_evenement",
    "domaines_des_communes",
    "end_membre",
    "import_presences",
    "inscrire",
    "inscrire_collegue",
    "inscrire_moi",
    "notify_inscription",
    "participant_for_user",
    "places",
    "publier_evenement",
    "record_audience",
    "record_presences",
    "save_module",
    "send_reminders",
    "update_cercle",
    "update_evenement",
]
