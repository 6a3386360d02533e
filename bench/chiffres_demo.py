"""Prints the seed 001 figures as the generated data gives them (ORM queries).

DATABASE_URL=… .venv/bin/python bench/chiffres_demo.py
"""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.settings")
django.setup()

from django.db.models import Sum  # noqa: E402
from django.utils import timezone  # noqa: E402

from club.chiffres import chiffres_club  # noqa: E402
from communes.perimetre import Perimetre  # noqa: E402
from conventions.models import ConventionAdhesion, Dossier  # noqa: E402
from financements.enums import EQUIPEMENTS, TypeAction  # noqa: E402
from financements.models import Action, Financement, Label  # noqa: E402
from ingenierie.models import (  # noqa: E402
    BesoinsExprimes,
    PosteChefDeProjet,
    PosteVTA,
    SoutienIngenierie,
)
from pvd.demo.reference import DATE_NOTE  # noqa: E402
from pvd.text import euros, nombre  # noqa: E402


def pct(part: int, whole: int) -> str:
    return f"{nombre(round(100 * part / whole, 1))} %" if whole else "—"


pvd = Dossier.objects.pvd()
n_pvd = pvd.count()
signees = ConventionAdhesion.objects.signees().values("communes").distinct().count()
print(f"Communes PVD : {nombre(n_pvd)} ; avec une adhésion signée : {nombre(signees)}")

besoins = BesoinsExprimes.objects.all()
n = besoins.count()
for champ in ("chef_de_projet", "etudes", "investissements"):
    print(f"Besoins {champ} : {pct(besoins.filter(**{champ: True}).count(), n)} de {nombre(n)}")

postes = PosteChefDeProjet.objects
print(
    "Postes de chef de projet :",
    ", ".join(
        f"{etat} {nombre(postes.filter(etat=etat).count())}"
        for etat in ("occupe", "en_recrutement", "a_recruter", "vacant")
    ),
    f"; partagés : {nombre(sum(1 for p in postes.prefetch_related('communes') if len(p.communes.all()) > 1))}",  # noqa: E501
)
taux = [p.taux_subvention for p in postes.all()]
print(
    f"  taux de subvention max : {max(taux):.4f} ; avec part Anah : "
    f"{nombre(postes.filter(subvention_anah__gt=0).count())}"
)
print(f"VTA : {nombre(PosteVTA.objects.count())}")

soutiens = SoutienIngenierie.objects
print(
    f"Soutiens : {nombre(soutiens.values('communes').distinct().count())} communes, "
    f"{euros(soutiens.aggregate(s=Sum('montant_euros'))['s'] or 0)} hors Cerema"
)
for code in ("anah", "bdt", "cerema", "anct", "mte"):
    lignes = soutiens.filter(organisation__code=code)
    total = lignes.aggregate(e=Sum("montant_euros"), j=Sum("nombre_jours"))
    print(
        f"  {code} : {nombre(lignes.values('communes').distinct().count())} communes, "
        f"{euros(total['e']) if total['e'] else nombre(total['j'] or 0) + ' jours'}"
    )

actions = Action.objects


def communes_avec(*types) -> int:
    return actions.filter(type__in=types).values("communes").distinct().count()


print(
    "Actions : OPAH (simple ou RU) "
    f"{pct(communes_avec(TypeAction.OPAH, TypeAction.OPAH_RU), n_pvd)}, "
    f"OPAH-RU {pct(communes_avec(TypeAction.OPAH_RU), n_pvd)}, "
    f"tiers-lieu {pct(communes_avec(TypeAction.TIERS_LIEU), n_pvd)}, "
    + ", ".join(f"{t} {pct(communes_avec(t), n_pvd)}" for t in EQUIPEMENTS)
)

accordes = Financement.objects.accordes()
for code in ("detr", "dsil", "fnadt", "fonds-friches"):
    lignes = accordes.filter(source__code=code)
    print(
        f"{code} : {nombre(lignes.values('communes').distinct().count())} communes, "
        f"{euros(lignes.aggregate(s=Sum('montant_accorde'))['s'] or 0)}"
    )
commerce = accordes.filter(source__code__startswith="bdt-")
print(
    f"Commerce : {nombre(commerce.values('communes').distinct().count())} collectivités, "
    f"{euros(commerce.aggregate(s=Sum('montant_accorde'))['s'] or 0)}, managers "
    f"{nombre(commerce.filter(source__code='bdt-manager-commerce').count())}"
)
for jour in ("2020-12-31", "2021-06-30", "2021-12-31", "2022-12-31"):
    labels = Label.objects.actifs_le(jour)
    print(
        f"Labels au {jour} : France Services "
        f"{nombre(labels.filter(type='france_services').count())}, "
        f"conseillers numériques {nombre(labels.filter(type='conseiller_numerique').count())}"
    )


def club(perimetre: Perimetre, libelle: str, jour) -> None:
    c = chiffres_club(perimetre, jour)
    p, f, k, a = c["participants"], c["formations"], c["cercles"], c["audience"]
    print(
        f"Club, {libelle} au {jour:%d/%m/%Y} : {nombre(c['semaines_thematiques'])} semaines "
        f"thématiques, {nombre(c['webinaires'])} webinaires, "
        f"{nombre(c['communes_valorisees'])} PVD valorisées, {nombre(p['participations'])} "
        f"participations de {nombre(p['personnes'])} personnes ; formation : "
        f"{nombre(f['sessions'])} session, {nombre(f['modules'])} modules, "
        f"{nombre(f['participants'])} participants ; cercles : {nombre(k['cercles'])}, "
        f"{nombre(k['membres'])} membres ; LinkedIn {nombre(a['linkedin'] or 0)}, "
        f"infolettre {nombre(a['infolettre'] or 0)}"
    )


club(Perimetre(national=True), "France", DATE_NOTE)
club(Perimetre(regions=frozenset({"27"})), "région 27", DATE_NOTE)
club(Perimetre(departements=frozenset({"58"})), "Nièvre", DATE_NOTE)
club(Perimetre(national=True), "France", timezone.localdate())
