"""Cercles thématiques: the list, a cercle (its co-pilotes, members and meetings), and the
Club team's edits: a cercle (refused when someone saved in between), a member joining or
leaving."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format

from club import services
from club.forms_gestion import CercleForm, FinMembreForm, MembreForm
from club.models import Cercle, Evenement, MembreCercle
from club.permissions import can_manage_cercles
from pvd.forms import submit, submit_versioned
from pvd.navigation import fil_ariane

CLUB = ("Club PVD", reverse_lazy("club:agenda"))
CERCLES = ("Cercles thématiques", reverse_lazy("club:cercle_list"))
NOT_ALLOWED = "Seule l’équipe du Club anime les cercles thématiques."


def _check_manager(request) -> None:
    if not can_manage_cercles(request.user):
        raise PermissionDenied(NOT_ALLOWED)


def _scoped(request, pk: int) -> Cercle:
    return get_object_or_404(
        Cercle.objects.for_user(request.user)
        .select_related("thematique")
        .prefetch_related("copilotes"),
        pk=pk,
    )


def cercle_list(request):
    today = timezone.localdate()
    membres_actuels = Q(membres__jusqu_au__isnull=True) | Q(membres__jusqu_au__gte=today)
    cercles = (
        Cercle.objects.for_user(request.user)
        .select_related("thematique")
        .prefetch_related("copilotes")
        .annotate(
            nombre_membres=Count("membres", filter=membres_actuels, distinct=True),
            nombre_reunions=Count("reunions", distinct=True),
        )
    )
    return render(
        request,
        "club/cercle_list.html",
        {
            "cercles": cercles,
            "today": today,
            "can_manage": can_manage_cercles(request.user),
            "breadcrumb_data": fil_ariane("Cercles thématiques", CLUB),
        },
    )


def cercle_detail(request, pk: int):
    cercle = _scoped(request, pk)
    today = timezone.localdate()
    membres = list(
        cercle.membres.select_related("participant", "commune__departement").order_by(
            "commune__nom", "participant__nom", "participant__prenom"
        )
    )
    actuels = sum(1 for m in membres if m.jusqu_au is None or m.jusqu_au >= today)
    # Through the scope of events: a meeting in preparation is not shown to everyone.
    reunions = (
        Evenement.objects.for_user(request.user)
        .filter(cercle=cercle)
        .select_related("commune")
        .order_by("debut")
    )
    return render(
        request,
        "club/cercle_detail.html",
        {
            "cercle": cercle,
            "membres": membres,
            "nombre_actuels": actuels,
            "reunions": reunions,
            "today": today,
            "can_manage": can_manage_cercles(request.user),
            "breadcrumb_data": fil_ariane(str(cercle), CLUB, CERCLES),
        },
    )


def cercle_create(request):
    _check_manager(request)
    form = CercleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cercle = submit(form, services.create_cercle, by=request.user, **form.cleaned_data)
        if cercle:
            messages.success(request, f"Cercle « {cercle} » créé : ajoutez-y ses membres.")
            return redirect(cercle)
    return render(
        request,
        "club/cercle_form.html",
        {
            "form": form,
            "titre": "Nouveau cercle thématique",
            "annuler": CERCLES[1],
            "breadcrumb_data": fil_ariane("Nouveau cercle", CLUB, CERCLES),
        },
        status=400 if form.is_bound else 200,
    )


def cercle_update(request, pk: int):
    cercle = _scoped(request, pk)
    _check_manager(request)
    form = CercleForm(
        request.POST or None,
        cercle=cercle,
        initial={
            "titre": cercle.titre,
            "thematique": cercle.thematique,
            "debut": cercle.debut,
            "fin": cercle.fin,
            "copilotes": list(cercle.copilotes.all()),
            "description": cercle.description,
            "version": cercle.version,
        },
    )
    conflit = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        saved, conflit = submit_versioned(
            form,
            cercle,
            services.update_cercle,
            by=request.user,
            cercle=cercle,
            expected_version=version,
            **data,
        )
        if saved is not None:
            messages.success(request, f"Cercle « {cercle} » enregistré.")
            return redirect(cercle)
    status = 200
    if conflit:
        status = 409
    elif form.is_bound:
        status = 400
    return render(
        request,
        "club/cercle_form.html",
        {
            "form": form,
            "objet": cercle,
            "conflit": conflit,
            "titre": "Modifier le cercle",
            "breadcrumb_data": fil_ariane(
                "Modifier", CLUB, CERCLES, (str(cercle), cercle.get_absolute_url())
            ),
        },
        status=status,
    )


def membre_create(request, pk: int):
    cercle = _scoped(request, pk)
    _check_manager(request)
    form = MembreForm(request.POST or None, cercle=cercle)
    if request.method == "POST" and form.is_valid():
        membre = submit(
            form, services.add_membre, by=request.user, cercle=cercle, **form.cleaned_data
        )
        if membre:
            messages.success(
                request, f"{membre.participant} ({membre.commune.nom}) a rejoint le cercle."
            )
            return redirect(cercle)
    return render(
        request,
        "club/membre_form.html",
        {
            "form": form,
            "cercle": cercle,
            "breadcrumb_data": fil_ariane(
                "Ajouter un membre", CLUB, CERCLES, (str(cercle), cercle.get_absolute_url())
            ),
        },
        status=400 if form.is_bound else 200,
    )


def membre_end(request, pk: int):
    membre = get_object_or_404(
        MembreCercle.objects.filter(
            cercle__in=Cercle.objects.for_user(request.user)
        ).select_related("cercle", "participant", "commune"),
        pk=pk,
    )
    _check_manager(request)
    cercle = membre.cercle
    form = FinMembreForm(request.POST or None, cercle=cercle)
    if request.method == "POST" and form.is_valid():
        done = submit(
            form, services.end_membre, by=request.user, membre=membre, le=form.cleaned_data["le"]
        )
        if done:
            messages.success(
                request,
                f"{membre.participant} : membre du cercle jusqu’au "
                f"{date_format(done.jusqu_au, 'j F Y')}.",
            )
            return redirect(cercle)
    return render(
        request,
        "club/membre_end.html",
        {
            "form": form,
            "membre": membre,
            "cercle": cercle,
            "breadcrumb_data": fil_ariane(
                "Sortie du cercle", CLUB, CERCLES, (str(cercle), cercle.get_absolute_url())
            ),
        },
        status=400 if form.is_bound else 200,
    )
