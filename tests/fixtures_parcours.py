"""Fixtures of a commune's journey, on the small France of tests/conftest.py (imported there,
so that every app's tests can build on a lauréate, its adhésion, a signed PDF)."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from conventions.enums import Avis
from conventions.services import candidatures as candidature_services
from conventions.services import conventions as convention_services


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def pdf():
    """A fresh upload of a real one-page PDF, under a name the server must not keep."""
    return lambda name="Convention signée (scan final).pdf": SimpleUploadedFile(
        name, pdf_bytes(), content_type="application/pdf"
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def laureates(monde, prefecture_58, region_27):
    """Clamecy and Armes (CC Haut Nivernais) are lauréates, through the real workflow."""
    candidature = candidature_services.create_candidature(
        by=prefecture_58,
        communes=[monde.clamecy, monde.armes],
        deposee_le=date(2020, 11, 2),
        presentation="Revitaliser le centre-bourg",
    )
    candidature_services.instruct_candidature(
        candidature=candidature, by=prefecture_58, avis=Avis.FAVORABLE, commentaire="Projet solide"
    )
    candidature_services.decide_candidature(
        candidature=candidature, by=region_27, retenue=True, decidee_le=date(2020, 12, 10)
    )
    return [monde.clamecy, monde.armes]


@pytest.fixture
def adhesion(laureates, prefecture_58):
    """Their convention d'adhésion, in preparation."""
    return convention_services.create_convention_adhesion(
        by=prefecture_58, communes=laureates, presidence_comite="maires_epci"
    )


@pytest.fixture
def adhesion_signee(adhesion, prefecture_58, pdf):
    return convention_services.sign_convention(
        convention=adhesion, by=prefecture_58, signee_le=date(2021, 6, 21), document=pdf()
    )
