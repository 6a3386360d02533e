import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conventions.models import ConventionAdhesion
from pvd.documents import PDF_MAX_SIZE, validate_pdf
from tests.fixtures_parcours import pdf_bytes


class Sized(SimpleUploadedFile):
    """An upload that claims a size without holding the bytes."""

    def __init__(self, size):
        super().__init__("gros.pdf", b"%PDF-1.7\n", content_type="application/pdf")
        self.size = size


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("vide.pdf", b""), "vide"),
        (
            SimpleUploadedFile("page.pdf", b"<html><script>alert(1)</script></html>"),
            "n’est pas un PDF",
        ),
        (SimpleUploadedFile("faux.pdf", b"%PDF-1.7\nceci n'est pas un PDF"), "illisible"),
        (SimpleUploadedFile("scan.jpg.pdf", b"\xff\xd8\xff\xe0JFIF"), "n’est pas un PDF"),
        (Sized(PDF_MAX_SIZE + 1), "20 Mo au plus"),
    ],
)
def test_anything_but_a_readable_pdf_is_refused_with_a_french_message(upload, message):
    with pytest.raises(ValidationError, match=message):
        validate_pdf(upload)


def test_a_real_pdf_is_accepted_whatever_its_name():
    validate_pdf(SimpleUploadedFile("convention", pdf_bytes()))


def test_a_bad_upload_leaves_the_convention_unsigned(client, adhesion, prefecture_58):
    client.force_login(prefecture_58)

    response = client.post(
        reverse("conventions:convention_sign", args=["adhesion", adhesion.pk]),
        {
            "signee_le": "2021-06-21",
            "version": adhesion.version,
            "document": SimpleUploadedFile("convention.pdf", b"<html></html>"),
        },
    )

    assert response.status_code == 200
    assert "n’est pas un PDF" in response.text
    assert ConventionAdhesion.objects.get().etat == "en_preparation"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("prefecture_58", 200),
        ("commune_clamecy", 200),
        ("epci_haut_nivernais", 200),
        ("anct", 200),
        ("region_27", 200),
        ("prefecture_07", 404),
        ("anonyme", 302),
    ],
)
def test_the_signed_pdf_is_downloadable_only_inside_the_perimeter(
    as_persona, adhesion_signee, persona, status
):
    response = as_persona(persona).get(
        reverse("conventions:convention_document", args=["adhesion", adhesion_signee.pk])
    )

    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    response.close()
