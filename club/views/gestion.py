"""The Club team's follow-up of an event: its registrations (list, counts, CSV export),
attendance typed for every registration at once or imported from a webinar tool's export;
and the audience figures of the Club's channels."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET

from club import services
from club.enums import Canal, EtatInscription
from club.forms_gestion import (
    AudienceForm,
    FiltreInscriptionsForm,
    ImportPresencesForm,
    PresencesForm,
)
from club.models import Evenement, Inscription, MesureAudience
from club.permissions import (
    can_record_audience,
    can_record_presences,
    can_view_inscriptions,
    is_club_team,
)
from pvd.exceptions import DomainError, NotAllowed
from pvd.forms import submit
from pvd.navigation import fil_ariane
from pvd.text import nombre

CLUB = ("Club PVD", reverse_lazy("club:agenda"))
PAR_PAGE = 100  # a page of attendance stays well below DATA_UPLOAD_MAX_NUMBER_FIELDS

NOT_ALLOWED = (
    "La liste des inscrits est suivie par l’équipe du Club et, pour un événement local, par "
    "la préfecture du département."
)


def _scoped(request, pk: int) -> Evenement:
    """The event, seen by the user (outside: 404), whose registrations they may follow (403)."""
    evenement = get_object_or_404(
        Evenement.objects.for_user(request.user).select_related("thematique", "departement"),
        pk=pk,
    )
    if not can_view_inscriptions(request.user, evenement):
        raise PermissionDenied(NOT_ALLOWED)
    return evenement


def _inscriptions(request, evenement: Evenement):
    return (
        Inscription.objects.for_user(request.user)
        .filter(evenement=evenement)
        .select_related("participant__commune", "participant__organisation", "inscrit_par")
        .order_by("participant__nom", "participant__prenom", "participant__email")
    )


def _filtered(request, evenement: Evenement):
    filtre = FiltreInscriptionsForm(request.GET or None)
    inscriptions = _inscriptions(request, evenement)
    if filtre.is_valid() and filtre.cleaned_data["etat"]:
        inscriptions = inscriptions.filter(etat=filtre.cleaned_data["etat"])
    return filtre, inscriptions


def _compteurs(inscriptions) -> dict[str, int]:
    return inscriptions.aggregate(
        inscrits=Count("pk", filter=Q(etat=EtatInscription.INSCRIT)),
        attente=Count("pk", filter=Q(etat=EtatInscription.ATTENTE)),
        annulees=Count("pk", filter=Q(etat=EtatInscription.ANNULEE)),
        presents=Count("pk", filter=Q(present=True)),
        absents=Count("pk", filter=Q(present=False)),
    )


def _caption(page) -> str:
    count = page.paginator.count
    if not count:
        return "Aucune inscription"
    caption = f"{nombre(count)} inscription{'s' if count > 1 else ''}"
    if page.paginator.num_pages > 1:
        caption += f" — page {page.number} sur {page.paginator.num_pages}"
    return caption


def evenement_inscriptions(request, pk: int):
    """The registrations of an event; for the Club team once it has begun, their attendance,
    recorded for the whole page at once."""
    evenement = _scoped(request, pk)
    filtre, inscriptions = _filtered(request, evenement)
    page = Paginator(inscriptions, PAR_PAGE).get_page(request.GET.get("page"))
    can_record = can_record_presences(request.user, evenement)
    presences = None
    status = 200
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(
                "Les présences sont enregistrées par l’équipe du Club, une fois l’événement "
                "commencé."
            )
        presences = PresencesForm(request.POST, inscriptions=page.object_list)
        if presences.is_valid():
            changed = submit(
                presences,
                services.record_presences,
                evenement=evenement,
                by=request.user,
                presences=presences.presences(),
            )
            if changed is not None:
                if changed:
                    messages.success(
                        request,
                        f"{nombre(changed)} présence{pluralize(changed)} "
                        f"enregistrée{pluralize(changed)}.",
                    )
                else:
                    messages.info(request, "Aucune présence n’a changé.")
                return redirect(request.get_full_path())
        status = 400
    elif can_record:
        presences = PresencesForm(inscriptions=page.object_list)
    lignes = presences.lignes() if presences else [(i, None) for i in page]
    return render(
        request,
        "club/evenement_inscriptions.html",
        {
            "evenement": evenement,
            "filtre": filtre,
            "inscriptions": page,
            "lignes": lignes,
            "caption": _caption(page),
            "compteurs": _compteurs(_inscriptions(request, evenement).order_by()),
            "presences": presences,
            "can_import": is_club_team(request.user),
            "can_record": can_record,
            "breadcrumb_data": fil_ariane(
                "Inscriptions", CLUB, (str(evenement), evenement.get_absolute_url())
            ),
        },
        status=status,
    )


# CSV ------------------------------------------------------------------------------------------

# A spreadsheet runs a cell that begins with one of these as a formula (CSV injection).
_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def _cellule(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULE) else text


def _reponse_csv(filename: str) -> tuple[HttpResponse, csv.writer]:
    """A CSV attachment that French Excel opens as is: UTF-8 with a BOM, `;` separators."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, csv.writer(response, delimiter=";", lineterminator="\r\n")


COLONNES_CSV = [
    "Nom",
    "Prénom",
    "Adresse électronique",
    "Commune",
    "Code INSEE",
    "Organisation",
    "État",
    "Source",
    "Demandée le",
    "Présent",
]
_PRESENT_CSV = {True: "oui", False: "non", None: ""}


@require_GET
def evenement_inscriptions_csv(request, pk: int):
    """The registrations of an event (the state filter of the page applies), for a
    spreadsheet."""
    evenement = _scoped(request, pk)
    _, inscriptions = _filtered(request, evenement)
    response, writer = _reponse_csv(f"evenement-{evenement.pk}-inscriptions.csv")
    writer.writerow(COLONNES_CSV)
    for inscription in inscriptions:
        participant = inscription.participant
        writer.writerow(
            [
                _cellule(value)
                for value in (
                    participant.nom,
                    participant.prenom,
                    participant.email,
                    participant.commune.nom if participant.commune else "",
                    participant.commune_id or "",
                    participant.organisation.nom if participant.organisation else "",
                    inscription.get_etat_display(),
                    inscription.get_source_display(),
                    date_format(timezone.localtime(inscription.demandee_le), "d/m/Y H:i"),
                    _PRESENT_CSV[inscription.present],
                )
            ]
        )
    return response


# Import of attendance ---------------------------------------------------------------------


def _resultat(resultat: services.ResultatImport) -> str:
    def compte(n: int, singulier: str, pluriel: str) -> str:
        return f"{nombre(n)} {singulier if n < 2 else pluriel}"

    parts = [
        compte(resultat.presents, "présent", "présents"),
        compte(resultat.nouvelles_inscriptions, "nouvelle inscription", "nouvelles inscriptions"),
        compte(resultat.invites_crees, "invité créé", "invités créés"),
        compte(resultat.doublons, "doublon regroupé", "doublons regroupés"),
        compte(resultat.absents, "absent marqué", "absents marqués"),
    ]
    return f"Import de « {resultat.trace.fichier} » : " + ", ".join(parts) + "."


def import_presences(request, pk: int):
    """Attendance from a webinar tool's export: every row is checked first; one bad row and
    nothing is imported, every bad row is listed."""
    evenement = _scoped(request, pk)
    if not is_club_team(request.user):
        raise PermissionDenied("Seule l’équipe du Club importe les présences.")
    can_record = can_record_presences(request.user, evenement)
    form = ImportPresencesForm(request.POST or None, request.FILES or None)
    erreurs, status = None, 200
    if request.method == "POST":
        status = 400
        if not can_record:
            form.add_error(
                None,
                "Les présences s’importent pour un événement publié, une fois qu’il a commencé.",
            )
        elif form.is_valid():
            fichier = form.cleaned_data["fichier"]
            try:
                resultat = services.import_presences(
                    evenement=evenement,
                    by=request.user,
                    nom_fichier=fichier.name,
                    contenu=fichier.read(),
                    marquer_absents=form.cleaned_data["marquer_absents"],
                )
            except NotAllowed as error:
                raise PermissionDenied(str(error)) from error
            except services.ImportInvalide as error:
                erreurs = error.erreurs
                form.add_error(None, str(error))
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _resultat(resultat))
                return redirect("club:evenement_inscriptions", pk=evenement.pk)
    return render(
        request,
        "club/import_presences.html",
        {
            "evenement": evenement,
            "form": form,
            "erreurs": erreurs,
            "can_record": can_record,
            "imports": evenement.imports_presences.select_related("importe_par"),
            "breadcrumb_data": fil_ariane(
                "Importer les présences",
                CLUB,
                (str(evenement), evenement.get_absolute_url()),
                ("Inscriptions", reverse("club:evenement_inscriptions", args=[evenement.pk])),
            ),
        },
        status=status,
    )


MODELE_ENTETE = ["E-mail", "Prénom", "Nom", "Commune", "Code INSEE"]
MODELE_EXEMPLE = ["camille.martin@mairie-clamecy.fr", "Camille", "Martin", "Clamecy", "58079"]


@require_GET
def import_presences_modele(request):
    """An example of the file the import reads."""
    if not is_club_team(request.user):
        raise PermissionDenied("Seule l’équipe du Club importe les présences.")
    response, writer = _reponse_csv("modele-import-presences.csv")
    writer.writerow(MODELE_ENTETE)
    writer.writerow(MODELE_EXEMPLE)
    return response


# Audience -------------------------------------------------------------------------------------


def _releves(user) -> tuple[list[dict], list[tuple[str, MesureAudience | None]]]:
    """The figures, one row per date with one cell per channel (newest first), and the last
    figure of each channel up to today."""
    today = timezone.localdate()
    rows: dict = {}
    dernieres: dict[str, MesureAudience] = {}
    for mesure in MesureAudience.objects.for_user(user).select_related("saisi_par"):
        rows.setdefault(mesure.date, {})[mesure.canal] = mesure
        if mesure.date <= today:
            dernieres.setdefault(mesure.canal, mesure)  # ordered by date, newest first
    releves = [
        {"date": day, "mesures": [mesures.get(canal) for canal in Canal.values]}
        for day, mesures in sorted(rows.items(), reverse=True)
    ]
    return releves, [(label, dernieres.get(canal)) for canal, label in Canal.choices]


def audience(request):
    """The audience of the Club's channels, by date; the Club team types new figures."""
    can_record = can_record_audience(request.user)
    form, status = None, 200
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied("Seule l’équipe du Club saisit les chiffres d’audience.")
        form = AudienceForm(request.POST)
        if form.is_valid():
            mesure = submit(form, services.record_audience, by=request.user, **form.cleaned_data)
            if mesure:
                messages.success(
                    request,
                    f"{mesure.get_canal_display()} : {nombre(mesure.valeur)} au "
                    f"{date_format(mesure.date, 'j F Y')}, enregistré.",
                )
                return redirect("club:audience")
        status = 400
    elif can_record:
        form = AudienceForm()
    releves, dernieres = _releves(request.user)
    return render(
        request,
        "club/audience.html",
        {
            "canaux": Canal.labels,
            "dernieres": dernieres,
            "releves": releves,
            "form": form,
            "breadcrumb_data": fil_ariane("Audience du Club", CLUB),
        },
        status=status,
    )
