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


def echeances_par_departement(dossiers, today: date) -> list[Echeances]:
    """The départements of `dossiers` (a Dossier queryset) that have a projet de territoire
    overdue or due within 90 days, with those communes; two queries whatever the size."""
    dossiers = (
        dossiers.pvd()
        .with_etape()
        .select_related("epci", "departement")
        .order_by("departement", "date_adhesion", "nom_recherche")
    )
    by_departement: dict[str, Echeances] = {}
    for attribute, queryset in (
        ("en_retard", dossiers.overdue(today)),
        ("proches", dossiers.due_within(today)),
    ):
        for dossier in queryset:
            liste = by_departement.setdefault(
                dossier.departement_id, Echeances(dossier.departement, [], [])
            )
            getattr(liste, attribute).append(dossier)
    return [by_departement[code] for code in sorted(by_departement)]


def send_deadline_digests(today: date) -> int:
    """E-mail each active préfecture user the deadlines of its département(s), at most once a
    day: the day's `DigestEcheances` row is written first, so a second run sends nothing."""
    sent = 0
    prefectures = list(
        User.objects.filter(is_active=True, habilitations__role=Role.PREFECTURE)
        .distinct()
        .prefetch_related("habilitations")
    )
    codes = {
        h.departement_id
        for u in prefectures
        for h in u.habilitations.all()
        if h.role == Role.PREFECTURE
    }
    listes_par_code = {
        liste.departement.code: liste
        for liste in echeances_par_departement(Dossier.objects.filter(departement__in=codes), today)
    }
    for user in prefectures:
        listes = [
            listes_par_code[h.departement_id]
            for h in user.habilitations.all()
            if h.role == Role.PREFECTURE and h.departement_id in listes_par_code
        ]
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
