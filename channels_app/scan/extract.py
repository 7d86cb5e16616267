"""Text out of a scanned letter: a PDF's own text layer (pypdf) or, failing that, OCR in Dutch with
Tesseract (pytesseract) on the PDF's page images, a PNG or every page of a TIFF.

Pure: bytes in, an `Extraction` out, nothing stored or logged (the text holds personal data). The
type is decided by the content's first bytes, never by a file name. Work is bounded: at most
`max_pages` pages, at most MAX_PIXELS pixels a page, and Tesseract's own timeout a page.
"""

import io
from dataclasses import dataclass

import pypdf
import pytesseract
from PIL import Image, ImageSequence, UnidentifiedImageError
from pypdf.errors import PyPdfError

PDF, PNG, TIFF = "application/pdf", "image/png", "image/tiff"
_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"II*\x00", TIFF),  # little-endian TIFF
    (b"MM\x00*", TIFF),  # big-endian TIFF
)
OCR_LANGUAGE = "nld"
TEXT_LAYER, OCR = "text_layer", "ocr"
# A page image larger than this (an A4 page at 600 dpi is 35 million) is refused rather than decoded.
MAX_PIXELS = 60_000_000
# A text layer with fewer letters and digits than this per page is a scanner's stamp, not the letter.
MIN_TEXT_LAYER_CHARACTERS = 20


class ExtractionError(Exception):
    """The scan cannot be read. `code` is short and holds no content of the letter."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Extraction:
    text: str
    method: str  # TEXT_LAYER or OCR
    confidence: float  # mean word confidence 0-100 over the pages (a text layer: 100)
    pages: int


def sniff_type(head: bytes) -> str | None:
    """The media type of a scan by its magic bytes: PDF, PNG or TIFF; None for anything else."""
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    return None


def extract_text(content: bytes, *, max_pages: int, timeout: int = 0) -> Extraction:
    media_type = sniff_type(content[:8])
    if media_type == PDF:
        return _from_pdf(content, max_pages=max_pages, timeout=timeout)
    if media_type in (PNG, TIFF):
        try:
            with Image.open(io.BytesIO(content)) as image:
                pages = [_ocr(frame, timeout=timeout) for frame in _frames(image, max_pages)]
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
            raise ExtractionError("image_unreadable") from error
        return _combined(pages)
    raise ExtractionError("unsupported_type")


def _from_pdf(content: bytes, *, max_pages: int, timeout: int) -> Extraction:
    try:
        reader = pypdf.PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError("pdf_encrypted")
        pages = list(reader.pages[:max_pages])
        if len(reader.pages) > max_pages:
            raise ExtractionError("too_many_pages")
        layer = [page.extract_text() or "" for page in pages]
        if sum(ch.isalnum() for text in layer for ch in text) >= MIN_TEXT_LAYER_CHARACTERS * len(pages):
            return Extraction(text=_joined(layer), method=TEXT_LAYER, confidence=100.0, pages=len(pages))
        # A scanner's PDF is one image a page (or a few strips of one): read them in order.
        results = []
        for page in pages:
            for embedded in page.images:
                with Image.open(io.BytesIO(embedded.data)) as image:
                    results.append(_ocr(image, timeout=timeout))
    except (PyPdfError, UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, KeyError) as error:
        raise ExtractionError("pdf_unreadable") from error
    if not results:
        raise ExtractionError("no_text")
    return _combined(results, page_count=len(pages))


def _frames(image: Image.Image, max_pages: int):
    frames = getattr(image, "n_frames", 1)
    if frames > max_pages:
        raise ExtractionError("too_many_pages")
    yield from ImageSequence.Iterator(image)


@dataclass(frozen=True)
class _Page:
    text: str
    confidences: list[float]


def _ocr(image: Image.Image, *, timeout: int) -> _Page:
    """One page through Tesseract in Dutch: its text line by line, and each word's confidence."""
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ExtractionError("image_too_large")
    grey = image.convert("L")  # palette, 1-bit and colour scans alike
    try:
        data = pytesseract.image_to_data(grey, lang=OCR_LANGUAGE, output_type=pytesseract.Output.DICT, timeout=timeout)
    except pytesseract.TesseractNotFoundError as error:
        raise ExtractionError("ocr_unavailable") from error
    except pytesseract.TesseractError as error:
        raise ExtractionError("ocr_failed") from error
    except RuntimeError as error:  # pytesseract's timeout (TesseractError, caught above, is one too)
        raise ExtractionError("ocr_timeout") from error
    lines: dict[tuple, list[str]] = {}
    confidences = []
    for index, word in enumerate(data["text"]):
        word = word.strip()
        confidence = float(data["conf"][index])
        if not word or confidence < 0:
            continue
        key = (data["page_num"][index], data["block_num"][index], data["par_num"][index], data["line_num"][index])
        lines.setdefault(key, []).append(word)
        confidences.append(confidence)
    return _Page(text="\n".join(" ".join(words) for words in lines.values()), confidences=confidences)


def _combined(pages: list[_Page], *, page_count: int | None = None) -> Extraction:
    """OCR results as one extraction; `page_count` when a page held several images (or none)."""
    count = len(pages) if page_count is None else page_count
    confidences = [c for page in pages for c in page.confidences]
    mean = round(sum(confidences) / len(confidences), 1) if confidences else 0.0
    return Extraction(text=_joined([page.text for page in pages]), method=OCR, confidence=mean, pages=count)


def _joined(texts: list[str]) -> str:
    return "\n\n".join(text.strip() for text in texts if text.strip())
