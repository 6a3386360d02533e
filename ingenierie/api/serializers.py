"""Pillar 1 as the API shows it and reads it: communes and employers by their official codes
(INSEE code, SIREN), partners and mesures by code, posts, conventions and actions by number.

They read and show; the views give what they read to `ingenierie.services` (the 75 % cap, the
Anah's OPAH-RU, who may record what). No docstrings on the classes: drf-spectacular would
publish them as the schemas' descriptions.
"""

from rest_framework import serializers

from communes.models import EPCI, Organisation
from conventions.models import ConventionAdhesion, Dossier
from financements.api.base import (
    CodeField,
    CommuneField,
    IdField,
    check_programme,
    communes_field,
    scope_fields,
)
from financements.api.serializers import VERSION
from financements.enums import TypeAction
from financements.models import Action, Mesure
from ingenierie.enums import EtatPoste
from ingenierie.models import BesoinsExprimes, PosteChefDeProjet, PosteVTA, SoutienIngenierie


def _version():
    return serializers.IntegerField(required=False, min_value=0, help_text=VERSION)


def _euros(help_text: str, **kwargs):
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, help_text=help_text, **kwargs
    )


def _programme(serializer, communes):
    """The lauréates (the communes the HTML forms offer), and those the object already has."""
    if not communes:
        raise serializers.ValidationError("Indiquez au moins une commune.")
    deja = serializer.instance.communes.all() if serializer.instance else ()
    check_programme(communes, Dossier.objects.pvd(), deja)
    return communes


# VTA ---------------------------------------------------------------------------


class VtaSerializer(serializers.ModelSerializer):
    poste = IdField(
        queryset=PosteChefDeProjet.objects.none(),
        help_text="Numéro du poste de chef de projet appuyé (parmi ceux que vous voyez).",
    )

    class Meta:
        model = PosteVTA
        fields = ["id", "poste", "titulaire_nom", "mission", "debut", "fin"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope_fields(self, poste=PosteChefDeProjet.objects.all())


class VtaDuPosteSerializer(serializers.ModelSerializer):
    class Meta:
        model = PosteVTA
        fields = ["id", "titulaire_nom", "mission", "debut", "fin"]


# Chefs de projet ---------------------------------------------------------------------------

TITULAIRE = ("titulaire_nom", "titulaire_email", "debut", "fin")


class PosteSerializer(serializers.ModelSerializer):
    communes = communes_field(
        "Codes INSEE de la commune du poste, ou des communes d’une même convention d’adhésion "
        "qui le partagent (des lauréates)."
    )
    adhesion = IdField(
        queryset=ConventionAdhesion.objects.none(),
        required=False,
        allow_null=True,
        help_text="Numéro de la convention d’adhésion (obligatoire pour un poste partagé).",
    )
    employeur_commune = CommuneField(
        required=False,
        allow_null=True,
        help_text="Code INSEE de la commune employeuse, ou bien `employeur_epci`.",
    )
    employeur_epci = serializers.SlugRelatedField(
        slug_field="siren",
        queryset=EPCI.objects.all(),
        required=False,
        allow_null=True,
        help_text="SIREN de l’EPCI employeur, ou bien `employeur_commune`.",
    )
    cout_annuel = _euros("Coût annuel du poste (€).")
    subvention_anct = _euros("Part de l’ANCT (€ par an).", required=False)
    subvention_bdt = _euros("Part de la Banque des Territoires (€ par an).", required=False)
    subvention_etat = _euros("Part de l’État (€ par an).", required=False)
    subvention_anah = _euros(
        "Part de l’Anah (€ par an) : seulement avec une OPAH-RU (`opah_ru`) en phase "
        "pré-opérationnelle ou opérationnelle.",
        required=False,
    )
    opah_ru = IdField(
        queryset=Action.objects.none(),
        required=False,
        allow_null=True,
        help_text="Numéro de l’action OPAH-RU qui justifie la part de l’Anah.",
    )
    subvention_totale = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text="Somme des quatre parts (€ par an), au plus 75 % du coût.",
    )
    taux_subvention = serializers.SerializerMethodField(
        help_text="Part du coût subventionnée, en pourcentage (une décimale)."
    )
    vtas = VtaDuPosteSerializer(many=True, read_only=True)
    version = _version()

    class Meta:
        model = PosteChefDeProjet
        fields = [
            "id",
            "communes",
            "adhesion",
            "etat",
            "employeur_commune",
            "employeur_epci",
            "titulaire_nom",
            "titulaire_email",
            "debut",
            "fin",
            "cout_annuel",
            "subvention_anct",
            "subvention_bdt",
            "subvention_etat",
            "subvention_anah",
            "opah_ru",
            "subvention_totale",
            "taux_subvention",
            "vtas",
            "version",
            "created_at",
        ]
        read_only_fields = ["etat", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope_fields(
            self,
            adhesion=ConventionAdhesion.objects.all(),
            opah_ru=Action.objects.filter(type=TypeAction.OPAH_RU),
        )

    def get_taux_subvention(self, poste) -> float:
        return round(float(poste.taux_subvention) * 100, 1)

    def validate_communes(self, communes):
        return _programme(self, communes)

    def validate(self, data):
        poste = self.instance
        sans_titulaire = poste is None or poste.etat in (
            EtatPoste.A_RECRUTER,
            EtatPoste.EN_RECRUTEMENT,
        )
        if sans_titulaire and (given := [name for name in TITULAIRE if name in data]):
            raise serializers.ValidationError(
                f"{', '.join(given)} : le titulaire d’un poste s’indique en le pourvoyant "
                "(action « pourvoir »), et se corrige ensuite."
            )
        return data


class CommentaireSerializer(serializers.Serializer):
    commentaire = serializers.CharField(required=False, allow_blank=True, default="")
    version = _version()


class PourvoirSerializer(CommentaireSerializer):
    titulaire_nom = serializers.CharField(max_length=200, help_text="Nom du chef de projet.")
    titulaire_email = serializers.EmailField(required=False, allow_blank=True, default="")
    debut = serializers.DateField(help_text="Date de prise de poste.")


class LibererSerializer(CommentaireSerializer):
    fin = serializers.DateField(help_text="Date de fin de poste.")


# Soutiens en ingénierie ---------------------------------------------------------------------------


class SoutienSerializer(serializers.ModelSerializer):
    organisation = CodeField(
        Organisation.objects.all(),
        "Aucune organisation n’a le code « {value} ».",
        help_text="Code du partenaire (`cerema`, `bdt`…), fixé à la création.",
    )
    communes = communes_field("Codes INSEE des communes bénéficiaires (des lauréates).")
    mesure = CodeField(
        Mesure.objects.filter(active=True),
        "Aucune mesure ouverte n’a le code « {value} ».",
        required=False,
        allow_null=True,
        help_text="Code de la mesure de l’offre, s’il y a lieu.",
    )
    montant_euros = _euros(
        "Montant (€), ou bien `nombre_jours` : l’un ou l’autre, jamais additionnés.",
        required=False,
        allow_null=True,
    )
    nombre_jours = serializers.DecimalField(
        max_digits=7,
        decimal_places=1,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Nombre de jours d’intervention (le Cerema compte en jours), ou bien "
        "`montant_euros`.",
    )
    version = _version()

    class Meta:
        model = SoutienIngenierie
        fields = [
            "id",
            "organisation",
            "communes",
            "mesure",
            "nature",
            "objet",
            "montant_euros",
            "nombre_jours",
            "debut",
            "fin",
            "etat",
            "version",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def validate_communes(self, communes):
        return _programme(self, communes)


# Besoins ---------------------------------------------------------------------------


class BesoinsSerializer(serializers.ModelSerializer):
    commune = CommuneField(help_text="Code INSEE de la commune.")
    adhesion = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Numéro de sa convention d’adhésion."
    )
    version = _version()

    class Meta:
        model = BesoinsExprimes
        fields = [
            "commune",
            "adhesion",
            "chef_de_projet",
            "etudes",
            "investissements",
            "precisions",
            "version",
            "created_at",
        ]
        read_only_fields = ["created_at"]
