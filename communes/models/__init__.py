"""Models of the `communes` app: the territories, and who belongs where."""

from communes.models.comptes import (
    CHAMPS_PAR_ROLE,
    Habilitation,
    Invitation,
    Organisation,
    User,
    UserManager,
)
from communes.models.jetons import DureeJeton, JetonAPI
from communes.models.territoires import (
    EPCI,
    CodePostal,
    CollectiviteOutreMer,
    Commune,
    Departement,
    ImportTerritoires,
    Region,
)

__all__ = [
    "CHAMPS_PAR_ROLE",
    "EPCI",
    "CodePostal",
    "CollectiviteOutreMer",
    "Commune",
    "Departement",
    "DureeJeton",
    "Habilitation",
    "ImportTerritoires",
    "Invitation",
    "JetonAPI",
    "Organisation",
    "Region",
    "User",
    "UserManager",  # named by the migrations (use_in_migrations)
]
