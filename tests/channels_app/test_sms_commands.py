"""Reading an SMS body (pure) and keeping replies GSM-7 within two segments."""

from datetime import date

import pytest

from channels_app.sms.commands import Intent, SmsCommand, sms_command_parse
from channels_app.sms.text import GSM7_BASIC, GSM7_EXTENSION, gsm7_fold, septets, sms_text


@pytest.mark.parametrize(
    "body", ["STOP", "stop", " Stop. ", "STOPALL", "unsubscribe", "CANCEL", "end", "QUIT", "afmelden"]
)
def test_opt_out_words(body):
    assert sms_command_parse(body).intent is Intent.OPT_OUT


@pytest.mark.parametrize("body", ["START", "start!", "YES", "unstop", "Aanmelden"])
def test_opt_in_words(body):
    assert sms_command_parse(body).intent is Intent.OPT_IN


@pytest.mark.parametrize("body", ["stop mijn uitkering", "ik wil stoppen", "start ik een bedrijf?", ""])
def test_a_keyword_inside_a_sentence_is_a_question(body):
    assert sms_command_parse(body).intent is Intent.QUESTION


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("STATUS Z-2026-1 1234", SmsCommand(Intent.STATUS, "STATUS Z-2026-1 1234", "Z-2026-1", "1234")),
        ("zaak z-2026-1 1234 ab", SmsCommand(Intent.STATUS, "zaak z-2026-1 1234 ab", "z-2026-1", "1234")),
        ("Status Z1 17-05-1980", SmsCommand(Intent.STATUS, "Status Z1 17-05-1980", "Z1", "", date(1980, 5, 17))),
        ("STATUS Z1 1980-05-17", SmsCommand(Intent.STATUS, "STATUS Z1 1980-05-17", "Z1", "", date(1980, 5, 17))),
        ("STATUS Z1 31-02-1980", SmsCommand(Intent.STATUS, "STATUS Z1 31-02-1980", "Z1")),
        ("STATUS Z1", SmsCommand(Intent.STATUS, "STATUS Z1", "Z1")),
        ("status", SmsCommand(Intent.STATUS, "status")),
        ("status bouwvergunning?", SmsCommand(Intent.QUESTION, "status bouwvergunning?")),
    ],
)
def test_status_commands(body, expected):
    command = sms_command_parse(body)
    assert command == expected
    assert command.status_complete is bool(expected.reference and (expected.postcode_digits or expected.date_of_birth))


def test_a_body_is_capped_at_what_twilio_delivers():
    assert len(sms_command_parse("a" * 5000).text) == 1600


def test_folding_keeps_gsm7_and_replaces_the_rest():
    assert gsm7_fold("Café “één” – ’s avonds… €5 ç ë") == 'Café "één" - \'s avonds... €5 c e'
    folded = gsm7_fold("Ĳsselmeer ŉ 日本 ë")
    assert set(folded) <= GSM7_BASIC | GSM7_EXTENSION
    assert folded == "IJsselmeer n  e"


def test_sms_text_fits_two_segments_and_ends_on_a_word():
    short = "Kort antwoord."
    assert sms_text(short) == short
    long = " ".join(["woord"] * 100)  # 599 septets
    cut = sms_text(long)
    assert septets(cut) <= 306
    assert cut.endswith("woord...")
    assert septets(sms_text("€" * 400)) <= 306  # two septets each
    assert septets(sms_text(long, reserve=50)) <= 256
