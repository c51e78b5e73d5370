"""PDFs draw every name: the font is DejaVu Sans shipped with the project (npm package
dejavu-fonts-ttf), embedded in the file, never the operating system's and never Helvetica."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFont

from modules import pdf

NAME = "Łucja Ŵyn"


def _certificate(holder_name: str) -> bytes:
    return pdf.certificate_pdf(
        holder_name=holder_name,
        module_title="Supporting parents after separation at birth",
        completed_on=date(2026, 1, 15),
        cpd_minutes=90,
        code="HH-ABCD-EFGH-JKLM",
        verify_url="https://hope.example.nhs.uk/certificates/HH-ABCD-EFGH-JKLM/",
        issued_on=date(2026, 1, 15),
    )


def _embedded_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                names.add(str(font["/BaseFont"]))
    return names


def test_font_comes_from_the_npm_package_and_has_the_glyphs():
    folder = pdf.font_dir()
    assert folder.parts[-3:] == ("node_modules", "dejavu-fonts-ttf", "ttf")
    font = TTFont("GlyphCheck", str(folder / "DejaVuSans.ttf"))
    cmap = font.face.charToGlyph
    for letter in "ŁŵŷŴŶâ":
        assert ord(letter) in cmap, letter


def test_certificate_embeds_dejavu_and_the_name_survives_extraction():
    reader = PdfReader(io.BytesIO(_certificate(NAME)))
    fonts = _embedded_fonts(reader)
    # Subset names: "/AAAAAA+DejaVuSans" and "/AAAAAA+DejaVuSans-Bold".
    assert {name.split("+")[-1] for name in fonts} == {"DejaVuSans", "DejaVuSans-Bold"}, fonts
    assert not any("Helvetica" in name for name in fonts)
    text = reader.pages[0].extract_text()
    assert NAME in text
    assert "Siân" not in text  # the extraction is of this document, not a constant


def test_welsh_circumflex_letters_survive_in_a_certificate():
    reader = PdfReader(io.BytesIO(_certificate("Siân ap Ŷwain")))
    assert "Siân ap Ŷwain" in reader.pages[0].extract_text()


def test_missing_fonts_fail_loudly_instead_of_falling_back(tmp_path):
    pdf._fonts.cache_clear()
    try:
        with (
            override_settings(HOPE_PDF_FONT_DIR=str(tmp_path)),
            pytest.raises(ImproperlyConfigured, match="npm ci"),
        ):
            _certificate(NAME)
    finally:
        pdf._fonts.cache_clear()


def test_a_welsh_learners_certificate_is_in_welsh_with_the_font_embedded():
    """Built by the certificate task (no page, no language of its own), for a holder who chose
    Welsh: the words are Welsh, ŵ and ŷ survive and the font is embedded."""
    from django.utils import timezone, translation

    from learning.models import User
    from modules.certificates.services import certificate_pdf_bytes
    from modules.models import Certificate

    certificate = Certificate(
        user=User(language="cy"),
        holder_name="Gwenllian Ŵyn",
        module_title="Cefnogi teuluoedd yn y tŷ",
        completed_on=date(2026, 12, 2),
        cpd_minutes=90,
        code="HH-ABCD-EFGH-JKLM",
        issued_at=timezone.now(),
    )
    with translation.override("en-gb"):
        reader = PdfReader(io.BytesIO(certificate_pdf_bytes(certificate)))
    text = reader.pages[0].extract_text()
    assert "Tystysgrif cwblhau" in text  # "Certificate of completion"
    assert "wedi cwblhau'r modiwl dysgu ar-lein" in text
    assert "2 Rhagfyr 2026" in text  # the project's date, in Welsh
    assert "Certificate of completion" not in text
    assert "ŵ" in text.lower() and "tŷ" in text
    fonts = _embedded_fonts(reader)
    assert {name.split("+")[-1] for name in fonts} == {"DejaVuSans", "DejaVuSans-Bold"}, fonts
