"""English next to Dutch: the API answers in the language asked for, and the English catalogue is complete."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")

LOOKUP_URL = "/api/v1/cases/lookup"
NO_SECOND_FACTOR = {"reference": "ZAAK-2026-000001"}
DUTCH = "Geef de vier cijfers van de postcode of de geboortedatum op."
ENGLISH = "Enter the four digits of the postcode or the date of birth."


def _po_entries(path: Path) -> list[dict]:
    """A tiny .po reader (polib is no project dependency): one dict per entry with its flags and its
    msgid/msgid_plural/msgstr/msgstr[n] strings, continuation lines joined and C escapes decoded."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = {"flags": set(), "fields": {}}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry["fields"][key] += ast.literal_eval(line)
            elif line.strip():
                key, _, value = line.partition(" ")
                entry["fields"][key] = ast.literal_eval(value)
        if "msgid" in entry["fields"]:
            entries.append(entry)
    return entries


def _messages() -> list[dict]:
    """All entries except the header (the one with an empty msgid)."""
    return [entry for entry in _po_entries(PO_PATH) if entry["fields"]["msgid"]]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, ENGLISH),
        ({"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}, ENGLISH),
        ({"HTTP_ACCEPT_LANGUAGE": "nl"}, DUTCH),
        ({"HTTP_ACCEPT_LANGUAGE": "fr"}, DUTCH),
        ({}, DUTCH),
    ],
)
def test_error_detail_follows_accept_language(client_with_scopes, headers, expected):
    http, _ = client_with_scopes(["cases:read"])
    response = http.post(LOOKUP_URL, NO_SECOND_FACTOR, format="json", **headers)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": "postcode_digits", "message": expected, "code": "invalid"}]
    assert response["Content-Language"] == ("en" if expected == ENGLISH else "nl")


def test_language_of_one_request_does_not_leak_into_the_next(client_with_scopes):
    http, _ = client_with_scopes(["cases:read"])
    http.post(LOOKUP_URL, NO_SECOND_FACTOR, format="json", HTTP_ACCEPT_LANGUAGE="en")
    response = http.post(LOOKUP_URL, NO_SECOND_FACTOR, format="json")
    assert response.json()["errors"][0]["message"] == DUTCH


def test_po_reader_sees_every_entry_and_its_flags(tmp_path):
    sample = tmp_path / "django.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "Zaak %(ref)s"\nmsgstr ""\n"Case "\n"%(ref)s"\n\n'
        'msgid "leeg"\nmsgstr ""\n',
        encoding="utf-8",
    )
    entries = _po_entries(sample)
    assert [entry["fields"] for entry in entries] == [
        {"msgid": "", "msgstr": "Language: en\n"},
        {"msgid": "Zaak %(ref)s", "msgstr": "Case %(ref)s"},
        {"msgid": "leeg", "msgstr": ""},
    ]
    assert entries[1]["flags"] == {"fuzzy", "python-format"}


def test_english_catalogue_is_complete_and_not_fuzzy():
    entries = _po_entries(PO_PATH)
    assert "fuzzy" not in entries[0]["flags"], "the header is fuzzy: gettext then ignores its charset/plural forms"
    messages = _messages()
    assert len(messages) >= 400
    untranslated = [
        entry["fields"]["msgid"]
        for entry in messages
        if any(not value for key, value in entry["fields"].items() if key.startswith("msgstr"))
    ]
    fuzzy = [entry["fields"]["msgid"] for entry in messages if "fuzzy" in entry["flags"]]
    assert untranslated == [], "run `make messages` and translate these in locale/en/LC_MESSAGES/django.po"
    assert fuzzy == [], "check these translations and remove the fuzzy flag"


def test_translations_keep_their_placeholders():
    wrong = []
    for entry in _messages():
        fields = entry["fields"]
        expected = sorted(PLACEHOLDER.findall(fields["msgid"]))
        for key, value in fields.items():
            if key.startswith("msgstr") and sorted(PLACEHOLDER.findall(value)) != expected:
                wrong.append(fields["msgid"])
    assert wrong == []


def test_compiled_catalogue_matches_the_po():
    """The .mo Django loads is the compiled current .po (catches an edit without `compilemessages`)."""
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        entry["fields"]["msgid"]
        for entry in _messages()
        if "msgstr" in entry["fields"] and compiled.gettext(entry["fields"]["msgid"]) != entry["fields"]["msgstr"]
    ]
    assert stale == []


@pytest.mark.parametrize(
    ("dutch", "english"),
    [
        ("Zaak niet gevonden.", "Case not found."),
        ("Klantcontactmedewerker", "Customer contact agent"),
        ("Dit is geen geldig BSN (elfproef).", "This is not a valid BSN (eleven check)."),
        ("Onbekende organisatie: %(code)s", "Unknown organisation: %(code)s"),
    ],
)
def test_django_translates_with_the_project_catalogue(dutch, english):
    with translation.override("en"):
        assert translation.gettext(dutch) == english
    with translation.override("nl"):
        assert translation.gettext(dutch) == dutch
