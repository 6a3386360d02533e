"""Uploaded documents: signed PDFs checked by their content, stored under generated names,
served as attachments. No app imports here."""

import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.deconstruct import deconstructible

PDF_MAX_SIZE = 20 * 1024 * 1024


def validate_pdf(uploaded) -> None:
    """Refuse anything but a readable PDF of at most 20 Mo, whatever its name says."""
    if uploaded.size == 0:
        raise ValidationError("Le fichier est vide.")
    if uploaded.size > PDF_MAX_SIZE:
        raise ValidationError(
            f"Le fichier pèse {uploaded.size / 1024 / 1024:.1f} Mo : 20 Mo au plus.".replace(
                ".", ",", 1
            )
        )
    uploaded.seek(0)
    if uploaded.read(5) != b"%PDF-":
        raise ValidationError("Le fichier n’est pas un PDF (son contenu n’en est pas un).")
    from pypdf import PdfReader  # imported when needed: it slows every start-up otherwise
    from pypdf.errors import PdfReadError

    uploaded.seek(0)
    try:
        pages = len(PdfReader(uploaded).pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise ValidationError("Le PDF est illisible ou endommagé.") from error
    finally:
        uploaded.seek(0)
    if pages == 0:
        raise ValidationError("Le PDF ne contient aucune page.")


@deconstructible
class GeneratedPdfName:
    """An `upload_to` giving every file a random name: the uploader's name is never used."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        return str(PurePath(self.folder) / f"{uuid.uuid4().hex}.pdf")

    def __eq__(self, other) -> bool:
        return isinstance(other, GeneratedPdfName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def pdf_response(fieldfile, download_name: str) -> FileResponse:
    """The file as an attachment (never displayed inline by the portal's origin)."""
    response = FileResponse(
        fieldfile.open("rb"),
        as_attachment=True,
        filename=download_name,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
