"""The import pages: the list of the imports open to the user, one page per import (upload,
then the report of every bad row or the summary), and the templates to download.

The import runs in the request: 10,000 rows are read, checked and written in a few seconds on
PostgreSQL (bench/imports.py), far below gunicorn's 30 s, and the person reads the report of
the bad rows at once, which is what they came for. A Celery task would have to keep the
uploaded file (personal data of the chefs de projet) and make the person wait for a report.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from pvd.exceptions import NotAllowed
from pvd.imports.forms import ImportForm
from pvd.imports.lecture import (
    DefinitionImport,
    FichierIllisible,
    ImportInvalide,
    Resultat,
    executer,
    modele_csv,
    modele_xlsx,
)
from pvd.imports.registre import IMPORTS, ouverts
from pvd.navigation import fil_ariane
from pvd.text import nombre

ERREURS_AFFICHEES = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _definition(user, slug: str) -> DefinitionImport:
    definition = IMPORTS.get(slug)
    if definition is None:
        raise Http404("Import inconnu.")
    if not definition.peut_importer(user):
        raise PermissionDenied(
            f"L’import « {definition.titre} » est ouvert à qui les enregistre dans le portail."
        )
    return definition


def index(request):
    return render(
        request,
        "imports/index.html",
        {
            "imports": ouverts(request.user),
            "breadcrumb_data": fil_ariane("Imports"),
        },
    )


def _compte(n: int, singulier: str, pluriel: str) -> str:
    return f"{nombre(n)} {singulier if n < 2 else pluriel}"


def _resume(nom: str, resultat: Resultat) -> str:
    if not resultat.total:
        return f"Import de « {nom} » : le fichier ne contient aucune ligne, rien n’a changé."
    parts = [
        _compte(resultat.creees, "ligne créée", "lignes créées"),
        _compte(resultat.modifiees, "ligne mise à jour", "lignes mises à jour"),
        _compte(resultat.inchangees, "ligne inchangée", "lignes inchangées"),
    ]
    return f"Import de « {nom} » réussi : " + ", ".join(parts) + "."


def importer(request, slug: str):
    """Upload a file; every row is checked first; one bad row and nothing is written, every
    bad row is listed (line, column, value, reason)."""
    definition = _definition(request.user, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    erreurs, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            fichier = form.cleaned_data["fichier"]
            try:
                resultat = executer(definition, request.user, fichier.name, fichier.read())
            except NotAllowed as error:
                raise PermissionDenied(str(error)) from error
            except ImportInvalide as error:
                erreurs = error.erreurs
                lignes = len({e.ligne for e in erreurs})
                form.add_error(
                    None,
                    f"{_compte(lignes, 'ligne est à corriger', 'lignes sont à corriger')} "
                    f"({_compte(len(erreurs), 'erreur', 'erreurs')}) : rien n’a été importé. "
                    "Corrigez le fichier puis importez-le à nouveau.",
                )
            except FichierIllisible as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _resume(fichier.name, resultat))
                return redirect("imports:importer", slug=slug)
    return render(
        request,
        "imports/importer.html",
        {
            "definition": definition,
            "form": form,
            "erreurs": erreurs[:ERREURS_AFFICHEES] if erreurs else None,
            "erreurs_masquees": max(0, len(erreurs or []) - ERREURS_AFFICHEES),
            "breadcrumb_data": fil_ariane(definition.titre, ("Imports", reverse("imports:index"))),
        },
        status=status,
    )


def modele(request, slug: str, format: str):
    """The template: the header row (CSV for Excel in French, or XLSX with a help sheet)."""
    definition = _definition(request.user, slug)
    if format == "csv":
        response = HttpResponse(modele_csv(definition.colonnes), content_type="text/csv")
    elif format == "xlsx":
        response = HttpResponse(
            modele_xlsx(definition.colonnes, definition.titre), content_type=XLSX
        )
    else:
        raise Http404("Format inconnu : csv ou xlsx.")
    response["Content-Disposition"] = f'attachment; filename="modele-import-{slug}.{format}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
