"""The Actions and Financements tabs of a commune's dossier: totals coherent with the lines
(a shared line counts whole for each commune), queries that do not grow with the rows."""

from decimal import Decimal

from django.db import connection
from django.db.models import Sum
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conventions.models import Dossier
from conventions.sections import registered
from financements import services
from financements.models import Financement
from financements.views.dossier import financements_context


def test_both_sections_are_registered_in_order():
    keys = [section.key for section in registered()]

    assert keys.index("actions") < keys.index("financements")


def _context(user, commune):
    request = RequestFactory().get("/")
    request.user = user
    return financements_context(request, Dossier.objects.get(pk=commune.pk))


def test_totals_are_those_of_the_communes_lines(pilier2, prefecture_58, monde):
    services.record_versement(
        by=prefecture_58,
        financement=pilier2.accorde,
        verse_le=pilier2.accorde.decide_le,
        montant=Decimal("60000"),
    )
    for commune in (monde.clamecy, monde.armes):
        context = _context(prefecture_58, commune)
        lines = Financement.objects.filter(communes=commune)
        granted = lines.filter(etat__in=["accorde", "verse"])

        assert set(context["lignes"]) == set(lines)
        assert context["totaux"] == {
            "demande": lines.aggregate(s=Sum("montant_demande"))["s"],
            "accorde": granted.aggregate(s=Sum("montant_accorde"))["s"] or 0,
            "verse": lines.aggregate(s=Sum("montant_verse"))["s"],
        }

    # The BdT line (40 000 €) counts whole for Clamecy and for Armes.
    assert _context(prefecture_58, monde.clamecy)["totaux"]["demande"] == Decimal("270000")
    assert _context(prefecture_58, monde.armes)["totaux"]["demande"] == Decimal("40000")
    assert _context(prefecture_58, monde.clamecy)["totaux"]["verse"] == Decimal("60000")


def test_the_dossier_page_shows_the_tabs(client, pilier2, commune_clamecy):
    client.force_login(commune_clamecy)

    html = client.get(reverse("conventions:dossier_detail", args=["58079"])).content.decode()

    assert 'id="onglet-actions"' in html
    assert 'id="onglet-financements"' in html
    assert "Rénovation des halles" in html
    assert "270\u00a0000\u00a0€" in html
    assert "compte en entier pour chacune" in html
    assert "France Services" in html
    # The commune declares its actions; it does not record financing lines.
    assert reverse("financements:action_create") + "?communes=58079" in html
    assert reverse("financements:financement_create") not in html


def test_dossier_queries_do_not_grow_with_lines_and_actions(client, pilier2, prefecture_58, monde):
    client.force_login(prefecture_58)
    url = reverse("conventions:dossier_detail", args=["58079"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for i in range(20):
        services.create_financement(
            by=prefecture_58,
            communes=[monde.clamecy, monde.armes],
            objet=f"Ligne {i}",
            annee=2023,
            montant_demande=Decimal("1000"),
            source=pilier2.detr,
            action=pilier2.action,
        )
        services.create_action(
            by=prefecture_58,
            communes=[monde.clamecy],
            titre=f"Action {i}",
            orientation=pilier2.action.orientation,
            type="tiers_lieu",
            etat="envisagee",
        )
        services.create_label(
            by=prefecture_58, commune=monde.clamecy, type="micro_folie", debut=pilier2.label.debut
        )

    assert count() == few
