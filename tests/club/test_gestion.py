"""The Club team's follow-up of an event: the registrations page (scope, counts, attendance
typed at once), the CSV export, the import of attendance (all or nothing), the audience."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from club import services
from club.enums import Canal, EtatInscription, OrigineParticipant, SourceInscription
from club.models import ImportPresences, Inscription, MesureAudience, Participant
from tests.club.conftest import paris

# Fixtures -------------------------------------------------------------------------------------


def _participant(email, commune=None, **fields) -> Participant:
    return Participant.objects.create(
        email=email, commune=commune, origine=OrigineParticipant.COLLEGUE, **fields
    )


def _inscrire(evenement, participant, etat=EtatInscription.INSCRIT, **fields) -> Inscription:
    """A registration written directly: the services refuse a registration to an event that
    has begun, and the past webinar is the one whose attendance can be recorded."""
    return Inscription.objects.create(
        evenement=evenement,
        participant=participant,
        etat=etat,
        source=SourceInscription.PERSONNE,
        **fields,
    )


@pytest.fixture
def inscrits(webinaire_passe, monde, anct):
    """Three registrations to the past webinar: Clamecy (registered by the ANCT), Privas,
    and a cancelled one."""
    return {
        "clamecy": _inscrire(
            webinaire_passe,
            _participant("secretariat@clamecy.fr", monde.clamecy, prenom="Anne", nom="Roy"),
            inscrit_par=anct,
        ),
        "privas": _inscrire(
            webinaire_passe, _participant("dgs@privas.fr", monde.privas, nom="Vidal")
        ),
        "annulee": _inscrire(
            webinaire_passe,
            _participant("parti@example.org", nom="Parti"),
            etat=EtatInscription.ANNULEE,
        ),
    }


@pytest.fixture
def evenement_local(anct, thematiques, monde):
    """A visit in the Nièvre (local event of its préfecture), held in 2021."""
    evenement = services.create_evenement(
        by=anct,
        type="visite",
        titre="Visite du centre-bourg de Clamecy",
        thematique=thematiques["revitalisation-commerciale"],
        debut=paris(2021, 11, 4, 14, 0),
        fin=paris(2021, 11, 4, 17, 0),
        lieu="Mairie de Clamecy",
        commune=monde.clamecy,
        departement=monde.nievre,
    )
    return services.publier_evenement(evenement=evenement, by=anct)


@pytest.fixture
def brouillon(anct, thematiques):
    return services.create_evenement(
        by=anct,
        type="webinaire",
        titre="Webinaire en préparation",
        thematique=thematiques["transition-ecologique"],
        debut=paris(2021, 12, 1, 10, 0),
        fin=paris(2021, 12, 1, 11, 0),
        lien="https://webinaire.example.org/brouillon",
    )


def _url(name, evenement, query=""):
    return reverse(f"club:{name}", args=[evenement.pk]) + query


# The registrations page -------------------------------------------------------------------


def test_commune_user_gets_403_on_the_registrations_of_a_published_event(
    client, commune_clamecy, webinaire_passe
):
    client.force_login(commune_clamecy)

    assert client.get(_url("evenement_inscriptions", webinaire_passe)).status_code == 403
    assert client.get(_url("evenement_inscriptions_csv", webinaire_passe)).status_code == 403


def test_commune_user_gets_404_on_a_draft_they_cannot_see(client, commune_clamecy, brouillon):
    client.force_login(commune_clamecy)

    assert client.get(_url("evenement_inscriptions", brouillon)).status_code == 404
    assert client.get(_url("evenement_inscriptions_csv", brouillon)).status_code == 404


def test_anct_sees_every_registration_and_the_counts(client, anct, inscrits, webinaire_passe):
    inscrits["clamecy"].present = True
    inscrits["clamecy"].save()
    client.force_login(anct)

    response = client.get(_url("evenement_inscriptions", webinaire_passe))

    assert response.status_code == 200
    assert [i for i, _ in response.context["lignes"]] == [
        inscrits["annulee"],
        inscrits["clamecy"],
        inscrits["privas"],
    ]
    assert response.context["compteurs"] == {
        "inscrits": 2,
        "attente": 0,
        "annulees": 1,
        "presents": 1,
        "absents": 0,
    }
    html = response.content.decode()
    assert "secretariat@clamecy.fr" in html
    assert "Enregistrer les présences" in html


def test_the_state_filter_keeps_the_chosen_registrations(client, anct, inscrits, webinaire_passe):
    client.force_login(anct)

    response = client.get(_url("evenement_inscriptions", webinaire_passe, "?etat=annulee"))

    assert [i for i, _ in response.context["lignes"]] == [inscrits["annulee"]]


def test_prefecture_sees_the_registrations_of_a_local_event_of_its_departement(
    client, prefecture_58, prefecture_07, evenement_local, monde
):
    inscription = _inscrire(evenement_local, _participant("elu@privas.fr", monde.privas))

    client.force_login(prefecture_58)
    response = client.get(_url("evenement_inscriptions", evenement_local))

    assert response.status_code == 200
    # Someone from the Ardèche, but registered to the Nièvre's event.
    assert [i for i, _ in response.context["lignes"]] == [inscription]
    # Reading is not recording: attendance belongs to the Club team.
    assert response.context["presences"] is None

    client.force_login(prefecture_07)
    assert client.get(_url("evenement_inscriptions", evenement_local)).status_code == 403


def test_prefecture_cannot_record_attendance(client, prefecture_58, evenement_local, monde):
    inscription = _inscrire(evenement_local, _participant("elu@clamecy.fr", monde.clamecy))
    client.force_login(prefecture_58)

    response = client.post(
        _url("evenement_inscriptions", evenement_local), {f"presence_{inscription.pk}": "present"}
    )

    assert response.status_code == 403
    inscription.refresh_from_db()
    assert inscription.present is None


def test_attendance_form_saves_every_row_at_once(client, anct, inscrits, webinaire_passe):
    client.force_login(anct)
    url = _url("evenement_inscriptions", webinaire_passe)

    response = client.post(
        url,
        {
            f"presence_{inscrits['clamecy'].pk}": "present",
            f"presence_{inscrits['privas'].pk}": "absent",
            f"presence_{inscrits['annulee'].pk}": "",
        },
        follow=True,
    )

    assert response.redirect_chain == [(url, 302)]
    for inscription in inscrits.values():
        inscription.refresh_from_db()
    assert (inscrits["clamecy"].present, inscrits["privas"].present) == (True, False)
    assert inscrits["annulee"].present is None
    assert inscrits["clamecy"].presence_saisie_par == anct
    assert "2 présences enregistrées." in [str(m) for m in response.context["messages"]]


def test_attendance_missing_from_the_post_is_kept(client, anct, inscrits, webinaire_passe):
    """A registration shown after the page was opened is not reset to « non renseigné »."""
    inscrits["privas"].present = False
    inscrits["privas"].save()
    client.force_login(anct)

    client.post(
        _url("evenement_inscriptions", webinaire_passe),
        {f"presence_{inscrits['clamecy'].pk}": "present"},
    )

    inscrits["privas"].refresh_from_db()
    assert inscrits["privas"].present is False


def test_attendance_is_not_offered_before_the_event(client, anct, webinaire, monde):
    _inscrire(webinaire, _participant("elu@clamecy.fr", monde.clamecy))
    client.force_login(anct)

    response = client.get(_url("evenement_inscriptions", webinaire))

    assert response.status_code == 200
    assert response.context["presences"] is None
    assert "une fois qu’il a commencé" in response.content.decode()


def _add_inscriptions(evenement, n, monde, anct, start=0):
    organisation = monde.banque_des_territoires
    for i in range(start, start + n):
        _inscrire(
            evenement,
            _participant(
                f"personne{i}@example.org",
                monde.clamecy if i % 2 else monde.privas,
                nom=f"Nom {i}",
                organisation=organisation if i % 3 == 0 else None,
            ),
            inscrit_par=anct,
            present=[True, False, None][i % 3],
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_registrations_page_costs_the_same_with_2_or_20_rows(
    client, anct, webinaire_passe, monde
):
    client.force_login(anct)
    page = _url("evenement_inscriptions", webinaire_passe)
    export = _url("evenement_inscriptions_csv", webinaire_passe)
    _add_inscriptions(webinaire_passe, 2, monde, anct)
    two = (_count(client, page), _count(client, export))

    _add_inscriptions(webinaire_passe, 18, monde, anct, start=2)

    assert (_count(client, page), _count(client, export)) == two


# CSV export -----------------------------------------------------------------------------------


def test_csv_export_opens_in_french_excel_and_neutralises_formulas(
    client, anct, inscrits, webinaire_passe, webinaire, monde
):
    _inscrire(
        webinaire_passe,
        _participant("formule@example.org", prenom="+33 6 12", nom="=HYPERLINK(1)"),
        present=True,
    )
    _inscrire(webinaire, _participant("autre@example.org", nom="Ailleurs"))
    client.force_login(anct)

    response = client.get(_url("evenement_inscriptions_csv", webinaire_passe))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="evenement-{webinaire_passe.pk}-inscriptions.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Nom;Prénom;Adresse électronique;Commune;Code INSEE;Organisation;État;Source;"
        "Demandée le;Présent"
    )
    rows = {line.split(";")[2]: line.split(";") for line in lines[1:]}
    # Only this event's registrations.
    assert set(rows) == {
        "secretariat@clamecy.fr",
        "dgs@privas.fr",
        "parti@example.org",
        "formule@example.org",
    }
    assert rows["formule@example.org"][:2] == ["'=HYPERLINK(1)", "'+33 6 12"]
    assert rows["formule@example.org"][9] == "oui"
    assert rows["secretariat@clamecy.fr"][:7] == [
        "Roy",
        "Anne",
        "secretariat@clamecy.fr",
        "Clamecy",
        "58079",
        "",
        "Inscrit",
    ]
    assert rows["parti@example.org"][6] == "Annulée"


def test_csv_export_of_the_prefecture_follows_its_scope(
    client, prefecture_58, evenement_local, monde
):
    _inscrire(evenement_local, _participant("elu@clamecy.fr", monde.clamecy))
    client.force_login(prefecture_58)

    response = client.get(_url("evenement_inscriptions_csv", evenement_local))

    assert response.status_code == 200
    assert "elu@clamecy.fr" in response.content.decode("utf-8-sig")


# Import of attendance -------------------------------------------------------------------------


def _upload(text: str, name="participants.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _import(client, evenement, text, **data):
    return client.post(
        _url("import_presences", evenement), {"fichier": _upload(text), **data}, follow=True
    )


FICHIER_AVEC_ERREURS = """E-mail;Prénom;Nom;Commune;Code INSEE
camille.martin@gmail.com;Camille;Martin;Clamecy;
pas-une-adresse;Paul;Durand;;
;Léa;Petit;;
jean@example.org;Jean;Inconnu;Trifouilly-les-Oies;
paul.durand@gmail.com;Paul;Durand;;99999
"""

FICHIER = """E-mail;Prénom;Nom;Commune;Code INSEE
camille.martin@gmail.com;Camille;Martin;Clamecy;
paul.durand@gmail.com;Paul;Durand;;58079
lea.petit@clamecy.fr;Léa;Petit;;
jean@example.org;Jean;Inconnu;;
secretariat@clamecy.fr;Anne;Roy;;
Camille.Martin@gmail.com;Camille;Martin;Clamecy;
"""


def test_import_with_bad_rows_reports_each_and_writes_nothing(
    client, anct, inscrits, webinaire_passe
):
    client.force_login(anct)
    participants, inscriptions = Participant.objects.count(), Inscription.objects.count()

    response = _import(client, webinaire_passe, FICHIER_AVEC_ERREURS)

    assert response.status_code == 400
    erreurs = response.context["erreurs"]
    assert [(e.ligne, e.colonne) for e in erreurs] == [
        (3, "E-mail"),
        (4, "E-mail"),
        (5, "Commune"),
        (6, "Code INSEE"),
    ]
    assert erreurs[0].raison == "ce n’est pas une adresse électronique"
    assert erreurs[1].raison == "l’adresse est vide"
    assert erreurs[2].raison == "aucune commune ne porte ce nom"
    html = response.content.decode()
    assert "4 lignes à corriger : rien n’a été importé." in html
    assert "« Trifouilly-les-Oies »" in html
    assert "Aucune commune n’a ce code INSEE" in html
    assert Participant.objects.count() == participants
    assert Inscription.objects.count() == inscriptions
    assert not ImportPresences.objects.exists()


def test_import_with_three_bad_rows_lists_the_three(client, anct, webinaire_passe):
    client.force_login(anct)
    texte = "\n".join(FICHIER_AVEC_ERREURS.splitlines()[:5]) + "\nlea@example.org;Léa;;;\n"

    response = _import(client, webinaire_passe, texte)

    assert [e.ligne for e in response.context["erreurs"]] == [3, 4, 5]
    assert "3 lignes à corriger : rien n’a été importé." in response.content.decode()
    assert not Participant.objects.exists()
    assert not Inscription.objects.exists()
    assert not ImportPresences.objects.exists()


def test_import_marks_present_and_creates_guests_with_their_commune(
    client, anct, inscrits, webinaire_passe, monde
):
    client.force_login(anct)

    response = _import(client, webinaire_passe, FICHIER, marquer_absents="on")

    assert response.redirect_chain == [(_url("evenement_inscriptions", webinaire_passe), 302)]
    [message] = [str(m) for m in response.context["messages"]]
    assert message == (
        "Import de « participants.csv » : 5 présents, 4 nouvelles inscriptions, "
        "4 invités créés, 1 doublon regroupé, 1 absent marqué."
    )
    guests = {p.email: p for p in Participant.objects.filter(origine=OrigineParticipant.IMPORT)}
    assert set(guests) == {
        "camille.martin@gmail.com",
        "paul.durand@gmail.com",
        "lea.petit@clamecy.fr",
        "jean@example.org",
    }
    # By the « Commune » column, the « Code INSEE » one, the e-mail's domain, or unknown.
    assert guests["camille.martin@gmail.com"].commune == monde.clamecy
    assert guests["paul.durand@gmail.com"].commune == monde.clamecy
    assert guests["lea.petit@clamecy.fr"].commune == monde.clamecy
    assert guests["jean@example.org"].commune is None
    assert (guests["paul.durand@gmail.com"].prenom, guests["paul.durand@gmail.com"].nom) == (
        "Paul",
        "Durand",
    )
    inscriptions = {
        i.participant.email: i for i in webinaire_passe.inscriptions.select_related("participant")
    }
    assert {email for email, i in inscriptions.items() if i.present} == {
        *guests,
        "secretariat@clamecy.fr",
    }
    assert inscriptions["dgs@privas.fr"].present is False  # registered, not in the file
    assert inscriptions["parti@example.org"].present is None  # cancelled: not marked absent
    assert inscriptions["jean@example.org"].source == SourceInscription.IMPORT
    trace = ImportPresences.objects.get()
    assert (trace.fichier, trace.lignes, trace.presents, trace.invites_crees) == (
        "participants.csv",
        6,
        5,
        4,
    )
    # Each registration written or marked has its history row: who, why, the channel.
    for email in (*guests, "secretariat@clamecy.fr", "dgs@privas.fr"):
        record = inscriptions[email].history.latest("history_date")
        assert (record.history_user, record.history_channel) == (anct, "import")
        assert record.history_change_reason == "Import du fichier participants.csv"


def test_importing_the_same_file_twice_creates_no_duplicate(
    client, anct, inscrits, webinaire_passe
):
    client.force_login(anct)
    _import(client, webinaire_passe, FICHIER)
    participants, inscriptions = Participant.objects.count(), Inscription.objects.count()

    response = _import(client, webinaire_passe, FICHIER)

    assert response.status_code == 200
    assert (Participant.objects.count(), Inscription.objects.count()) == (
        participants,
        inscriptions,
    )
    [message] = [str(m) for m in response.context["messages"]]
    assert "0 nouvelle inscription, 0 invité créé" in message


def test_an_unreadable_file_says_why(client, anct, webinaire_passe):
    client.force_login(anct)

    response = _import(client, webinaire_passe, "Nom;Prénom\nRoy;Anne\n")

    assert response.status_code == 400
    assert "Aucune colonne d’adresse électronique" in response.content.decode()
    assert response.context["erreurs"] is None


def test_import_is_refused_before_the_event(client, anct, webinaire):
    client.force_login(anct)

    assert client.get(_url("import_presences", webinaire)).context["can_record"] is False
    response = _import(client, webinaire, FICHIER)

    assert response.status_code == 400
    assert not Participant.objects.exists()


@pytest.mark.parametrize("persona", ["prefecture_58", "commune_clamecy", "partenaire"])
def test_only_the_club_team_imports(as_persona, persona, evenement_local):
    client = as_persona(persona)

    assert client.get(_url("import_presences", evenement_local)).status_code == 403
    assert _import(client, evenement_local, FICHIER).status_code == 403
    assert not ImportPresences.objects.exists()


def test_the_import_page_explains_the_format_and_links_the_template(client, anct, webinaire_passe):
    client.force_login(anct)

    html = client.get(_url("import_presences", webinaire_passe)).content.decode()

    assert reverse("club:import_presences_modele") in html
    assert "Marquer absents les inscrits absents du fichier" in html
    assert "Zoom" in html
    assert "Code INSEE" in html


def test_the_template_is_a_french_csv(client, anct, commune_clamecy):
    client.force_login(anct)

    response = client.get(reverse("club:import_presences_modele"))

    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "E-mail;Prénom;Nom;Commune;Code INSEE"
    assert len(lines) == 2
    assert "attachment" in response["Content-Disposition"]

    client.force_login(commune_clamecy)
    assert client.get(reverse("club:import_presences_modele")).status_code == 403


def test_the_template_imports_as_is(client, anct, webinaire_passe, monde):
    """The example row of the template is a valid file."""
    client.force_login(anct)
    modele = client.get(reverse("club:import_presences_modele")).content

    response = client.post(
        _url("import_presences", webinaire_passe),
        {"fichier": SimpleUploadedFile("modele.csv", modele, content_type="text/csv")},
    )

    assert response.status_code == 302
    assert Participant.objects.get().commune == monde.clamecy


# Audience -------------------------------------------------------------------------------------


def test_anct_records_an_audience_figure(client, anct):
    client.force_login(anct)

    response = client.post(
        reverse("club:audience"),
        {"canal": Canal.LINKEDIN, "date": "2022-03-01", "valeur": "12 500"},
        follow=True,
    )

    mesure = MesureAudience.objects.get()
    assert (mesure.canal, mesure.date, mesure.valeur, mesure.saisi_par) == (
        Canal.LINKEDIN,
        date(2022, 3, 1),
        12500,
        anct,
    )
    html = response.content.decode()
    assert "12\u00a0500" in html
    assert "1 mars 2022" in html


def test_a_future_audience_figure_is_refused(client, anct):
    client.force_login(anct)

    response = client.post(
        reverse("club:audience"),
        {"canal": Canal.INFOLETTRE, "date": "2999-01-01", "valeur": "10"},
    )

    assert response.status_code == 400
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert not MesureAudience.objects.exists()


@pytest.mark.parametrize("persona", ["prefecture_58", "commune_clamecy", "partenaire"])
def test_others_read_the_audience_but_cannot_record(as_persona, persona, anct):
    services.record_audience(by=anct, canal=Canal.INFOLETTRE, date=date(2022, 3, 1), valeur=4321)
    client = as_persona(persona)

    response = client.get(reverse("club:audience"))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "4\u00a0321" in response.content.decode()

    response = client.post(
        reverse("club:audience"),
        {"canal": Canal.LINKEDIN, "date": "2022-03-01", "valeur": "1"},
    )
    assert response.status_code == 403
    assert MesureAudience.objects.count() == 1


def test_anonymous_is_sent_to_the_login_page(client, monde):
    response = client.get(reverse("club:audience"))

    assert response.status_code == 302
    assert reverse("connexion") in response["Location"]
