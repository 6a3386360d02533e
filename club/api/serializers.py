"""The Club's events and registrations as the API shows them: territories by their official
codes, thématiques by their code, the connection link only to those the HTML page gives it.

The event serializers expect the annotations of `club.api.views` (`nb_inscrits`, `mon_etat`)
and the prefetched `organisateurs` and `communes_valorisees`; the registration serializers
expect `select_related("evenement", "participant")` and the annotation `rang`.
"""

from rest_framework import serializers

from club.enums import EtatInscription
from club.models import Evenement, Inscription
from club.permissions import can_cancel_inscription, is_club_team


class EvenementSerializer(serializers.ModelSerializer):
    page = serializers.CharField(
        source="get_absolute_url", read_only=True, help_text="La page de l’événement."
    )
    thematique = serializers.CharField(
        source="thematique_id", read_only=True, help_text="Code de la thématique."
    )
    lien = serializers.SerializerMethodField(
        help_text="Lien de connexion : donné aux personnes inscrites et à l’équipe du Club "
        "(nul pour les autres, comme sur la page de l’événement)."
    )
    commune = serializers.CharField(
        source="commune_id",
        read_only=True,
        allow_null=True,
        help_text="Code INSEE de la commune d’accueil.",
    )
    departement = serializers.CharField(
        source="departement_id",
        read_only=True,
        allow_null=True,
        help_text="Code INSEE du département d’un événement local (proposé par sa préfecture).",
    )
    semaine = serializers.IntegerField(
        source="semaine_id",
        read_only=True,
        allow_null=True,
        help_text="Identifiant de la semaine thématique qui regroupe l’événement.",
    )
    cercle = serializers.IntegerField(
        source="cercle_id",
        read_only=True,
        allow_null=True,
        help_text="Identifiant du cercle thématique (réunion de cercle).",
    )
    inscrits = serializers.IntegerField(
        source="nb_inscrits", read_only=True, help_text="Places prises (hors liste d’attente)."
    )
    places_libres = serializers.SerializerMethodField(
        help_text="Places encore libres (nul : sans limite)."
    )
    accepte_inscriptions = serializers.BooleanField(
        read_only=True, help_text="Publié, pas encore commencé, et pas une semaine thématique."
    )
    mon_inscription = serializers.CharField(
        source="mon_etat",
        read_only=True,
        allow_null=True,
        help_text="L’état de votre propre inscription (`inscrit`, `attente`), nul sans "
        "inscription.",
    )
    organisateurs = serializers.SerializerMethodField(help_text="Noms des organisateurs.")
    communes_valorisees = serializers.SerializerMethodField(
        help_text="Codes INSEE des communes PVD valorisées."
    )

    class Meta:
        model = Evenement
        fields = [
            "id",
            "page",
            "type",
            "titre",
            "thematique",
            "etat",
            "debut",
            "fin",
            "en_ligne",
            "lien",
            "lieu",
            "commune",
            "departement",
            "semaine",
            "cercle",
            "capacite",
            "inscrits",
            "places_libres",
            "accepte_inscriptions",
            "mon_inscription",
            "organisateurs",
            "communes_valorisees",
            "description",
            "motif_annulation",
        ]

    def get_lien(self, evenement: Evenement) -> str | None:
        user = self.context["request"].user
        if not evenement.lien:
            return None
        if is_club_team(user) or evenement.mon_etat == EtatInscription.INSCRIT:
            return evenement.lien
        return None

    def get_places_libres(self, evenement: Evenement) -> int | None:
        if evenement.capacite is None:
            return None
        return max(evenement.capacite - evenement.nb_inscrits, 0)

    def get_organisateurs(self, evenement: Evenement) -> list[str]:
        return [organisation.nom for organisation in evenement.organisateurs.all()]

    def get_communes_valorisees(self, evenement: Evenement) -> list[str]:
        return [commune.code for commune in evenement.communes_valorisees.all()]


class ParticipantSerializer(serializers.Serializer):
    prenom = serializers.CharField(help_text="Prénom.")
    nom = serializers.CharField(help_text="Nom.")
    email = serializers.EmailField(help_text="Adresse électronique.")
    commune = serializers.CharField(
        source="commune_id", allow_null=True, help_text="Code INSEE de sa commune."
    )


class InscriptionSerializer(serializers.ModelSerializer):
    evenement = serializers.IntegerField(
        source="evenement_id", read_only=True, help_text="Identifiant de l’événement."
    )
    evenement_titre = serializers.CharField(source="evenement.titre", read_only=True)
    evenement_debut = serializers.DateTimeField(source="evenement.debut", read_only=True)
    participant = ParticipantSerializer(read_only=True)
    rang = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Rang sur la liste d’attente (nul sinon)."
    )
    par_moi = serializers.SerializerMethodField(help_text="Vrai si vous avez fait l’inscription.")
    peut_annuler = serializers.SerializerMethodField(
        help_text="Vrai si vous pouvez l’annuler (action `annuler`) : la personne, qui l’a "
        "inscrite ou l’équipe du Club, avant le début de l’événement."
    )

    class Meta:
        model = Inscription
        fields = [
            "id",
            "evenement",
            "evenement_titre",
            "evenement_debut",
            "participant",
            "etat",
            "rang",
            "demandee_le",
            "source",
            "par_moi",
            "present",
            "peut_annuler",
        ]

    def get_par_moi(self, inscription: Inscription) -> bool:
        return inscription.inscrit_par_id == self.context["request"].user.pk

    def get_peut_annuler(self, inscription: Inscription) -> bool:
        return can_cancel_inscription(self.context["request"].user, inscription)


class DemandeInscriptionSerializer(serializers.Serializer):
    """Without `email`: register oneself. With it: a colleague (a portal user or not)."""

    evenement = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="Identifiant de l’événement."
    )
    email = serializers.EmailField(
        required=False,
        help_text="Pour inscrire un collègue : son adresse électronique (sans elle, vous vous "
        "inscrivez vous-même).",
    )
    prenom = serializers.CharField(
        required=False, max_length=150, help_text="Prénom du collègue (requis avec `email`)."
    )
    nom = serializers.CharField(
        required=False, max_length=150, help_text="Nom du collègue (requis avec `email`)."
    )
    commune = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="Code INSEE de la commune du collègue, s’il y a lieu : une commune de votre "
        "territoire (du programme, pour l’équipe du Club).",
    )

    def validate(self, data):
        if "email" not in data and any(data.get(field) for field in ("prenom", "nom", "commune")):
            raise serializers.ValidationError(
                "Pour inscrire un collègue, indiquez son adresse électronique (« email »)."
            )
        if "email" in data:
            missing = [field for field in ("prenom", "nom") if not data.get(field, "").strip()]
            if missing:
                raise serializers.ValidationError(
                    "Pour inscrire un collègue, indiquez aussi son prénom et son nom."
                )
        return data
