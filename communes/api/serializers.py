"""The territories as the API shows them: official codes and names, the codes of their parents,
never an internal id.

`actuel` is the negation of the model's `obsolete` (a territory that left the COG stays in the
referential), named like the `actuel` filter and `TerritoireQuerySet.actuels()`.
"""

from rest_framework import serializers

from communes.models import EPCI, Commune, Departement, Region

ACTUEL = "Faux quand le territoire ne figure plus dans le code officiel géographique en vigueur."


class RegionSerializer(serializers.ModelSerializer):
    actuel = serializers.SerializerMethodField(help_text=ACTUEL)

    class Meta:
        model = Region
        fields = ["code", "nom", "actuel"]

    def get_actuel(self, region: Region) -> bool:
        return not region.obsolete


class DepartementSerializer(serializers.ModelSerializer):
    region = serializers.CharField(
        source="region_id", read_only=True, help_text="Code INSEE de la région."
    )
    actuel = serializers.SerializerMethodField(help_text=ACTUEL)

    class Meta:
        model = Departement
        fields = ["code", "nom", "region", "actuel"]

    def get_actuel(self, departement: Departement) -> bool:
        return not departement.obsolete


class EPCISerializer(serializers.ModelSerializer):
    population = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Population municipale totale."
    )
    actuel = serializers.SerializerMethodField(help_text=ACTUEL)

    class Meta:
        model = EPCI
        fields = ["siren", "nom", "type", "population", "actuel"]

    def get_actuel(self, epci: EPCI) -> bool:
        return not epci.obsolete


# Expects `select_related("departement")` and `prefetch_related("codes_postaux")` (the docstring
# would become the schema's description).
class CommuneSerializer(serializers.ModelSerializer):
    codes_postaux = serializers.SerializerMethodField()
    population = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Population municipale."
    )
    siren = serializers.CharField(read_only=True, help_text="SIREN de la commune (peut être vide).")
    departement = serializers.CharField(
        source="departement_id",
        read_only=True,
        allow_null=True,
        help_text="Code INSEE du département (nul pour une commune d’une collectivité "
        "d’outre-mer).",
    )
    region = serializers.SerializerMethodField(
        help_text="Code INSEE de la région (nul hors département)."
    )
    collectivite_outre_mer = serializers.CharField(
        source="collectivite_outre_mer_id",
        read_only=True,
        allow_null=True,
        help_text="Code INSEE de la collectivité d’outre-mer (nul pour une commune d’un "
        "département).",
    )
    epci = serializers.CharField(
        source="epci_id",
        read_only=True,
        allow_null=True,
        help_text="SIREN de l’EPCI (nul pour une commune isolée).",
    )
    actuel = serializers.SerializerMethodField(help_text=ACTUEL)

    class Meta:
        model = Commune
        fields = [
            "code",
            "nom",
            "codes_postaux",
            "population",
            "siren",
            "departement",
            "region",
            "collectivite_outre_mer",
            "epci",
            "actuel",
        ]

    def get_codes_postaux(self, commune: Commune) -> list[str]:
        return [code_postal.code for code_postal in commune.codes_postaux.all()]

    def get_region(self, commune: Commune) -> str | None:
        return commune.departement.region_id if commune.departement else None

    def get_actuel(self, commune: Commune) -> bool:
        return not commune.obsolete
