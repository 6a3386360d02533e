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
