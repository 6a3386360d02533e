"""Uploaded documents: signed PDFs checked by their content, stored under generated names,
served as attachments. No app imports here."""

import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.deconstruct import deconstructible

from pvd.fichiers import verifier_nom

PDF_MAX_SIZE = 20 * 1024 * 1024


# What a viewer runs or extracts: a signed convention needs none of it (PDF/A forbids it too).
CONTENUS_ACTIFS = {
    "/JS": "du JavaScript",
    "/JavaScript": "du JavaScript",
    "/Launch": "une commande qui lance un programme",
    "/EmbeddedFile": "des fichiers joints",
    "/EmbeddedFiles": "des fichiers joints",
    "/RichMedia": "un contenu multimédia actif",
    "/XFA": "un formulaire dynamique (XFA)",
}
ACTIONS_ACTIVES = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"}


def validate_pdf(uploaded) -> None:
    """Refuse anything but a readable PDF of at most 20 Mo, whatever its name says: not empty,
    starting with `%PDF-`, parsed by pypdf, openable without a password, with pages and
    without active content (JavaScript, launch actions, attached files). Its name, if it
    has a type, must be `.pdf` (not `.pdf.exe`); the stored name is generated anyway."""
    verifier_nom(uploaded.name or "", (".pdf",))
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
    # Imported when needed: pypdf slows every start-up otherwise.
    from pypdf import PasswordType, PdfReader

    uploaded.seek(0)
    try:
        reader = PdfReader(uploaded)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ValidationError(
                "Le PDF est protégé par un mot de passe : déposez une version sans mot de passe."
            )
        pages = len(reader.pages)
        actif = _contenu_actif(reader)
    except ValidationError:
        raise
    except Exception as error:  # a hostile file makes pypdf fail in many ways
        raise ValidationError("Le PDF est illisible ou endommagé.") from error
    finally:
        uploaded.seek(0)
    if pages == 0:
        raise ValidationError("Le PDF ne contient aucune page.")
    if actif:
        raise ValidationError(
            f"Le PDF contient {actif} : il est refusé par sécurité. Enregistrez-le à nouveau en "
            "PDF simple (« Imprimer » puis « Enregistrer au format PDF ») ou en PDF/A, puis "
            "déposez-le."
        )


def _contenu_actif(reader) -> str | None:
    """What active content the document holds, if any: every object reachable from the
    trailer is visited once (names are decoded by pypdf: `/J#53` is `/JS`)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    vus: set[tuple[int, int]] = set()
    pile = [reader.trailer]
    while pile:
        objet = pile.pop()
        if isinstance(objet, IndirectObject):
            if (objet.idnum, objet.generation) in vus:
                continue
            vus.add((objet.idnum, objet.generation))
            objet = objet.get_object()
        if isinstance(objet, DictionaryObject):
            for cle, valeur in objet.items():
                if cle in CONTENUS_ACTIFS:
                    return CONTENUS_ACTIFS[cle]
                if (
                    cle in ("/S", "/Type")
                    and isinstance(valeur, NameObject)
                    and (valeur in ACTIONS_ACTIVES or valeur == "/EmbeddedFile")
                ):
                    return CONTENUS_ACTIFS.get(valeur, "une action automatique")
                pile.append(valeur)
        elif isinstance(objet, ArrayObject):
            pile.extend(objet)
    return None


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
