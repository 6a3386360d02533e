"""The besoins a commune expressed, declared through its dossier."""

from django.urls import reverse

from ingenierie.models import BesoinsExprimes

URL = reverse("ingenierie:besoins", args=["58079"])


def test_the_commune_declares_its_besoins(client, commune_clamecy, adhesion_signee):
    client.force_login(commune_clamecy)

    response = client.post(
        URL, {"chef_de_projet": "on", "etudes": "on", "precisions": "Une étude de l’îlot"}
    )

    besoins = BesoinsExprimes.objects.get(commune="58079")
    assert response.status_code == 302
    assert response["Location"] == reverse("conventions:dossier_detail", args=["58079"])
    assert (besoins.chef_de_projet, besoins.etudes, besoins.investissements) == (
        True,
        True,
        False,
    )
    assert besoins.adhesion == adhesion_signee


def test_a_second_declaration_corrects_the_first(client, commune_clamecy, adhesion_signee):
    client.force_login(commune_clamecy)
    client.post(URL, {"chef_de_projet": "on"})

    form = client.get(URL).context["form"]
    client.post(URL, {"investissements": "on"})

    assert form.initial["chef_de_projet"] is True
    besoins = BesoinsExprimes.objects.get()
    assert (besoins.chef_de_projet, besoins.investissements) == (False, True)
    assert besoins.history.count() == 2


def test_a_partner_reads_but_does_not_declare(client, partenaire, adhesion_signee):
    client.force_login(partenaire)

    assert client.post(URL, {"chef_de_projet": "on"}).status_code == 403
    assert not BesoinsExprimes.objects.exists()


def test_another_commune_is_404(client, commune_clamecy, adhesion_signee):
    client.force_login(commune_clamecy)

    assert client.get(reverse("ingenierie:besoins", args=["58013"])).status_code == 404
