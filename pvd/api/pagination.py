"""The pagination of the API's lists (no app imported here: every app's `api/` uses it)."""

from rest_framework.pagination import PageNumberPagination


class PaginationPVD(PageNumberPagination):
    """`?page=3&taille=200`: 50 rows a page by default, 500 at most.

    The answer keeps DRF's keys (`count`, `next`, `previous`, `results`), which generated
    clients know. A page past the last one answers 404 with a French `detail`; a `taille` that
    is not a positive number falls back on 50, one above 500 is cut to 500.
    """

    page_size = 50
    page_query_param = "page"
    page_query_description = "Numéro de la page (1 par défaut)."
    page_size_query_param = "taille"
    page_size_query_description = "Nombre de résultats par page (50 par défaut, 500 au plus)."
    max_page_size = 500
    invalid_page_message = "Page {page_number} introuvable : {message}"
