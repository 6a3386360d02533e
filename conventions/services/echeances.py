"""The projet de territoire's 18-month deadline, and the daily digest sent to préfectures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from communes.enums import Role
from communes.models import Departement, User
from conventions.models import DigestEcheances, Dossier


@dataclass
class Echeances:
    """A département's communes whose projet de territoire is overdue or due soon."""

    departement: Departement
    en_retard: list[Dossier]
    proches: list[Dossier]

    def __bool__(self) -> bool:
        return bool(self.en_retard or self.proches)


def echeances_du_departement(departement: Departement, today: date) -> Echeances:
    dossiers = (
        Dossier.objects.filter(departement=departement)
        .pvd()
        .with_etape()
        .select_related("epci")
        .order_by("date_adhesion", "nom_recherche")
    )
    return Echeances(
        departement=departement,
        en_retard=list(dossiers.overdue(today)),
        proches=list(dossiers.due_within(today)),
    )


def send_deadline_digests(today: date) -> int:
    """E-mail each active préfecture user the deadlines of its département(s), at most once a
    day: the day's `DigestEcheances` row is written first, so a second run sends nothing."""
    sent = 0
    prefectures = (
        User.objects.filter(is_active=True, habilitations__role=Role.PREFECTURE)
        .distinct()
        .prefetch_related("habilitations__departement")
    )
    cache: dict[str, Echeances] = {}
    for user in prefectures:
        departements = [
            h.departement for h in user.habilitations.all() if h.role == Role.PREFECTURE
        ]
        listes = []
        for departement in departements:
            if departement.code not in cache:
                cache[departement.code] = echeances_du_departement(departement, today)
            if cache[departement.code]:
                listes.append(cache[departement.code])
        if not listes:
            continue
        try:
            with transaction.atomic():
                DigestEcheances.objects.create(user=user, envoye_le=today)
        except IntegrityError:
            continue  # already sent today
        send_mail(
            subject=f"Petites villes de demain — échéances des projets de territoire au "
            f"{today:%d/%m/%Y}",
            message=render_to_string(
                "conventions/emails/digest_echeances.txt",
                {
                    "user": user,
                    "listes": listes,
                    "today": today,
                    "lien": settings.SITE_URL + reverse("conventions:echeances"),
                },
            ),
            from_email=None,
            recipient_list=[user.email],
        )
        sent += 1
    return sent
