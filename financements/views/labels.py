"""Thematic labels of the communes (France Services, Micro-Folies…): list, record, end."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from communes.enums import Role
from financements import services
from financements.filters import LabelFilter
from financements.forms import FinLabelForm, LabelForm
from financements.models import Label
from financements.permissions import can_manage_labels
from financements.views._common import LABELS, PAR_PAGE
from pvd.exceptions import DomainError, NotAllowed
from pvd.forms import submit
from pvd.navigation import fil_ariane

NOT_ALLOWED = "Les labels sont enregistrés par l’ANCT et la préfecture."


def _records_labels(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ANCT, Role.PREFECTURE)


def label_list(request):
    filtre = LabelFilter(
        request.GET or None,
        queryset=Label.objects.for_user(request.user).select_related("commune__departement"),
    )
    page = Paginator(filtre.qs.order_by("commune__nom", "type", "debut"), PAR_PAGE).get_page(
        request.GET.get("page")
    )
    manager = _records_labels(request.user)
    for label in page:
        label.can_end = (
            manager and not label.fin and can_manage_labels(request.user, [label.commune])
        )
    return render(
        request,
        "financements/label_list.html",
        {
            "filtre": filtre,
            "labels": page,
            "can_create": manager,
            "fin_form": FinLabelForm(),
            "breadcrumb_data": fil_ariane("Labels"),
        },
    )


def label_create(request):
    if not _records_labels(request.user):
        raise PermissionDenied(NOT_ALLOWED)
    form = LabelForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        label = submit(form, services.create_label, by=request.user, **form.cleaned_data)
        if label:
            messages.success(request, f"Label « {label} » enregistré.")
            return redirect("financements:label_list")
    return render(
        request,
        "financements/form.html",
        {
            "form": form,
            "titre": "Enregistrer un label",
            "breadcrumb_data": fil_ariane("Nouveau label", LABELS),
        },
    )


@require_POST
def label_end(request, pk: int):
    label = get_object_or_404(
        Label.objects.for_user(request.user).select_related("commune__departement"), pk=pk
    )
    if not can_manage_labels(request.user, [label.commune]):
        raise PermissionDenied(NOT_ALLOWED)
    form = FinLabelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la date de fin du label.")
        return redirect("financements:label_list")
    try:
        services.end_label(by=request.user, label=label, fin=form.cleaned_data["fin"])
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Label « {label} » terminé le {label.fin:%d/%m/%Y}.")
    return redirect("financements:label_list")
