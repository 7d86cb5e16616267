"""What the contact workspace's tests share: a signed-in staff member, a contact of theirs, a person
with a phone number, and the URLs of the workspace's actions."""

import re

from django.urls import reverse
from django.utils import timezone

from contactcentre.interactions.models import Channel
from contactcentre.interactions.services import contact_moment_record
from contactcentre.registry.models import DigitalAddress
from tests.casemanagement.factories import PersonFactory
from tests.factories import UserFactory, staff

PHONE = "+31612345678"
HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(client, role, **kwargs):
    user = UserFactory(role=role, **kwargs)
    client.force_login(user)
    return user


def contact_of(agent, party=None, channel=Channel.PHONE):
    contact, _created = contact_moment_record(channel=channel, actor=staff(agent), party=party, agent=agent)
    return contact


def person_with_phone(phone=PHONE, **kwargs):
    person = PersonFactory(**kwargs)
    DigitalAddress.objects.create(party=person, kind="phone", value=phone, is_default=True, verified_at=timezone.now())
    return person


def action_url(name: str, contact) -> str:
    return reverse(f"console-contact-{name}", args=[contact.pk])


SENT_CODES: list[dict] = []


def fake_sender(*, challenge, channel, recipient, body):
    """REGISTRY_VERIFICATION_SENDER for tests: the code the message carries, kept here."""
    SENT_CODES.append({"recipient": recipient, "code": re.search(r"\b(\d{6})\b", body).group(1)})
