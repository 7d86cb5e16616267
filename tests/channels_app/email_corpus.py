"""An e-mail corpus built with the standard library's email package: each function answers the raw
bytes of one kind of message a contact centre receives. Shared by the parser, intake, endpoint and IMAP
tests; the expected values are spelled out in those tests."""

from datetime import UTC, datetime
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime

OURS = "contact@contactcentrum.example"
CITIZEN = "jan.jansen@voorbeeld.nl"
DATE = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def _headers(message, *, message_id: str, subject: str, sender: str = f"Jan Jansen <{CITIZEN}>", **extra) -> None:
    message["From"] = sender
    message["To"] = OURS
    message["Subject"] = subject
    message["Date"] = format_datetime(DATE)
    message["Message-ID"] = message_id
    for name, value in extra.items():
        message[name.replace("_", "-")] = value


def plain(
    *,
    message_id: str = "<plain-1@voorbeeld.nl>",
    subject: str = "Vraag over mijn verhuizing",
    body: str = "Goedemiddag,\n\nIk ben verhuisd naar Utrecht. Moet ik dat ook aan de gemeente doorgeven?\n",
    sender: str = f"Jan Jansen <{CITIZEN}>",
    **extra,
) -> bytes:
    message = EmailMessage()
    _headers(message, message_id=message_id, subject=subject, sender=sender, **extra)
    message.set_content(body)
    return message.as_bytes()


def latin1() -> bytes:
    """ISO-8859-1 body, quoted-printable, and an encoded-word subject and sender name."""
    message = EmailMessage()
    _headers(
        message,
        message_id="<latin1@voorbeeld.nl>",
        subject="Aanvraag Wmo: één vraag",
        sender="Renée Çelik <renee@voorbeeld.nl>",
    )
    message.set_content(
        "Geachte heer/mevrouw,\n\nIk heb een vraag over de Wmo-regeling: kan ik een scootmobiel aanvragen?"
        " Prijs ca. 250,- ¼\n",
        charset="iso-8859-1",
        cte="quoted-printable",
    )
    return message.as_bytes()


def windows1252_mislabelled() -> bytes:
    """Declared as an unknown charset, sent as UTF-8 (the fallback reads it)."""
    text = "Graag een afspraak. Mijn straat is de Ërfgoedstraat — nummer 5.\n"
    part = MIMEText(text, "plain", "utf-8")
    raw = part.as_bytes().replace(b'charset="utf-8"', b'charset="x-unknown-charset"')
    header = (
        f"From: {CITIZEN}\r\nTo: {OURS}\r\nSubject: Afspraak\r\nDate: {format_datetime(DATE)}\r\n"
        "Message-ID: <unknown-charset@voorbeeld.nl>\r\n"
    ).encode()
    return header + raw


def alternative() -> bytes:
    """multipart/alternative with text and HTML: the text part is the body."""
    message = EmailMessage()
    _headers(message, message_id="<alternative@voorbeeld.nl>", subject="Uitkering na ontslag")
    message.set_content("Ik ben ontslagen. Waar vraag ik een uitkering aan?\n")
    message.add_alternative("<p>Ik ben <b>ontslagen</b>. HTML-versie.</p>", subtype="html")
    return message.as_bytes()


def html_only() -> bytes:
    message = EmailMessage()
    _headers(message, message_id="<html-only@voorbeeld.nl>", subject="Geboorte aangeven")
    message.set_content(
        "<html><body><p>Beste gemeente,</p><p>Onze dochter is <b>geboren</b> op 1&nbsp;mei.</p>"
        "<ul><li>Naam: Sara</li></ul></body></html>",
        subtype="html",
    )
    return message.as_bytes()


def with_attachments() -> bytes:
    """A PDF (kept), an executable named like a PDF (refused by sniffing) and a PNG (kept)."""
    message = EmailMessage()
    _headers(message, message_id="<attachments@voorbeeld.nl>", subject="Bewijsstukken bijgevoegd")
    message.set_content("Hierbij de stukken.\n")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="loonstrook.pdf")
    message.add_attachment(EXE, maintype="application", subtype="pdf", filename="factuur.pdf")
    message.add_attachment(PNG, maintype="image", subtype="png", filename="../../foto.png")
    return message.as_bytes()


def forwarded_as_attachment() -> bytes:
    inner = EmailMessage()
    inner["From"] = "Belastingdienst <noreply@belastingdienst.example>"
    inner["To"] = CITIZEN
    inner["Subject"] = "Uw aanslag 2025"
    inner["Date"] = format_datetime(DATE)
    inner["Message-ID"] = "<inner@belastingdienst.example>"
    inner.set_content("U moet 120 euro betalen.\n")
    inner.add_attachment(PDF, maintype="application", subtype="pdf", filename="aanslag.pdf")
    outer = MIMEMultipart("mixed")
    _headers(outer, message_id="<forward@voorbeeld.nl>", subject="Fwd: Uw aanslag 2025")
    outer.attach(MIMEText("Klopt dit bedrag?\n", "plain", "utf-8"))
    wrapper = EmailMessage()
    wrapper.set_content(inner)
    outer.attach(wrapper)
    return outer.as_bytes()


def forwarded_inline() -> bytes:
    return plain(
        message_id="<forward-inline@voorbeeld.nl>",
        subject="Doorst: Uw aanvraag",
        body=(
            "Zie hieronder.\n\n"
            "---------- Doorgestuurd bericht ---------\n"
            "Van: Gemeente <info@gemeente.example>\n"
            "Datum: 3 mei 2026\n"
            "Onderwerp: Uw aanvraag\n"
            "Aan: jan.jansen@voorbeeld.nl\n\n"
            "Uw aanvraag is ontvangen.\n"
        ),
    )


def reply_with_history(*, in_reply_to: str, subject: str = "Re: Vraag over mijn verhuizing") -> bytes:
    body = (
        "Dank u, dan doe ik dat.\n\n"
        "Met vriendelijke groet,\nJan Jansen\n06-12345678\n\n"
        "Op 4 mei 2026 om 11:00 schreef Contactcentrum <contact@contactcentrum.example>:\n"
        "> Geachte heer Jansen,\n> Geef uw verhuizing door via Mijn omgeving.\n"
    )
    return plain(
        message_id="<reply-1@voorbeeld.nl>",
        subject=subject,
        body=body,
        In_Reply_To=in_reply_to,
        References=in_reply_to,
    )


def auto_reply(kind: str) -> bytes:
    """One automatic message per kind of marker."""
    headers = {
        "auto_submitted": {"Auto_Submitted": "auto-replied"},
        "precedence": {"Precedence": "bulk"},
        "x_loop": {"X_Loop": OURS},
        "mailing_list": {"List_Id": "<nieuws.voorbeeld.nl>"},
    }
    if kind == "mailer_daemon":
        return plain(
            message_id="<bounce@mx.voorbeeld.nl>",
            subject="Undelivered Mail Returned to Sender",
            body="This is the mail system. Your message could not be delivered.\n",
            sender="Mail Delivery System <MAILER-DAEMON@mx.voorbeeld.nl>",
        )
    if kind == "delivery_report":
        report = MIMEMultipart("report", report_type="delivery-status")
        _headers(
            report,
            message_id="<dsn@mx.voorbeeld.nl>",
            subject="Delivery Status Notification",
            sender="bounces@mx.voorbeeld.nl",
        )
        report.attach(MIMEText("Delivery failed.\n"))
        report.attach(MIMEApplication(b"Reporting-MTA: dns; mx.voorbeeld.nl\n", "delivery-status"))
        return report.as_bytes()
    return plain(
        message_id=f"<auto-{kind}@voorbeeld.nl>",
        subject="Afwezig: Vraag over mijn verhuizing",
        body="Ik ben afwezig tot 12 mei.\n",
        **headers[kind],
    )


# --- broken ----------------------------------------------------------------------------------------

BOUNDARY_MISSING = (
    b"From: jan.jansen@voorbeeld.nl\r\nSubject: kapot\r\nMessage-ID: <broken-1@voorbeeld.nl>\r\n"
    b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="XYZ"\r\n\r\nthe parts never start\r\n'
)
NO_BOUNDARY_PARAMETER = (
    b"From: jan.jansen@voorbeeld.nl\r\nSubject: kapot\r\nMessage-ID: <broken-2@voorbeeld.nl>\r\n"
    b"Content-Type: multipart/mixed\r\n\r\n--abc\r\nContent-Type: text/plain\r\n\r\nhi\r\n--abc--\r\n"
)
NO_SENDER = b"Subject: wie ben ik\r\nMessage-ID: <nosender@voorbeeld.nl>\r\n\r\nGeen afzender.\r\n"
GARBAGE = b"\x00\x01\x02 binary junk \xff\xfe"
