"""The Club's figures at a date, for a perimeter the user may read: what the national
dashboard will show in its Club part (`club.chiffres.chiffres_club`)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from club.chiffres import chiffres_club
from club.enums import Canal
from communes.models import Departement, Region
from communes.perimetre import NATIONAL, Perimetre
from pvd.navigation import fil_ariane


def _choices(perimetre: Perimetre) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The régions and départements `perimetre` covers, as (parameter, label)."""
    regions = [
        (f"region:{r.code}", r.nom) for r in Region.objects.covered_by(perimetre).order_by("nom")
    ]
    departements = [
        (f"departement:{d.code}", f"{d.code} – {d.nom}")
        for d in Departement.objects.covered_by(perimetre).order_by("code")
    ]
    return regions, departements


def chiffres(request):
    user_perimetre = Perimetre.of(request.user)
    if user_perimetre.is_empty:
        raise PermissionDenied("Les chiffres du Club se lisent depuis un périmètre.")
    today = timezone.localdate()
    day = today
    if raw_date := request.GET.get("date"):
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            messages.error(request, f"Date « {raw_date} » invalide : écrivez-la AAAA-MM-JJ.")
        else:
            if day > today:
                messages.warning(request, "Les chiffres d’une date future sont ceux du jour.")
                day = today
    try:
        perimetre = Perimetre.parse(request.GET.get("perimetre") or "FR")
    except ValueError as error:
        messages.error(request, str(error))
        perimetre = NATIONAL
    regions, departements = _choices(user_perimetre)
    # France's figures are aggregates anyone with a perimeter reads; a territory must be
    # one of the user's (outside: 404, as everywhere).
    if not perimetre.national and perimetre.param not in {p for p, _ in regions + departements}:
        raise Http404("Ce territoire n’est pas dans votre périmètre.")
    labels = dict([("FR", "France entière"), *regions, *departements])
    return render(
        request,
        "club/chiffres.html",
        {
            "chiffres": chiffres_club(perimetre, day),
            "canaux": Canal,
            "date": day,
            "perimetre": perimetre.param,
            "perimetre_libelle": labels[perimetre.param],
            "regions": regions,
            "departements": departements,
            "breadcrumb_data": fil_ariane("Chiffres du Club", ("Club PVD", reverse("club:agenda"))),
        },
    )
