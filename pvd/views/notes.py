"""The notes de suivi: the list of those one may read with each request's progress, the request
form, a note's page and the download of its PDF (scoped: outside the perimeter → 404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from pvd.documents import pdf_response
from pvd.forms import submit
from pvd.indicateurs.format import evolution, valeur
from pvd.indicateurs.registre import REGISTRE, SCALAIRES, Section
from pvd.models import NoteSuivi
from pvd.navigation import fil_ariane
from pvd.notes import perimetres
from pvd.notes.forms import DemandeNoteForm
from pvd.notes.permissions import can_request_notes
from pvd.notes.services import demander_note


def _with_libelles(notes: list[NoteSuivi]) -> list[NoteSuivi]:
    noms = perimetres.libelles(note.perimetre for note in notes)
    for note in notes:
        note.perimetre_libelle = noms[note.perimetre]
    return notes


def _list(request, form=None, status: int = 200):
    notes = _with_libelles(
        list(NoteSuivi.objects.for_user(request.user).select_related("demandee_par"))
    )
    if form is None and can_request_notes(request.user):
        form = DemandeNoteForm(user=request.user)
    context = {
        "notes": notes,
        "form": form,
        "en_cours": any(note.est_en_cours for note in notes),
        "breadcrumb_data": fil_ariane("Notes de suivi"),
    }
    # htmx refreshes the table while requests are pending (and stops when none is).
    template = "pvd/_note_table.html" if request.htmx else "pvd/note_list.html"
    return render(request, template, context, status=status)


@require_GET
def note_list(request):
    return _list(request)


@require_POST
def note_create(request):
    if not can_request_notes(request.user):
        raise PermissionDenied(
            "Les notes de suivi sont demandées par l’ANCT, les préfectures et les régions."
        )
    form = DemandeNoteForm(request.POST, user=request.user)
    if form.is_valid():
        note = submit(
            form,
            demander_note,
            by=request.user,
            perimetre=form.cleaned_data["perimetre"],
            jour=form.cleaned_data["jour"],
        )
        if note is not None:
            if note.nouvelle:
                messages.success(request, "Votre demande de note de suivi est enregistrée.")
            else:
                messages.info(request, "Cette note a déjà été demandée : la voici.")
            return redirect(note)
    return _list(request, form, status=400)


def _lignes(note: NoteSuivi) -> list[tuple[str, list[dict]]]:
    """The note's scalar figures by section: label, value, change since the previous note."""
    if not note.valeurs:
        return []
    precedentes = note.precedente.valeurs if note.precedente else None
    date_precedente = note.precedente.date if note.precedente else None
    sections: dict[Section, list[dict]] = {}
    for cle, indicateur in REGISTRE.items():
        if cle not in note.valeurs or indicateur.unite not in SCALAIRES:
            continue
        sections.setdefault(indicateur.section, []).append(
            {
                "libelle": indicateur.libelle,
                "definition": indicateur.definition,
                "valeur": valeur(cle, note.valeurs[cle]),
                "evolution": evolution(
                    cle,
                    note.valeurs[cle],
                    (precedentes or {}).get(cle),
                    date_precedente,
                ),
            }
        )
    return [(section.value, sections[section]) for section in Section if section in sections]


@require_GET
def note_detail(request, pk: int):
    note = get_object_or_404(
        NoteSuivi.objects.for_user(request.user).select_related("demandee_par", "precedente"),
        pk=pk,
    )
    _with_libelles([note])
    context = {
        "note": note,
        "sections": _lignes(note),
        "breadcrumb_data": fil_ariane(
            f"{note.perimetre_libelle} au {note.date:%d/%m/%Y}",
            ("Notes de suivi", reverse("note_list")),
        ),
    }
    if request.htmx:
        # Polled while pending: once settled, the whole page is shown again (figures, link).
        if not note.est_en_cours:
            return HttpResponseClientRefresh()
        return render(request, "pvd/_note_etat.html", context)
    return render(request, "pvd/note_detail.html", context)


@require_GET
def note_pdf(request, pk: int):
    note = get_object_or_404(NoteSuivi.objects.for_user(request.user).publiees(), pk=pk)
    if not note.fichier:
        raise Http404
    return pdf_response(note.fichier, note.nom_fichier)
