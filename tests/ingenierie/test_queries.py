"""The lists and the dossier's Ingénierie tab cost the same number of queries with 1 row or 50."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ingenierie import services


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_postes(n, by, monde):
    for i in range(n):
        commune = monde.clamecy if i % 2 else monde.armes
        employeur = (
            {"employeur_commune": commune} if i % 2 else {"employeur_epci": monde.haut_nivernais}
        )
        poste = services.create_poste(
            by=by,
            communes=[commune],
            cout_annuel=Decimal("50000"),
            subvention_anct=Decimal("20000"),
            **employeur,
        )
        if i % 3 == 0:
            services.create_vta(
                by=by, poste=poste, titulaire_nom=f"VTA {i}", debut=date(2022, 1, 3)
            )


def _add_soutiens(n, by, monde, organisations):
    for i in range(n):
        cerema = i % 2 == 0
        services.create_soutien(
            by=by,
            organisation=organisations["cerema" if cerema else ["bdt", "anah", "anct"][i % 3]],
            communes=[monde.clamecy, monde.armes] if i % 5 == 0 else [monde.clamecy],
            nature="diagnostic" if cerema else "etude",
            objet=f"Soutien {i}",
            nombre_jours=Decimal("10") if cerema else None,
            montant_euros=None if cerema else Decimal("1000"),
        )


def test_the_post_list_costs_the_same_with_1_or_50_posts(
    client, prefecture_58, adhesion_signee, monde
):
    client.force_login(prefecture_58)
    url = reverse("ingenierie:poste_list")
    _add_postes(1, prefecture_58, monde)
    one = _count(client, url)

    _add_postes(49, prefecture_58, monde)

    assert _count(client, url) == one
    assert client.get(url).context["postes"].paginator.count == 50


def test_the_soutien_list_costs_the_same_with_1_or_50_soutiens(
    client, prefecture_58, adhesion_signee, monde, organisations
):
    client.force_login(prefecture_58)
    url = reverse("ingenierie:soutien_list")
    _add_soutiens(1, prefecture_58, monde, organisations)
    one = _count(client, url)

    _add_soutiens(49, prefecture_58, monde, organisations)

    assert _count(client, url) == one
    assert client.get(url).context["totaux"] == {
        "euros": Decimal("24000"),
        "jours": Decimal("260"),
    }


def test_the_dossiers_tab_costs_the_same_with_1_or_many_objects(
    client, prefecture_58, adhesion_signee, monde, organisations
):
    client.force_login(prefecture_58)
    url = reverse("conventions:dossier_detail", args=["58079"])
    _add_postes(2, prefecture_58, monde)
    _add_soutiens(1, prefecture_58, monde, organisations)
    few = _count(client, url)

    _add_postes(20, prefecture_58, monde)
    _add_soutiens(20, prefecture_58, monde, organisations)

    assert _count(client, url) == few
