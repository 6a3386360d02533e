"""Pages of the `communes` app: the public territory browser, invitations, and the personal API
tokens of « Mes jetons d'API ».

Territories are public reference data (the official COG): their pages are open to everyone and
read the tables directly. What is not public about a territory (its dossier) is shown by the
apps that own it, through their `for_user` querysets.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from communes import services
from communes.enums import DESCRIPTION_DES_ROLES, Role
from communes.forms import InvitationForm, JetonForm, NouveauMotDePasseForm, TerritoireSearchForm
from communes.models import EPCI, Commune, Departement, Invitation, JetonAPI, Region
from communes.permissions import can_resend_invitation, invitable_roles
from pvd.exceptions import DomainError, NotAllowed
from pvd.forms import submit
from pvd.navigation import fil_ariane
from pvd.text import normalize_query, normalize_search

COMMUNES_PAR_PAGE = 100
RESULTATS_MAX = 20


TERRITOIRES = ("Territoires", reverse_lazy("communes:territoires"))
INVITATIONS = ("Invitations", reverse_lazy("communes:invitation_list"))


@login_not_required
@require_GET
def territoires(request):
    form = TerritoireSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    context = {"form": form, "query": query, "breadcrumb_data": fil_ariane("Territoires")}
    if query:
        communes = Commune.objects.search(query)
        epcis = EPCI.objects.search(query)
        words, code = normalize_query(query), query.replace(" ", "").upper()
        context.update(
            communes=communes.select_related(
                "departement", "collectivite_outre_mer", "epci"
            ).prefetch_related("codes_postaux")[:RESULTATS_MAX],
            communes_count=communes.count(),
            epcis=epcis[:RESULTATS_MAX],
            epcis_count=epcis.count(),
            departements=[
                departement
                for departement in Departement.objects.select_related("region")
                if departement.code == code
                or (words and words in normalize_search(departement.nom))
            ],
            resultats_max=RESULTATS_MAX,
        )
    else:
        context["regions"] = Region.objects.actuels().prefetch_related("departements")
    if request.htmx:
        return render(request, "communes/_territoires_resultats.html", context)
    return render(request, "communes/territoires.html", context)


@login_not_required
@require_GET
def region_detail(request, code: str):
    region = get_object_or_404(Region, code=code)
    departements = region.departements.all().annotate_counts()
    return render(
        request,
        "communes/region_detail.html",
        {
            "region": region,
            "departements": departements,
            "breadcrumb_data": fil_ariane(region.nom, TERRITOIRES),
        },
    )


@login_not_required
@require_GET
def departement_detail(request, code: str):
    departement = get_object_or_404(Departement.objects.select_related("region"), code=code)
    epcis = (
        EPCI.objects.actuels()
        .in_departement(departement)
        .annotate(
            communes_count=Count(
                "communes",
                filter=Q(communes__departement=departement, communes__obsolete=False),
            )
        )
    )
    communes = Paginator(
        departement.communes.actuels().select_related("epci").prefetch_related("codes_postaux"),
        COMMUNES_PAR_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "communes/departement_detail.html",
        {
            "departement": departement,
            "epcis": epcis,
            "communes": communes,
            "breadcrumb_data": fil_ariane(
                departement.nom,
                TERRITOIRES,
                (departement.region.nom, departement.region.get_absolute_url()),
            ),
        },
    )


@login_not_required
@require_GET
def epci_detail(request, siren: str):
    epci = get_object_or_404(EPCI, siren=siren)
    communes = list(
        epci.communes.actuels()
        .select_related("departement__region")
        .prefetch_related("codes_postaux")
    )
    departements = sorted({c.departement for c in communes if c.departement}, key=str)
    return render(
        request,
        "communes/epci_detail.html",
        {
            "epci": epci,
            "communes": communes,
            "departements": departements,
            "breadcrumb_data": fil_ariane(
                epci.nom,
                TERRITOIRES,
                *((d.nom, d.get_absolute_url()) for d in departements[:1]),
            ),
        },
    )


@login_not_required
@require_GET
def commune_detail(request, code: str):
    commune = get_object_or_404(
        Commune.objects.select_related(
            "departement__region", "collectivite_outre_mer", "epci"
        ).prefetch_related("codes_postaux"),
        code=code,
    )
    links = [TERRITOIRES]
    if commune.departement:
        region = commune.departement.region
        links += [
            (region.nom, region.get_absolute_url()),
            (commune.departement.nom, commune.departement.get_absolute_url()),
        ]
    return render(
        request,
        "communes/commune_detail.html",
        {"commune": commune, "breadcrumb_data": fil_ariane(commune.nom, *links)},
    )


# Invitations ----------------------------------------------------------------------------------


def invitation_list(request):
    invitations = Paginator(
        Invitation.objects.for_user(request.user).select_related(
            "habilitation__user",
            "habilitation__region",
            "habilitation__departement",
            "habilitation__epci",
            "habilitation__commune",
            "habilitation__organisation",
            "invited_by",
        ),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "communes/invitation_list.html",
        {
            "invitations": invitations,
            "roles": invitable_roles(request.user),
            "breadcrumb_data": fil_ariane("Invitations"),
        },
    )


def _scoped_invitation(request, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.for_user(request.user).select_related(
            "habilitation__user", "invited_by"
        ),
        pk=pk,
    )


def invitation_detail(request, pk: int):
    invitation = _scoped_invitation(request, pk)
    return render(
        request,
        "communes/invitation_detail.html",
        {
            "invitation": invitation,
            "can_resend": can_resend_invitation(request.user, invitation),
            "breadcrumb_data": fil_ariane(invitation.user.email, INVITATIONS),
        },
    )


@require_POST
def invitation_resend(request, pk: int):
    invitation = _scoped_invitation(request, pk)
    try:
        services.resend_invitation(invitation=invitation, by=request.user)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, f"Invitation renvoyée à {invitation.user.email}.")
    return redirect(invitation)


def invitation_roles(request):
    roles = invitable_roles(request.user)
    if not roles:
        raise PermissionDenied("Votre rôle ne permet pas d’inviter des utilisateurs.")
    return render(
        request,
        "communes/invitation_roles.html",
        {
            "roles": [(role, DESCRIPTION_DES_ROLES[role]) for role in roles],
            "breadcrumb_data": fil_ariane("Nouvelle invitation", INVITATIONS),
        },
    )


def invitation_create(request, role: str):
    if role not in Role.values:
        raise Http404
    role = Role(role)
    if role not in invitable_roles(request.user):
        raise PermissionDenied("Votre rôle ne permet pas d’inviter ce type d’utilisateur.")
    form = InvitationForm(request.POST or None, user=request.user, role=role)
    if request.method == "POST" and form.is_valid():
        invitation = submit(
            form, services.invite_user, by=request.user, role=role, **form.cleaned_data
        )
        if invitation:
            messages.success(
                request,
                f"Invitation envoyée à {invitation.user.email} ({invitation.habilitation}).",
            )
            return redirect("communes:invitation_list")
    return render(
        request,
        "communes/invitation_form.html",
        {
            "form": form,
            "role": role,
            "breadcrumb_data": fil_ariane(
                role.label,
                INVITATIONS,
                ("Nouvelle invitation", reverse("communes:invitation_roles")),
            ),
        },
    )


@login_not_required
def invitation_accept(request, token: str):
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "communes/invitation_invalide.html", status=404)
    user = invitation.user
    if invitation.accepted_at is not None or user.has_usable_password():
        messages.info(request, "Cette invitation a déjà été utilisée : connectez-vous.")
        return redirect("connexion")
    form = NouveauMotDePasseForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except DomainError as error:
            messages.info(request, str(error))
            return redirect("connexion")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Votre compte est activé. Bienvenue sur le portail.")
        return redirect("accueil")
    return render(
        request, "communes/invitation_accept.html", {"form": form, "invitation": invitation}
    )


# Personal API tokens (« Mes jetons d'API ») -----------------------------------------------


def _jeton_page(request, form: JetonForm, *, nouveau=None, cle: str = "", status: int = 200):
    jetons = JetonAPI.objects.for_user(request.user).select_related("token")
    return render(
        request,
        "communes/jeton_list.html",
        {
            "jetons": jetons,
            "form": form,
            "nouveau": nouveau,
            "cle": cle,
            "breadcrumb_data": fil_ariane("Mes jetons d’API"),
        },
        status=status,
    )


@require_GET
def jeton_list(request):
    return _jeton_page(request, JetonForm())


# The answer that shows a new token is the only place where it is ever readable: no redirect
# (a message would carry it into the session), and no cache.
@never_cache
@require_POST
def jeton_create(request):
    form = JetonForm(request.POST)
    if form.is_valid():
        created = submit(
            form,
            services.create_token,
            by=request.user,
            libelle=form.cleaned_data["libelle"],
            duree=form.cleaned_data["duree"],
        )
        if created:
            jeton, cle = created
            return _jeton_page(request, JetonForm(), nouveau=jeton, cle=cle)
    return _jeton_page(request, form)


@require_POST
def jeton_revoke(request, pk: int):
    jeton = get_object_or_404(JetonAPI.objects.for_user(request.user), pk=pk)
    try:
        services.revoke_token(by=request.user, pk=jeton.pk)
    except DomainError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, f"Le jeton « {jeton.libelle} » est révoqué.")
    return redirect("communes:jeton_list")
