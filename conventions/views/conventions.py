"""Conventions d'adhésion, conventions-cadres valant ORT and their avenants: creation, edition
(refused when someone saved in between), signature with the signed PDF, download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from communes.models import Commune
from conventions.forms import (
    AvenantForm,
    ConventionAdhesionForm,
    ConventionCadreForm,
    SignatureForm,
)
from conventions.models import Avenant, ConventionAdhesion, ConventionCadre
from conventions.permissions import (
    can_add_avenant,
    can_edit_convention,
    can_manage_conventions,
    files_candidatures,
)
from conventions.services import conventions as services
from conventions.views._common import DOSSIERS
from pvd.documents import pdf_response
from pvd.exceptions import DomainError, NotAllowed
from pvd.forms import submit, submit_versioned
from pvd.historique import etapes, modifications
from pvd.navigation import fil_ariane

# The kinds of signed documents, as they appear in URLs.
KINDS = {"adhesion": ConventionAdhesion, "cadre": ConventionCadre, "avenant": Avenant}


def _scoped(request, kind: str, pk: int):
    if kind not in KINDS:
        raise Http404
    queryset = KINDS[kind].objects.for_user(request.user)
    if kind == "avenant":
        queryset = queryset.select_related("adhesion", "cadre")
    else:
        queryset = queryset.prefetch_related(
            "communes__departement",
            "communes__epci",
            Prefetch("avenants", queryset=Avenant.objects.order_by("numero")),
        )
    return get_object_or_404(queryset, pk=pk)


def _breadcrumb(obj) -> dict:
    commune = (obj.convention if isinstance(obj, Avenant) else obj).communes.first()
    links = [DOSSIERS]
    if commune is not None:
        links.append((commune.nom, reverse("conventions:dossier_detail", args=[commune.pk])))
    return fil_ariane(str(obj), *links)


def convention_detail(request, kind: str, pk: int):
    obj = _scoped(request, kind, pk)
    context = {
        "objet": obj,
        "kind": kind,
        "can_edit": can_edit_convention(request.user, obj),
        "can_add_avenant": kind != "avenant" and can_add_avenant(request.user, obj),
        "etapes": etapes(obj),
        "modifications": modifications(obj),
        "breadcrumb_data": _breadcrumb(obj),
    }
    if kind == "adhesion":
        context["epcis"] = sorted({c.epci for c in obj.communes.all() if c.epci}, key=str)
        context["cadres"] = obj.conventions_cadres.all()
        context["can_add_cadre"] = (
            obj.est_signee
            and can_manage_conventions(request.user, obj.communes.all())
            and not obj.conventions_cadres.exists()
        )
    if kind == "cadre":
        context["orientations"] = obj.orientations.all()
    return render(request, "conventions/convention_detail.html", context)


def adhesion_create(request):
    if not files_candidatures(request.user):
        raise PermissionDenied("Les conventions sont préparées par les préfectures.")
    codes = [code for code in request.GET.get("communes", "").split(",") if code]
    form = ConventionAdhesionForm(
        request.POST or None,
        user=request.user,
        initial={
            "communes": Commune.objects.filter(pk__in=codes),
            "presidence_comite": "maires_epci",
        },
    )
    if request.method == "POST" and form.is_valid():
        convention = submit(
            form, services.create_convention_adhesion, by=request.user, **form.cleaned_data
        )
        if convention:
            messages.success(request, f"{convention} créée : elle est en préparation.")
            return redirect(convention)
    return render(
        request,
        "conventions/convention_form.html",
        {
            "form": form,
            "titre": "Préparer une convention d’adhésion",
            "breadcrumb_data": fil_ariane("Nouvelle convention d’adhésion", DOSSIERS),
        },
    )


def cadre_create(request, pk: int):
    adhesion = _scoped(request, "adhesion", pk)
    if not can_manage_conventions(request.user, adhesion.communes.all()):
        raise PermissionDenied("Les conventions sont préparées par les préfectures.")
    form = ConventionCadreForm(request.POST or None, adhesion=adhesion)
    if request.method == "POST" and form.is_valid():
        cadre = submit(
            form,
            services.create_convention_cadre,
            by=request.user,
            adhesion=adhesion,
            **form.cleaned_data,
        )
        if cadre:
            messages.success(request, f"{cadre} créée : elle est en préparation.")
            return redirect(cadre)
    return render(
        request,
        "conventions/convention_form.html",
        {
            "form": form,
            "titre": f"Préparer la convention-cadre valant ORT qui complète la {adhesion}",
            "breadcrumb_data": fil_ariane("Nouvelle convention-cadre", DOSSIERS),
        },
    )


def convention_update(request, kind: str, pk: int):
    if kind == "avenant":
        raise Http404
    obj = _scoped(request, kind, pk)
    if not can_edit_convention(request.user, obj):
        raise PermissionDenied("Seule une convention en préparation se modifie, par sa préfecture.")
    if kind == "adhesion":
        form_class, extra = ConventionAdhesionForm, {"user": request.user, "convention": obj}
        initial = {
            "communes": obj.communes.all(),
            "partenaires": obj.partenaires.all(),
            "cosignataire_conseil_departemental": obj.cosignataire_conseil_departemental,
            "cosignataire_conseil_regional": obj.cosignataire_conseil_regional,
            "presidence_comite": obj.presidence_comite,
            "president_comite": obj.president_comite,
        }
    else:
        form_class, extra = ConventionCadreForm, {"adhesion": obj.adhesion, "cadre": obj}
        initial = {"communes": obj.communes.all(), "orientations": obj.orientations.all()}
    form = form_class(request.POST or None, initial={**initial, "version": obj.version}, **extra)
    conflit = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        update = (
            services.update_convention_adhesion
            if kind == "adhesion"
            else services.update_convention_cadre
        )
        target = {"convention": obj} if kind == "adhesion" else {"cadre": obj}
        saved, conflit = submit_versioned(
            form, obj, update, by=request.user, expected_version=version, **target, **data
        )
        if saved is not None:
            messages.success(request, f"{obj} enregistrée.")
            return redirect(obj)
    return render(
        request,
        "conventions/convention_form.html",
        {
            "form": form,
            "objet": obj,
            "conflit": conflit,
            "titre": f"Modifier la {obj}",
            "breadcrumb_data": _breadcrumb(obj),
        },
        status=409 if conflit else 200,
    )


def convention_sign(request, kind: str, pk: int):
    obj = _scoped(request, kind, pk)
    if not obj.est_signee and not can_edit_convention(request.user, obj):
        raise PermissionDenied("La signature est enregistrée par la préfecture.")
    if obj.est_signee:
        messages.info(request, f"{obj} est déjà signée.")
        return redirect(obj)
    form = SignatureForm(
        request.POST or None, request.FILES or None, initial={"version": obj.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_convention(
                convention=obj,
                by=request.user,
                signee_le=form.cleaned_data["signee_le"],
                document=form.cleaned_data["document"],
                expected_version=form.cleaned_data["version"],
            )
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except DomainError as error:
            # A second click on « Signer » ends here: the first one signed.
            messages.info(request, str(error))
            return redirect(obj)
        messages.success(request, f"{obj} signée.")
        return redirect(obj)
    return render(
        request,
        "conventions/convention_sign.html",
        {"form": form, "objet": obj, "breadcrumb_data": _breadcrumb(obj)},
    )


def avenant_create(request, kind: str, pk: int):
    if kind == "avenant":
        raise Http404
    convention = _scoped(request, kind, pk)
    if not can_add_avenant(request.user, convention):
        raise PermissionDenied("Un avenant s’ajoute à une convention signée, par sa préfecture.")
    form = AvenantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        avenant = submit(
            form,
            services.create_avenant,
            by=request.user,
            convention=convention,
            objet=form.cleaned_data["objet"],
        )
        if avenant:
            messages.success(request, f"{avenant} créé : il est en préparation.")
            return redirect(avenant)
    return render(
        request,
        "conventions/convention_form.html",
        {
            "form": form,
            "titre": f"Nouvel avenant à la {convention}",
            "breadcrumb_data": _breadcrumb(convention),
        },
    )


def convention_document(request, kind: str, pk: int):
    """The signed PDF, only inside the perimeter (outside: 404), always as an attachment."""
    obj = _scoped(request, kind, pk)
    if not obj.document:
        raise Http404
    return pdf_response(obj.document, f"{kind}-{obj.pk}-signee.pdf")
