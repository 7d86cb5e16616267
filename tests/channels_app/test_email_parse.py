"""The e-mail parser on a corpus built with the standard library: charsets, multipart, HTML-only,
forwarded, auto-replies, a reply with quoted history and signature, and broken MIME."""

from datetime import UTC, datetime

import pytest

from channels_app.email.parse import UnparseableEmail, email_parse, raw_sha256, reply_text_of
from tests.channels_app import email_corpus as corpus

OWN = frozenset({corpus.OURS})
LIMIT = 1_000_000


def parse(raw: bytes):
    return email_parse(raw, max_bytes=LIMIT, own_addresses=OWN)


def test_plain_utf8_message_gives_every_header_and_its_text():
    raw = corpus.plain()
    parsed = parse(raw)
    assert parsed.message_id == "<plain-1@voorbeeld.nl>"
    assert (parsed.from_address, parsed.from_name) == ("jan.jansen@voorbeeld.nl", "Jan Jansen")
    assert parsed.to == ("contact@contactcentrum.example",)
    assert parsed.subject == "Vraag over mijn verhuizing"
    assert parsed.date == datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
    assert parsed.text == "Goedemiddag,\n\nIk ben verhuisd naar Utrecht. Moet ik dat ook aan de gemeente doorgeven?"
    assert parsed.reply_text == parsed.text
    assert (parsed.html_only, parsed.is_forward, parsed.auto_reply_reason) == (False, False, "")
    assert parsed.attachments == []
    assert (parsed.sha256, parsed.size) == (raw_sha256(raw), len(raw))


def test_latin1_quoted_printable_body_and_encoded_word_headers_are_decoded():
    parsed = parse(corpus.latin1())
    assert parsed.subject == "Aanvraag Wmo: één vraag"
    assert (parsed.from_name, parsed.from_address) == ("Renée Çelik", "renee@voorbeeld.nl")
    assert parsed.text == (
        "Geachte heer/mevrouw,\n\nIk heb een vraag over de Wmo-regeling: kan ik een scootmobiel aanvragen?"
        " Prijs ca. 250,- ¼"
    )


def test_an_unknown_charset_falls_back_to_utf8_instead_of_failing():
    parsed = parse(corpus.windows1252_mislabelled())
    assert parsed.text == "Graag een afspraak. Mijn straat is de Ërfgoedstraat — nummer 5."
    assert parsed.from_name == ""


def test_multipart_alternative_prefers_the_text_part():
    parsed = parse(corpus.alternative())
    assert parsed.text == "Ik ben ontslagen. Waar vraag ik een uitkering aan?"
    assert parsed.html_only is False
    assert parsed.attachments == []  # the HTML alternative is not a file


def test_html_only_message_is_converted_to_text():
    parsed = parse(corpus.html_only())
    assert parsed.html_only is True
    assert parsed.text == "Beste gemeente,\n\nOnze dochter is geboren op 1 mei.\n\n  * Naam: Sara"


def test_attachments_are_listed_with_declared_type_and_content_and_no_path_in_the_name():
    parsed = parse(corpus.with_attachments())
    assert parsed.text == "Hierbij de stukken."
    assert [(a.filename, a.declared_type, a.content) for a in parsed.attachments] == [
        ("loonstrook.pdf", "application/pdf", corpus.PDF),
        ("factuur.pdf", "application/pdf", corpus.EXE),
        ("foto.png", "image/png", corpus.PNG),
    ]


def test_a_message_forwarded_as_attachment_adds_its_text_and_its_files():
    parsed = parse(corpus.forwarded_as_attachment())
    assert parsed.is_forward is True
    assert parsed.text == (
        "Klopt dit bedrag?\n\n---------- Doorgestuurd bericht ----------\n"
        "Van: Belastingdienst <noreply@belastingdienst.example>\n"
        "Datum: Mon, 04 May 2026 09:30:00 +0000\nOnderwerp: Uw aanslag 2025\n\nU moet 120 euro betalen."
    )
    assert parsed.reply_text == parsed.text  # the forwarded message is the substance: nothing stripped
    assert [(a.filename, a.content) for a in parsed.attachments] == [("aanslag.pdf", corpus.PDF)]


def test_an_inline_forward_keeps_the_forwarded_text_for_the_agent():
    parsed = parse(corpus.forwarded_inline())
    assert parsed.is_forward is True
    assert parsed.reply_text.startswith("Zie hieronder.\n\n---------- Doorgestuurd bericht ---------\nVan: Gemeente")
    assert parsed.reply_text.endswith("Uw aanvraag is ontvangen.")


def test_a_reply_names_its_thread_and_loses_quoted_history_and_signature_for_the_agent():
    parsed = parse(corpus.reply_with_history(in_reply_to="<out-1@contactcentrum.example>"))
    assert parsed.in_reply_to == ("<out-1@contactcentrum.example>",)
    assert parsed.references == ("<out-1@contactcentrum.example>",)
    assert parsed.thread_ids == ("<out-1@contactcentrum.example>",)
    assert parsed.reply_text == "Dank u, dan doe ik dat."
    assert "Op 4 mei 2026 om 11:00 schreef" in parsed.text  # the full text is kept


def test_thread_ids_are_in_reply_to_first_then_references_newest_first():
    raw = corpus.plain(In_Reply_To="<c@x.nl>", References="<a@x.nl> <b@x.nl> <c@x.nl>")
    assert parse(raw).thread_ids == ("<c@x.nl>", "<b@x.nl>", "<a@x.nl>")


def test_english_quote_header_and_dash_signature_are_stripped():
    text = (
        "Thanks, that works.\n\n-- \nJohn Smith\nPhone 123\n\nOn Mon, 4 May 2026 at 10:00, Desk <d@x.nl> wrote:\n> hi\n"
    )
    assert reply_text_of(text) == "Thanks, that works."


def test_outlook_header_block_is_stripped():
    text = (
        "Prima, bedankt.\n\nVan: Contactcentrum <contact@contactcentrum.example>\nVerzonden: maandag 4 mei 2026 10:00\n"
        "Aan: Jan\nOnderwerp: Uw vraag\n\nGeachte heer,\n"
    )
    assert reply_text_of(text) == "Prima, bedankt."


@pytest.mark.parametrize(
    "kind", ["auto_submitted", "precedence", "x_loop", "mailing_list", "mailer_daemon", "delivery_report"]
)
def test_automatic_messages_say_why(kind):
    assert parse(corpus.auto_reply(kind)).auto_reply_reason == kind


def test_auto_submitted_no_is_a_person_writing():
    assert parse(corpus.plain(Auto_Submitted="no")).auto_reply_reason == ""


def test_mail_from_our_own_address_is_a_loop():
    assert parse(corpus.plain(sender=f"Contactcentrum <{corpus.OURS}>")).auto_reply_reason == "x_loop"


def test_a_message_without_message_id_gets_one_from_its_content():
    raw = corpus.plain().replace(b"Message-ID: <plain-1@voorbeeld.nl>\n", b"")
    assert parse(raw).message_id == f"<{raw_sha256(raw)}@message-id.missing>"


@pytest.mark.parametrize(
    ("raw", "reason", "detail"),
    [
        (corpus.BOUNDARY_MISSING, "broken_mime", "MultipartInvariantViolationDefect, StartBoundaryNotFoundDefect"),
        (corpus.NO_BOUNDARY_PARAMETER, "broken_mime", "MultipartInvariantViolationDefect, NoBoundaryInMultipartDefect"),
        (corpus.NO_SENDER, "no_sender", "no From header"),
        (corpus.GARBAGE, "no_sender", "no From header"),
        (corpus.plain(sender="Jan zonder adres"), "no_sender", "From has no valid address"),
        (b"", "empty", ""),
        (b" \r\n\r\n", "empty", ""),
    ],
)
def test_unreadable_messages_raise_with_their_reason(raw, reason, detail):
    with pytest.raises(UnparseableEmail) as caught:
        parse(raw)
    assert (caught.value.reason, caught.value.detail) == (reason, detail)


def test_a_message_over_the_limit_is_refused_before_parsing():
    raw = corpus.plain()
    with pytest.raises(UnparseableEmail) as caught:
        email_parse(raw, max_bytes=len(raw) - 1)
    assert (caught.value.reason, caught.value.detail) == ("too_large", f"{len(raw)} bytes, limit {len(raw) - 1}")
    assert email_parse(raw, max_bytes=len(raw)).message_id == "<plain-1@voorbeeld.nl>"


def test_nul_characters_never_reach_the_database():
    """A UTF-16 body declared as Latin-1 decodes to text full of NULs; a header may carry one too."""
    body = "Hallo".encode("utf-16-le")
    raw = (
        b"From: jan.jansen@voorbeeld.nl\r\nSubject: a\x00b\r\nMessage-ID: <n\x00ul@voorbeeld.nl>\r\n"
        b"Content-Type: text/plain; charset=latin-1\r\n\r\n" + body + b"\r\n"
    )
    parsed = parse(raw)
    assert (parsed.text, parsed.subject) == ("Hallo", "ab")
    assert parsed.message_id == f"<{raw_sha256(raw)}@message-id.missing>"


@pytest.mark.parametrize(
    "sender", ["jan@@voorbeeld.nl", "jan@voorbeeld", "<>", "x" * 250 + "@voorbeeld.nl", "jan@voor beeld.nl"]
)
def test_a_sender_address_the_registry_would_refuse_is_no_sender(sender):
    raw = b"From: " + sender.encode() + b"\r\nSubject: x\r\n\r\ntekst\r\n"
    with pytest.raises(UnparseableEmail) as caught:
        parse(raw)
    assert caught.value.reason == "no_sender"


def test_the_stripper_reads_long_lines_broken_and_a_bounded_prefix_while_the_full_text_is_kept():
    paragraph = "woord " * 400  # one line of 2,400 characters
    parsed = parse(corpus.plain(body=paragraph + "\n"))

    assert parsed.text == paragraph.strip()
    assert [len(line) for line in parsed.reply_text.split("\n")] == [995, 995, 407]
    assert parsed.reply_text.replace("\n", " ") == paragraph.strip()
    long_text = "Op maandag 4 mei 2026 schreef " * 2_000  # the line that once took 108 s
    assert reply_text_of(long_text).replace("\n", " ") == long_text[:20_000].strip()
