"""Classifying what a contact is about to a life event with the knowledge search, for doors without a
person to choose it (letters): one clear life event, or None when the text spreads over many."""

import pytest

from contactcentre import kennisbank
from contactcentre.firstline.services import contact_open, life_event_classify
from contactcentre.principal import SYSTEM
from contactcentre.registry.services import organisations_import
from lifeevents.services import kennisbank_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def knowledge_base():
    organisations_import(rows=kennisbank.load("organisations"))
    kennisbank_import(directory=kennisbank.KENNISBANK_DIR)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Betreft: verhuizing. Ik wil mijn nieuwe adres doorgeven aan de gemeente.", "verhuizen"),
        ("Ik ben mijn baan kwijt en wil een uitkering aanvragen", "werkloos"),
        ("Mijn vader is overleden, wat moet ik regelen?", "overlijden"),
        ("Hierbij stuur ik u de gevraagde kopie terug.", None),  # a few words in many articles
        ("Hierbij de gevraagde informatie", None),
        ("Met vriendelijke groet", None),  # nothing found at all
    ],
)
def test_a_text_is_classified_to_one_clear_life_event_or_none(text, slug):
    life_event = life_event_classify(text=text)
    assert (life_event.slug if life_event else None) == slug


def test_contact_open_records_the_life_event_only_when_asked():
    text = "Ik ben mijn baan kwijt en wil een uitkering aanvragen"
    asked = contact_open(channel="post", actor=SYSTEM, text=text, classify_text=text, external_id="a")
    not_asked = contact_open(channel="post", actor=SYSTEM, text=text, external_id="b")
    assert asked.contact.life_event.slug == "werkloos"
    assert not_asked.contact.life_event is None
