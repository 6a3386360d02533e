"""Pages of the national layer: the public home, each user's home (*Mon espace*), legal pages."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from communes.enums import Role
from communes.models import EPCI, Commune, Departement, Habilitation, Region
from conventions.enums import Etape
from conventions.models import Dossier


@login_not_required
@require_GET
def index(request):
    return render(request, "pvd/index.html")


@dataclass
class Panneau:
    """One block of *Mon espace*: what one habilitation gives to see."""

    template: str
    habilitation: Habilitation
    data: dict = field(default_factory=dict)


def _programme(dossiers) -> dict:
    """The programme in a territory: communes at each stage, deadlines of the projets."""
    today = timezone.localdate()
    etapes = dossiers.pvd().with_etape().count_by_etape()
    laureates = sum(etapes.values())
    return {
        "laureates": laureates,
        "adhesions": etapes.get(Etape.ADHESION_SIGNEE, 0) + etapes.get(Etape.ORT_SIGNEE, 0),
        "ort": etapes.get(Etape.ORT_SIGNEE, 0),
        "en_retard": dossiers.pvd().with_etape().overdue(today).count(),
        "proches": dossiers.pvd().with_etape().due_within(today).count(),
    }


def _panneau(habilitation: Habilitation) -> Panneau:
    match habilitation.role:
        case Role.ANCT:
            regions = list(Region.objects.actuels().annotate_counts())
            return Panneau(
                "pvd/accueil/_anct.html",
                habilitation,
                {
                    "regions": regions,
                    "departements_count": sum(region.departements_count for region in regions),
                    "communes_count": Commune.objects.actuels().count(),
                    "epcis_count": EPCI.objects.actuels().count(),
                    "programme": _programme(Dossier.objects.all()),
                },
            )
        case Role.PREFECTURE:
            departement = habilitation.departement
            return Panneau(
                "pvd/accueil/_prefecture.html",
                habilitation,
                {
                    "communes_count": departement.communes.actuels().count(),
                    "epcis_count": EPCI.objects.actuels().in_departement(departement).count(),
                    "programme": _programme(Dossier.objects.filter(departement=departement)),
                },
            )
        case Role.REGION:
            return Panneau(
                "pvd/accueil/_region.html",
                habilitation,
                {
                    "departements": Departement.objects.actuels()
                    .filter(region=habilitation.region)
                    .annotate_counts(),
                    "programme": _programme(
                        Dossier.objects.filter(departement__region=habilitation.region)
                    ),
                },
            )
        case Role.COMMUNE:
            dossier = Dossier.objects.with_etape().get(pk=habilitation.commune_id)
            today = timezone.localdate()
            return Panneau(
                "pvd/accueil/_commune.html",
                habilitation,
                {"dossier": dossier, "statut_echeance": dossier.statut_echeance(today)},
            )
        case Role.EPCI:
            return Panneau(
                "pvd/accueil/_epci.html",
                habilitation,
                {"communes": Dossier.objects.filter(epci=habilitation.epci).actuels().with_etape()},
            )
        case _:
            return Panneau("pvd/accueil/_partenaire.html", habilitation)


def accueil(request):
    panneaux = [_panneau(habilitation) for habilitation in request.user.habilitations_list]
    return render(request, "pvd/accueil.html", {"panneaux": panneaux})


@login_not_required
@require_GET
def mentions_legales(request):
    return render(request, "pvd/mentions_legales.html")


@login_not_required
@require_GET
def accessibilite(request):
    return render(request, "pvd/accessibilite.html")


@login_not_required
@require_GET
def donnees_personnelles(request):
    return render(request, "pvd/donnees_personnelles.html")
