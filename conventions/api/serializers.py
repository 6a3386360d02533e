"""A commune's journey as the API shows and receives it. Territories are named by their official
codes (communes by INSEE code, a département by its code), never by an internal id; the objects
of the journey (candidatures, conventions, avenants) by their number.

Output serializers read only; the input ones (`…EcritureSerializer`, one per action) say exactly
what a write accepts, and the views hand their data to the services.
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communes.models import Commune, Organisation
from conventions.enums import Avis, Etape, PresidenceComite
from conventions.models import (
    Avenant,
    Candidature,
    ConventionAdhesion,
    ConventionCadre,
    Dossier,
    Orientation,
)
from pvd.documents import validate_pdf

VERSION = (
    "Version de l’objet, augmentée à chaque écriture ; c’est aussi son `ETag`. Une modification "
    "la renvoie (ou l’en-tête `If-Match`)."
)


def codes_communes(**kwargs) -> serializers.SlugRelatedField:
    kwargs.setdefault("help_text", "Codes INSEE des communes.")
    return serializers.SlugRelatedField(slug_field="code", many=True, **kwargs)


def _departement(communes) -> str | None:
    """The département of an object's communes (they share one préfet)."""
    return next((commune.departement_id for commune in communes), None)


# Every field read only: writes go through the `…EcritureSerializer`s and the services. (No
# docstring here nor in the subclasses: drf-spectacular would publish it in the schema.)
class LectureSerializer(serializers.ModelSerializer):
    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


# Candidatures -------------------------------------------------------------------------------


class CandidatureSerializer(LectureSerializer):
    communes = codes_communes(read_only=True)
    departement = serializers.SerializerMethodField(help_text="Code INSEE du département.")
    etat_libelle = serializers.CharField(source="get_etat_display", help_text="L’état, en clair.")

    class Meta:
        model = Candidature
        fields = [
            "id",
            "etat",
            "etat_libelle",
            "communes",
            "departement",
            "deposee_le",
            "presentation",
            "avis",
            "instruite_le",
            "decidee_le",
            "retiree_le",
            "version",
        ]
        extra_kwargs = {"version": {"help_text": VERSION}}

    def get_departement(self, candidature: Candidature) -> str | None:
        return _departement(candidature.communes.all())


class CandidatureEcritureSerializer(serializers.Serializer):
    communes = codes_communes(queryset=Commune.objects.all())
    deposee_le = serializers.DateField(help_text="Date de dépôt (AAAA-MM-JJ), pas dans le futur.")
    presentation = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Présentation du projet."
    )


class InstructionSerializer(serializers.Serializer):
    avis = serializers.ChoiceField(choices=Avis.choices, help_text="Avis de la préfecture.")
    instruite_le = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Date de l’avis (aujourd’hui par défaut).",
    )
    commentaire = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Motivation de l’avis."
    )


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[("retenir", "Retenue"), ("ne_pas_retenir", "Non retenue")],
        help_text="Décision du comité régional.",
    )
    decidee_le = serializers.DateField(help_text="Date du comité régional.")
    commentaire = serializers.CharField(required=False, allow_blank=True, default="")


class RetraitSerializer(serializers.Serializer):
    commentaire = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Motif du retrait."
    )


# Conventions and avenants ---------------------------------------------------------------------


class DocumentMixin(serializers.Serializer):
    document = serializers.SerializerMethodField(
        help_text="Adresse de téléchargement du PDF signé (nulle avant la signature)."
    )
    kind = ""

    def get_document(self, obj) -> str | None:
        if not obj.document:
            return None
        url = reverse("conventions:convention_document", args=[self.kind, obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ConventionAdhesionSerializer(DocumentMixin, LectureSerializer):
    kind = "adhesion"
    communes = codes_communes(read_only=True)
    departement = serializers.SerializerMethodField(help_text="Code INSEE du département.")
    partenaires = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Identifiants des organisations cosignataires."
    )
    conventions_cadres = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Numéros des conventions-cadres qui la complètent."
    )
    avenants = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Numéros (identifiants) de ses avenants."
    )

    class Meta:
        model = ConventionAdhesion
        fields = [
            "id",
            "etat",
            "communes",
            "departement",
            "signee_le",
            "document",
            "cosignataire_conseil_departemental",
            "cosignataire_conseil_regional",
            "partenaires",
            "presidence_comite",
            "president_comite",
            "conventions_cadres",
            "avenants",
            "version",
        ]
        extra_kwargs = {"version": {"help_text": VERSION}}

    def get_departement(self, convention: ConventionAdhesion) -> str | None:
        return _departement(convention.communes.all())


class ConventionCadreSerializer(DocumentMixin, LectureSerializer):
    kind = "cadre"
    adhesion = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="Numéro de la convention d’adhésion qu’elle complète."
    )
    communes = codes_communes(read_only=True)
    departement = serializers.SerializerMethodField(help_text="Code INSEE du département.")
    orientations = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Codes des orientations."
    )
    avenants = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Numéros (identifiants) de ses avenants."
    )

    class Meta:
        model = ConventionCadre
        fields = [
            "id",
            "etat",
            "adhesion",
            "communes",
            "departement",
            "signee_le",
            "document",
            "orientations",
            "avenants",
            "version",
        ]
        extra_kwargs = {"version": {"help_text": VERSION}}

    def get_departement(self, cadre: ConventionCadre) -> str | None:
        return _departement(cadre.communes.all())


class AvenantSerializer(DocumentMixin, LectureSerializer):
    kind = "avenant"
    convention_adhesion = serializers.PrimaryKeyRelatedField(
        source="adhesion",
        read_only=True,
        allow_null=True,
        help_text="La convention d’adhésion modifiée, ou nul.",
    )
    convention_cadre = serializers.PrimaryKeyRelatedField(
        source="cadre",
        read_only=True,
        allow_null=True,
        help_text="La convention-cadre modifiée, ou nul.",
    )

    class Meta:
        model = Avenant
        fields = [
            "id",
            "numero",
            "objet",
            "etat",
            "convention_adhesion",
            "convention_cadre",
            "signee_le",
            "document",
            "version",
        ]
        extra_kwargs = {"version": {"help_text": VERSION}}


@extend_schema_field(OpenApiTypes.INT)
class Visible(serializers.PrimaryKeyRelatedField):
    """An object of the journey named by its number, among those the user may see: any other
    number is refused as unknown (its existence never leaks)."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.for_user(self.context["request"].user)


class ConventionAdhesionEcritureSerializer(serializers.Serializer):
    communes = codes_communes(queryset=Commune.objects.all())
    cosignataire_conseil_departemental = serializers.BooleanField(default=False)
    cosignataire_conseil_regional = serializers.BooleanField(default=False)
    partenaires = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Organisation.objects.all(),
        default=list,
        help_text="Identifiants des organisations cosignataires.",
    )
    presidence_comite = serializers.ChoiceField(
        choices=PresidenceComite.choices, help_text="Présidence du comité de projet."
    )
    president_comite = serializers.CharField(
        max_length=255, allow_blank=True, default="", help_text="Président(s) du comité de projet."
    )
    version = serializers.IntegerField(required=False, min_value=0, help_text=VERSION)


class ConventionCadreCreationSerializer(serializers.Serializer):
    adhesion = Visible(
        ConventionAdhesion, help_text="Numéro de la convention d’adhésion signée qu’elle complète."
    )
    communes = codes_communes(
        queryset=Commune.objects.all(),
        required=False,
        help_text="Codes INSEE des communes couvertes (toutes celles de l’adhésion par défaut).",
    )
    orientations = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Orientation.objects.all(), default=list
    )


class ConventionCadreEcritureSerializer(serializers.Serializer):
    communes = codes_communes(queryset=Commune.objects.all())
    orientations = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Orientation.objects.all()
    )
    version = serializers.IntegerField(required=False, min_value=0, help_text=VERSION)


class AvenantEcritureSerializer(serializers.Serializer):
    convention_adhesion = Visible(ConventionAdhesion, required=False, allow_null=True)
    convention_cadre = Visible(ConventionCadre, required=False, allow_null=True)
    objet = serializers.CharField(help_text="Objet de l’avenant.")

    def validate(self, data):
        if bool(data.get("convention_adhesion")) == bool(data.get("convention_cadre")):
            raise serializers.ValidationError(
                "Indiquez la convention modifiée : `convention_adhesion` ou `convention_cadre`, "
                "l’une des deux."
            )
        return data


class SignatureSerializer(serializers.Serializer):
    signee_le = serializers.DateField(help_text="Date de signature, pas dans le futur.")
    document = serializers.FileField(help_text="Le PDF signé, 20 Mo au plus.")
    version = serializers.IntegerField(required=False, min_value=0, help_text=VERSION)

    def validate_document(self, document):
        try:
            validate_pdf(document)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return document


# Dossiers -------------------------------------------------------------------------------------


# Reads the annotations of `Dossier.objects.with_etape()` and those of the viewset (no docstring:
# it would become the schema's description).
class DossierSerializer(LectureSerializer):
    departement = serializers.CharField(
        source="departement_id", allow_null=True, help_text="Code INSEE du département."
    )
    region = serializers.SerializerMethodField(help_text="Code INSEE de la région.")
    epci = serializers.CharField(source="epci_id", allow_null=True, help_text="SIREN de l’EPCI.")
    pvd = serializers.BooleanField(
        source="laureate", help_text="Vrai pour une commune lauréate : une Petite ville de demain."
    )
    etape = serializers.CharField(
        allow_null=True, help_text="`candidate`, `laureate`, `adhesion_signee` ou `ort_signee`."
    )
    etape_libelle = serializers.SerializerMethodField(help_text="L’étape, en clair.")
    date_adhesion = serializers.DateField(
        allow_null=True, help_text="Signature de sa première convention d’adhésion."
    )
    date_cadre = serializers.DateField(
        allow_null=True, help_text="Signature de sa convention-cadre valant ORT."
    )
    date_ort = serializers.DateField(
        allow_null=True, help_text="Première ORT, par convention-cadre ou hors convention-cadre."
    )
    echeance_projet = serializers.DateField(
        allow_null=True,
        help_text="Date due du projet de territoire (adhésion + 18 mois), tant qu’il est attendu.",
    )
    convention_adhesion = serializers.IntegerField(
        allow_null=True, help_text="Numéro de sa convention d’adhésion."
    )
    convention_cadre = serializers.IntegerField(
        allow_null=True, help_text="Numéro de sa convention-cadre valant ORT."
    )

    class Meta:
        model = Dossier
        fields = [
            "code",
            "nom",
            "departement",
            "region",
            "epci",
            "pvd",
            "etape",
            "etape_libelle",
            "date_adhesion",
            "date_cadre",
            "date_ort",
            "echeance_projet",
            "convention_adhesion",
            "convention_cadre",
        ]

    def get_region(self, dossier: Dossier) -> str | None:
        return dossier.departement.region_id if dossier.departement else None

    def get_etape_libelle(self, dossier: Dossier) -> str | None:
        return Etape(dossier.etape).label if dossier.etape else None

    def to_representation(self, dossier):
        data = super().to_representation(dossier)
        data["etape"] = data["etape"] or None
        return data
