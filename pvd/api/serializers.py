"""The shapes of the national layer's JSON, for the OpenAPI schema: the views build their answer
themselves (`pvd.indicateurs.calculer`); these serializers describe it."""

from rest_framework import serializers


# Every refusal of the API: a 400, 401, 403, 404 or 409 with its French message
# (`pvd.api.exceptions.exception_handler`, DRF's own errors translated by `LANGUAGE_CODE`). No
# docstring: drf-spectacular would publish it as the schema's description.
class ErreurSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Le motif, en français.")


class TableauDeBordSerializer(serializers.Serializer):
    perimetre = serializers.CharField(
        help_text="Le périmètre lu : `FR`, `region:<code INSEE>` ou `departement:<code INSEE>`."
    )
    date = serializers.DateField(help_text="Le jour dont les chiffres sont donnés.")
    indicateurs = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Valeur de chaque indicateur, par clé stable : un nombre, un objet "
        "(répartition) ou une liste (série mensuelle). Un visiteur anonyme ne reçoit que les "
        "indicateurs publics.",
    )
