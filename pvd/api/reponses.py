"""The answers every endpoint of the API may give besides its success, documented once for the
OpenAPI schema (each body is `{"detail": "…"}`, `pvd.api.serializers.ErreurSerializer`)."""

from drf_spectacular.utils import OpenApiResponse

from pvd.api.serializers import ErreurSerializer


def erreur(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErreurSerializer, description=description)


NON_AUTHENTIFIE = erreur(
    "Non connecté, ou jeton d’API faux, expiré ou révoqué (en-tête `WWW-Authenticate: Token`)."
)
INTERDIT = erreur("Vous voyez cet objet mais votre rôle ne permet pas cette action.")
INTROUVABLE = erreur("Objet inconnu ou hors de votre périmètre (ou page au-delà de la dernière).")
FILTRE_ILLISIBLE = erreur("Un filtre illisible : chaque paramètre et son message.")
REFUS_METIER = erreur("Données refusées par une règle du programme : le motif en français.")
CONFLIT = erreur("Modifié par quelqu’un d’autre pendant l’écriture, ou état incompatible.")
VERSION_PERIMEE = erreur("La version indiquée n’est plus la version actuelle (en-tête `ETag`).")
VERSION_REQUISE = erreur("Ni en-tête `If-Match` ni champ `version` : rien n’est écrit.")

# A list, a detail, a creation, an update: what each may answer besides its 2xx.
LISTE = {400: FILTRE_ILLISIBLE, 401: NON_AUTHENTIFIE, 404: INTROUVABLE}
DETAIL = {401: NON_AUTHENTIFIE, 404: INTROUVABLE}
CREATION = {400: REFUS_METIER, 401: NON_AUTHENTIFIE, 403: INTERDIT, 409: CONFLIT}
MODIFICATION = {
    400: REFUS_METIER,
    401: NON_AUTHENTIFIE,
    403: INTERDIT,
    404: INTROUVABLE,
    409: CONFLIT,
    412: VERSION_PERIMEE,
    428: VERSION_REQUISE,
}
