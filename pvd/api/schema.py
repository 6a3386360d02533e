"""The API's authentication as the OpenAPI schema declares it, so that Swagger UI's « Authorize »
offers the personal token in French. drf-spectacular's own extension for knox
(`drf_spectacular.contrib.knox_auth_token`) declares the same header with an English text; this
one, of higher priority, replaces it. Imported by `pvd.api.urls`, hence loaded before any
schema is generated."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class JetonPersonnelScheme(OpenApiAuthenticationExtension):
    target_class = "knox.auth.TokenAuthentication"
    name = "jetonPersonnel"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Jeton personnel créé sur la page « Mes jetons d’API » (`/compte/jetons/`), "
                "précédé du mot `Token` et d’une espace : `Token pvd_…`. Il donne exactement "
                "les droits de son utilisateur. Faux, expiré ou révoqué : 401."
            ),
        }


ERREUR_REF = {"$ref": "#/components/schemas/Erreur"}


def reponses_communes(result, generator, request, public):
    """drf-spectacular post-processing hook: the answers DRF gives any operation before its
    view runs, documented on every operation — 406 when the `Accept` header asks for a format
    the API does not speak (JSON only), and, on an operation with a body, 415 for a body in a
    format it does not read (JSON, form or multipart)."""
    erreur = {"application/json": {"schema": ERREUR_REF}}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            reponses = operation.setdefault("responses", {})
            reponses.setdefault(
                "406",
                {
                    "description": "Format de réponse demandé (`Accept`) autre que JSON.",
                    "content": erreur,
                },
            )
            if "requestBody" in operation:
                reponses.setdefault(
                    "415",
                    {
                        "description": "Corps dans un format non lu (JSON, formulaire, multipart).",
                        "content": erreur,
                    },
                )
    return result
