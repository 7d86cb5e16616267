"""Reading a scan: a PDF's text layer without OCR; otherwise OCR in Dutch (Tesseract) on a PNG, every
page of a TIFF and the page images of a PDF, with the BSN and the case reference read back exactly."""

import pytesseract
import pytest

from channels_app.scan import extract
from channels_app.scan.extract import ExtractionError, extract_text, sniff_type
from channels_app.scan.find import find_all
from tests.channels_app.scan_letters import (
    BSN,
    REFERENCE,
    as_image_pdf,
    as_png,
    as_tiff,
    needs_ocr,
    render,
    text_pdf,
)

PAGE_TWO = ["Bijlage bij mijn brief", "Kenmerk: ABC-2026-0042", "Graag ontvang ik een bevestiging."]


@pytest.fixture(scope="module")
def letter_image():
    return render()


def _read(content: bytes):
    return extract_text(content, max_pages=5, timeout=60)


@needs_ocr
def test_a_png_letter_is_read_back_by_ocr_in_dutch(letter_image):
    result = _read(as_png(letter_image))
    findings = find_all(result.text)
    assert (result.method, result.pages) == ("ocr", 1)
    assert findings.bsns == [BSN]
    assert findings.case_references == [REFERENCE]
    assert findings.postcodes == ["3511 AB"]
    assert "Betreft: verhuizing" in result.text
    assert result.confidence >= 80


@needs_ocr
def test_every_page_of_a_tiff_is_read(letter_image):
    result = _read(as_tiff(letter_image, render(PAGE_TWO)))
    findings = find_all(result.text)
    assert (result.method, result.pages) == ("ocr", 2)
    assert findings.bsns == [BSN]
    assert findings.case_references == [REFERENCE, "ABC-2026-0042"]
    assert result.text.index("verhuizing") < result.text.index("Bijlage")


@needs_ocr
def test_an_image_only_pdf_is_read_by_ocr(letter_image):
    result = _read(as_image_pdf(letter_image))
    findings = find_all(result.text)
    assert (result.method, result.pages) == ("ocr", 1)
    assert (findings.bsns, findings.case_references) == ([BSN], [REFERENCE])


def test_a_pdf_with_a_text_layer_is_read_without_ocr(monkeypatch):
    def no_ocr(*args, **kwargs):
        raise AssertionError("OCR must not run on a PDF with a text layer")

    monkeypatch.setattr(pytesseract, "image_to_data", no_ocr)
    result = _read(text_pdf())
    findings = find_all(result.text)
    assert (result.method, result.confidence, result.pages) == ("text_layer", 100.0, 1)
    assert (findings.bsns, findings.case_references) == ([BSN], [REFERENCE])


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "image/tiff"),
        (b"GIF89a\x01\x00", None),
        (b"\xff\xd8\xff\xe0", None),  # JPEG: not a scan format we take
        (b"<html><b", None),
        (b"", None),
    ],
)
def test_the_type_is_sniffed_from_the_magic_bytes(head, media_type):
    assert sniff_type(head) == media_type


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"GIF89a" + b"\x00" * 40, "unsupported_type"),
        (b"%PDF-1.4\nthis is no pdf at all", "pdf_unreadable"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image_unreadable"),
        (b"II*\x00" + b"\xff" * 40, "image_unreadable"),
    ],
)
@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_malformed_scans_end_in_a_clear_error(content, code):
    with pytest.raises(ExtractionError) as error:
        _read(content)
    assert error.value.code == code


def test_more_pages_than_allowed_are_refused_before_any_ocr(monkeypatch, letter_image):
    monkeypatch.setattr(pytesseract, "image_to_data", lambda *a, **k: pytest.fail("no OCR"))
    with pytest.raises(ExtractionError) as error:
        extract_text(as_tiff(letter_image, letter_image, letter_image), max_pages=2)
    assert error.value.code == "too_many_pages"
    with pytest.raises(ExtractionError) as error:
        extract_text(as_image_pdf(letter_image, letter_image, letter_image), max_pages=2)
    assert error.value.code == "too_many_pages"


def test_a_page_image_beyond_the_pixel_limit_is_not_decoded(monkeypatch, letter_image):
    monkeypatch.setattr(extract, "MAX_PIXELS", 1000)
    monkeypatch.setattr(pytesseract, "image_to_data", lambda *a, **k: pytest.fail("no OCR"))
    with pytest.raises(ExtractionError) as error:
        _read(as_png(letter_image))
    assert error.value.code == "image_too_large"


def test_missing_tesseract_is_its_own_error(monkeypatch, letter_image):
    def not_installed(*args, **kwargs):
        raise pytesseract.TesseractNotFoundError()

    monkeypatch.setattr(pytesseract, "image_to_data", not_installed)
    with pytest.raises(ExtractionError) as error:
        _read(as_png(letter_image))
    assert error.value.code == "ocr_unavailable"
