"""The conseils départementaux and régionaux of the organisations' referential: one per
current territory, created once the territories are imported (`manage.py sync_collectivites`,
run by `prepare_demo`). Idempotent: existing rows are kept, new territories get theirs."""

from __future__ import annotations

from django.db import transaction

from communes.enums import CategorieOrganisation
from communes.models import Departement, Organisation, Region


def code_conseil_departemental(departement_code: str) -> str:
    return f"cd-{departement_code.lower()}"


def code_conseil_regional(region_code: str) -> str:
    return f"cr-{region_code}"


@transaction.atomic
def sync_collectivites() -> int:
    """Create the missing conseils; returns how many were created."""
    existing = set(Organisation.objects.filter(code__isnull=False).values_list("code", flat=True))
    new = [
        Organisation(
            code=code_conseil_departemental(departement.code),
            nom=f"Conseil départemental — {departement.nom} ({departement.code})",
            sigle=f"CD {departement.code}",
            categorie=CategorieOrganisation.COLLECTIVITE,
            departement=departement,
        )
        for departement in Departement.objects.actuels()
        if code_conseil_departemental(departement.code) not in existing
    ] + [
        Organisation(
            code=code_conseil_regional(region.code),
            nom=f"Conseil régional — {region.nom}",
            sigle=f"CR {region.code}",
            categorie=CategorieOrganisation.COLLECTIVITE,
            region=region,
        )
        for region in Region.objects.actuels()
        if code_conseil_regional(region.code) not in existing
    ]
    Organisation.objects.bulk_create(new)
    return len(new)
