"""My preferences: the channel and language go through the base-data change service within the
single-source rules; e-mail or SMS only with a verified address; the language chosen is the portal's
language from then on (and from the next sign-in)."""

import pytest
from django.conf import settings
from django.utils import timezone

from contactcentre.registry.models import BaseDataChange, Consent, DataSourceRule, DigitalAddress, Party
from contactcentre.registry.services import data_source_rules_seed
from tests.casemanagement.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rules(settings):
    settings.DEMO_MODE = True
    data_source_rules_seed()


def _sign_in(client, person):
    response = client.post("/mijn/inloggen/", {"person": person.pk})
    assert response.status_code == 302
    return response


def _verified(person, kind, value):
    DigitalAddress.objects.create(party=person, kind=kind, value=value, is_default=True, verified_at=timezone.now())


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, method):
    response = getattr(client, method)("/mijn/voorkeuren/", {"channel": "portal", "language": "en"})
    assert (response.status_code, response["Location"]) == (302, "/mijn/inloggen/?next=/mijn/voorkeuren/")
    assert BaseDataChange.objects.count() == 0


def test_the_page_shows_my_current_preferences(client):
    me = PersonFactory(preferred_channel="letter", preferred_language="nl")
    _sign_in(client, me)
    html = client.get("/mijn/voorkeuren/").content.decode()
    assert 'id="kanaal-letter" name="channel" value="letter" checked' in html
    assert 'value="nl" lang="nl" checked' in html


def test_channel_and_language_are_changed_through_the_rules_and_the_portal_speaks_it(client):
    me = PersonFactory(preferred_channel="letter", preferred_language="nl")
    _sign_in(client, me)
    response = client.post("/mijn/voorkeuren/", {"channel": "portal", "language": "en"})
    assert response["Location"] == "/mijn/voorkeuren/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    me.refresh_from_db()
    assert (me.preferred_channel, me.preferred_language) == ("portal", "en")
    changes = BaseDataChange.objects.order_by("attribute")
    assert [
        (change.attribute, change.new_value, change.status, change.channel, change.assurance, change.actor_type)
        for change in changes
    ] == [
        ("preferred_channel", "portal", "applied", "portal", "substantial", "citizen"),
        ("preferred_language", "en", "applied", "portal", "substantial", "citizen"),
    ]
    page = client.get("/mijn/voorkeuren/").content.decode()
    assert '<html lang="en">' in page


def test_nothing_unchanged_is_recorded_as_a_change(client):
    me = PersonFactory(preferred_channel="portal", preferred_language="nl")
    _sign_in(client, me)
    assert client.post("/mijn/voorkeuren/", {"channel": "portal", "language": "nl"}).status_code == 302
    assert BaseDataChange.objects.count() == 0


@pytest.mark.parametrize(
    ("channel", "message"),
    [
        ("email", "U heeft nog geen gecontroleerd e-mailadres."),
        ("sms", "U heeft nog geen gecontroleerd telefoonnummer."),
    ],
)
def test_email_or_sms_without_a_verified_address_is_explained_and_not_saved(client, channel, message):
    me = PersonFactory(preferred_channel="letter")
    DigitalAddress.objects.create(party=me, kind="email", value="niet@gecontroleerd.nl", is_default=True)
    DigitalAddress.objects.create(party=me, kind="phone", value="+31612345678", is_default=True)
    _sign_in(client, me)
    response = client.post("/mijn/voorkeuren/", {"channel": channel, "language": "nl"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Party.objects.get(pk=me.pk).preferred_channel == "letter"
    assert BaseDataChange.objects.count() == 0


def test_email_with_a_verified_address_is_saved_and_the_missing_consent_is_pointed_out(client):
    me = PersonFactory(preferred_channel="letter")
    _verified(me, "email", "fatima@example.nl")
    _sign_in(client, me)
    response = client.post("/mijn/voorkeuren/", {"channel": "email", "language": "nl"}, follow=True)
    html = response.content.decode()
    assert "Uw voorkeuren zijn opgeslagen." in html
    assert "zodra u daarvoor toestemming geeft" in html
    assert Party.objects.get(pk=me.pk).preferred_channel == "email"


def test_sms_with_a_verified_number_and_consent_needs_no_hint(client):
    me = PersonFactory(preferred_channel="letter")
    _verified(me, "phone", "+31612345678")
    Consent.objects.create(
        party=me, purpose="sms_notifications", granted=True, channel="portal", changed_at=timezone.now()
    )
    _sign_in(client, me)
    html = client.post("/mijn/voorkeuren/", {"channel": "sms", "language": "nl"}, follow=True).content.decode()
    assert "Uw voorkeuren zijn opgeslagen." in html and "zodra u daarvoor toestemming geeft" not in html


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"channel": "counter", "language": "nl"},
            'id="fout-kanaal"',
        ),  # the registry knows it; no message travels by it
        ({"channel": "duif", "language": "nl"}, 'id="fout-kanaal"'),
        ({"channel": "portal", "language": "de"}, 'id="fout-taal"'),  # a registry language the site does not speak
        ({}, 'id="fout-kanaal"'),
    ],
)
def test_values_not_offered_are_refused(client, data, field):
    me = PersonFactory(preferred_channel="letter", preferred_language="nl")
    _sign_in(client, me)
    response = client.post("/mijn/voorkeuren/", data)
    assert response.status_code == 400
    assert field in response.content.decode()
    assert BaseDataChange.objects.count() == 0


def test_a_rule_that_keeps_the_first_line_out_is_shown_and_nothing_changes(client):
    DataSourceRule.objects.filter(attribute="preferred_channel").update(
        first_line_may_change=False, citizen_instruction="Bel de gemeente."
    )
    me = PersonFactory(preferred_channel="letter")
    _sign_in(client, me)
    response = client.post("/mijn/voorkeuren/", {"channel": "portal", "language": "nl"})
    assert response.status_code == 400
    assert "Bel de gemeente." in response.content.decode()
    assert Party.objects.get(pk=me.pk).preferred_channel == "letter"


def test_signing_in_switches_the_portal_to_my_language(client):
    english = PersonFactory(preferred_language="en")
    assert _sign_in(client, english).cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    client.post("/mijn/uitloggen/")
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    frisian = PersonFactory(preferred_language="fy")  # not a language of the site: left alone
    assert settings.LANGUAGE_COOKIE_NAME not in _sign_in(client, frisian).cookies
