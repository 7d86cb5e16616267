"""Letters for the scan tests: a Dutch letter rendered to an image with a TrueType font (as PNG, as a
multi-page TIFF, as an image-only PDF) and a PDF with a real text layer. The `scan_dirs` fixture
(conftest.py) gives each test its own originals' storage and watched folder."""

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core
BSN = "111222333"  # valid by the elfproef, and nobody's
REFERENCE = "Z2612345678"  # the first line's own reference format: Z, the year, eight digits

LETTER = [
    "J. de Vries",
    "Dorpsstraat 12",
    "3511 AB Utrecht",
    "Utrecht, 5 maart 2026",
    "Betreft: verhuizing",
    f"Zaaknummer: {REFERENCE}",
    f"BSN: {BSN[:3]} {BSN[3:6]} {BSN[6:]}",
    "Geachte heer, mevrouw,",
    "Op 1 april 2026 verhuis ik naar een nieuw adres.",
    "Ik wil mijn verhuizing doorgeven aan de gemeente.",
    "Met vriendelijke groet,",
]


def _tesseract_with_dutch() -> bool:
    if shutil.which("tesseract") is None:
        return False
    import pytesseract

    return "nld" in pytesseract.get_languages(config="")


needs_ocr = pytest.mark.skipif(
    not (_tesseract_with_dutch() and FONT.exists()),
    reason="needs Debian's tesseract-ocr, tesseract-ocr-nld and fonts-dejavu-core (`make system-packages`)",
)


def render(lines=LETTER, *, size: int = 26, noise: bool = False) -> Image.Image:
    """The letter as a scanner would see it: black text on a white page at about 150 dpi."""
    font = ImageFont.truetype(str(FONT), size)
    image = Image.new("L", (1100, 90 + len(lines) * int(size * 1.7)), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((60, 50 + number * int(size * 1.7)), line, font=font, fill=0)
    if noise:  # a bad scan: grey speckles over faint text
        import random

        speckles = random.Random(7)  # noqa: S311 - a fixed pattern, not a secret
        for _ in range(image.width * image.height // 4):
            image.putpixel((speckles.randrange(image.width), speckles.randrange(image.height)), speckles.randrange(256))
    return image


def as_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def as_tiff(*pages: Image.Image) -> bytes:
    """A multi-page, bilevel (CCITT G4) TIFF, as document scanners write them."""
    bilevel = [page.convert("1") for page in pages]
    buffer = io.BytesIO()
    bilevel[0].save(buffer, "TIFF", save_all=True, append_images=bilevel[1:], compression="group4")
    return buffer.getvalue()


def as_image_pdf(*pages: Image.Image) -> bytes:
    """A PDF that is only page images, no text layer: what a scanner without OCR makes."""
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=list(pages[1:]), resolution=150)
    return buffer.getvalue()


def text_pdf(lines=LETTER) -> bytes:
    """A one-page PDF with a text layer (Helvetica, drawn as text): its text is read without OCR."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    operations = "BT /F1 12 Tf 16 TL 60 780 Td " + " ".join(f"({line}) Tj T*" for line in escaped) + " ET"
    content = StreamObject()
    content.set_data(operations.encode("latin-1"))
    page.replace_contents(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def stored_files(storage: Path) -> list[Path]:
    return sorted(path for path in storage.rglob("*") if path.is_file()) if storage.exists() else []
