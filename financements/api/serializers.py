"""Pillar 2 as the API shows it and reads it. Communes by INSEE code, the referential
(sources, mesures, organisations, orientations) by code, actions and lines by number.

They read and show; the views give what they read to `financements.services`. No docstrings on
the classes: drf-spectacular would publish them as the schemas' descriptions.
"""

from rest_framework import serializers

from communes.models import Departement, Organisation, Region
from conventions.models import Dossier, Orientation
from financements.api.base import CodeField, IdField, check_programme, communes_field, scope_fields
from financements.enums import Decideur
from financements.models import (
    Action,
    Financement,
    Label,
    Mesure,
    SourceFinancement,
    Versement,
)

VERSION = (
    "La version de l’objet (son ETag). À l’écriture, celle que vous modifiez, si l’en-tête "
    "If-Match ne la donne pas."
)


def _version():
    return serializers.IntegerField(required=False, min_value=0, help_text=VERSION)


def _organisation(help_text: str) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text=help_text
    )


# The referential ---------------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    region = serializers.CharField(
        source="region_id", read_only=True, allow_null=True, help_text="Code INSEE de la région."
    )
    departement = serializers.CharField(
        source="departement_id",
        read_only=True,
        allow_null=True,
        help_text="Code INSEE du département.",
    )

    class Meta:
        model = Organisation
        fields = ["code", "nom", "sigle", "categorie", "region", "departement"]


def _partenaire(help_text: str) -> CodeField:
    return CodeField(
        Organisation.objects.all(),
        "Aucune organisation n’a le code « {value} ».",
        help_text=help_text,
    )


def _territoire(help_text: str, model):
    return serializers.PrimaryKeyRelatedField(
        queryset=model.objects.all(),
        required=False,
        allow_null=True,
        help_text=help_text,
    )


class MesureSerializer(serializers.ModelSerializer):
    partenaire = _partenaire("Code de l’organisation qui porte la mesure.")
    orientation = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Orientation.objects.all(),
        required=False,
        allow_null=True,
        help_text="Code du thème (`commerce`, `habitat`…).",
    )

    class Meta:
        model = Mesure
        fields = [
            "code",
            "titre",
            "partenaire",
            "pilier",
            "orientation",
            "description",
            "conditions",
            "url",
            "cle",
            "active",
        ]


class SourceSerializer(serializers.ModelSerializer):
    financeur = _partenaire("Code de l’organisation financeuse.")
    region = _territoire("Code INSEE de la région (fonds régional).", Region)
    departement = _territoire("Code INSEE du département (fonds départemental).", Departement)

    class Meta:
        model = SourceFinancement
        fields = ["code", "nom", "sigle", "categorie", "financeur", "region", "departement"]
        fields += ["active"]

    def validate(self, data):
        if data.get("region") and data.get("departement"):
            raise serializers.ValidationError(
                "Une source relève d’une région ou d’un département, pas des deux."
            )
        return data


class LabelSerializer(serializers.ModelSerializer):
    commune = serializers.CharField(
        source="commune_id", read_only=True, help_text="Code INSEE de la commune."
    )

    class Meta:
        model = Label
        fields = ["id", "commune", "type", "nom", "debut", "fin"]


# Actions ---------------------------------------------------------------------------


class ActionSerializer(serializers.ModelSerializer):
    communes = communes_field("Codes INSEE des communes concernées (du programme).")
    orientation = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Orientation.objects.all(),
        help_text="Code de l’orientation (`commerce`, `habitat`…).",
    )
    version = _version()

    class Meta:
        model = Action
        fields = [
            "id",
            "titre",
            "communes",
            "orientation",
            "type",
            "etat",
            "budget",
            "description",
            "version",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        extra_kwargs = {"budget": {"min_value": 0}}

    def validate_communes(self, communes):
        if not communes:
            raise serializers.ValidationError("Indiquez au moins une commune.")
        deja = self.instance.communes.all() if self.instance else ()
        check_programme(communes, Dossier.objects.in_programme(), deja)
        return communes


# Financing lines ---------------------------------------------------------------------------


class VersementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Versement
        fields = ["id", "verse_le", "montant"]
        extra_kwargs = {"montant": {"min_value": 0}}


class FinancementSerializer(serializers.ModelSerializer):
    source = CodeField(
        SourceFinancement.objects.filter(active=True).select_related("financeur"),
        "Aucune source de financement ouverte n’a le code « {value} ».",
        required=False,
        allow_null=True,
        help_text="Code de la source (`detr`…), ou bien `mesure` : l’une ou l’autre. Fixée à "
        "la création.",
    )
    mesure = CodeField(
        Mesure.objects.filter(active=True).select_related("partenaire"),
        "Aucune mesure ouverte n’a le code « {value} ».",
        required=False,
        allow_null=True,
        help_text="Code de la mesure du programme, ou bien `source`. Fixée à la création.",
    )
    financeur = _organisation(
        "Code de l’organisation dont c’est la ligne (celle de la source ou de la mesure) : ses "
        "agents partenaires et la préfecture l’écrivent."
    )
    financeur_nom = serializers.CharField(
        source="financeur.nom", read_only=True, help_text="Nom de l’organisation financeuse."
    )
    communes = communes_field(
        "Codes INSEE des communes bénéficiaires (une ligne partagée compte entière pour chacune)."
    )
    action = IdField(
        queryset=Action.objects.none(),
        required=False,
        allow_null=True,
        help_text="Numéro de l’action financée (parmi celles que vous voyez).",
    )
    comite = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="Numéro du comité des financeurs qui l’inscrit ou l’a décidée.",
    )
    reste_a_verser = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text="Accordé moins versé (€)."
    )
    decide_par = serializers.ChoiceField(
        choices=Decideur.choices,
        read_only=True,
        allow_blank=True,
        help_text="Qui a décidé (vide tant que la ligne est demandée).",
    )
    versements = VersementSerializer(many=True, read_only=True)
    version = _version()

    class Meta:
        model = Financement
        fields = [
            "id",
            "objet",
            "annee",
            "source",
            "mesure",
            "financeur",
            "financeur_nom",
            "communes",
            "action",
            "comite",
            "etat",
            "montant_demande",
            "montant_accorde",
            "montant_verse",
            "reste_a_verser",
            "decide_le",
            "decide_par",
            "versements",
            "version",
            "created_at",
        ]
        read_only_fields = [
            "etat",
            "montant_accorde",
            "montant_verse",
            "decide_le",
            "decide_par",
            "created_at",
        ]
        extra_kwargs = {
            "annee": {"min_value": 2020, "max_value": 2100},
            "montant_demande": {"min_value": 0},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope_fields(self, action=Action.objects.all())

    def validate_communes(self, communes):
        if not communes:
            raise serializers.ValidationError("Indiquez au moins une commune bénéficiaire.")
        deja = self.instance.communes.all() if self.instance else ()
        check_programme(communes, Dossier.objects.in_programme(), deja)
        return communes

    def validate(self, data):
        if self.instance is not None:
            if {"source", "mesure"} & set(self.initial_data):
                raise serializers.ValidationError(
                    "La source ou la mesure d’une ligne ne change pas : enregistrez une autre "
                    "ligne."
                )
        elif bool(data.get("source")) == bool(data.get("mesure")):
            raise serializers.ValidationError(
                "Choisissez une source de financement ou une mesure, et une seule."
            )
        return data


class AccordSerializer(serializers.Serializer):
    montant_accorde = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, help_text="Montant accordé (€)."
    )
    decide_le = serializers.DateField(help_text="Date de la décision (jamais dans le futur).")
    commentaire = serializers.CharField(required=False, allow_blank=True, default="")
    version = _version()


class RefusSerializer(serializers.Serializer):
    decide_le = serializers.DateField(help_text="Date de la décision (jamais dans le futur).")
    commentaire = serializers.CharField(required=False, allow_blank=True, default="")
    version = _version()


class NouveauVersementSerializer(serializers.Serializer):
    verse_le = serializers.DateField(help_text="Date du versement (jamais dans le futur).")
    montant = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, help_text="Montant versé (€)."
    )
    version = _version()
