import pytest

from casemanagement.models import Confidentiality
from casemanagement.services import case_types_import
from contactcentre import kennisbank
from contactcentre.errors import ValidationFailed
from contactcentre.firstline.services import IdentityClaim, contact_open
from contactcentre.interactions.models import ContactMoment
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.registry.models import DigitalAddress, Party
from contactcentre.registry.services import organisations_import
from lifeevents.models import LifeEvent
from tests.casemanagement.factories import PersonFactory, make_case
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return UserFactory(role="agent")


def _phone(party, value="+31612345678"):
    DigitalAddress.objects.create(party=party, kind=DigitalAddress.Kind.PHONE, value=value, is_default=True)


def test_bsn_claim_identifies_records_and_offers_status(agent):
    party = PersonFactory()
    case = make_case(party=party)
    offer = contact_open(
        channel="counter",
        actor=staff(agent),
        identity_claim=IdentityClaim(kind="bsn", value=party.bsn),
        assurance="high",  # staff cannot raise it by a parameter: a checked document does (interactions)
        text="Hoe staat mijn aanvraag ervoor?",
        desk="Stadhuis balie 3",
    )
    assert offer.created and offer.party == party and not offer.ambiguous
    contact = offer.contact
    assert (contact.channel, contact.identified_by, contact.assurance, contact.agent, contact.desk) == (
        "counter",
        "bsn",
        "low",
        agent,
        "Stadhuis balie 3",
    )
    assert [c["id"] for c in offer.cases] == [case.pk]
    assert offer.cases[0]["detail"] == "citizen"
    assert not offer.status_needs_second_factor
    actions = set(
        ProcessingRecord.objects.filter(purpose_reference=str(contact.pk)).values_list("action", "object_type")
    )
    assert actions == {("create", "contact_moment"), ("search", "party"), ("read", "case")}


def test_phone_number_claim_is_capped_at_low_assurance(agent):
    party = PersonFactory()
    _phone(party)
    make_case(party=party, confidentiality=Confidentiality.CONFIDENTIAL)
    offer = contact_open(
        channel="phone",
        actor=staff(agent),
        identity_claim=IdentityClaim(kind="phone", value="06 12345678"),
        assurance="high",
    )
    assert offer.party == party
    assert offer.contact.assurance == "low"
    assert [c["detail"] for c in offer.cases] == ["existence"]


def test_two_people_on_one_number_stay_anonymous(agent):
    for _ in range(2):
        _phone(PersonFactory())
    offer = contact_open(
        channel="phone", actor=staff(agent), identity_claim=IdentityClaim(kind="phone", value="0612345678")
    )
    assert offer.party is None and offer.ambiguous
    assert (offer.contact.party_id, offer.contact.assurance) == (None, "")
    assert offer.cases == []


def test_email_kvk_and_case_reference_claims(agent):
    person = PersonFactory()
    DigitalAddress.objects.create(party=person, kind=DigitalAddress.Kind.EMAIL, value="jan@example.org")
    business = Party.objects.create(kind=Party.Kind.BUSINESS, kvk_number="12345678", business_name="Bakkerij")
    case = make_case(party=person, reference="Z77")

    by_email = contact_open(
        channel="email", actor=staff(agent), identity_claim=IdentityClaim(kind="email", value="Jan@Example.org")
    )
    by_kvk = contact_open(
        channel="phone", actor=staff(agent), identity_claim=IdentityClaim(kind="kvk", value="12345678")
    )
    by_ref = contact_open(channel="sms", actor=SYSTEM, identity_claim=IdentityClaim(kind="case_reference", value="z77"))
    assert (by_email.party, by_kvk.party, by_ref.party) == (person, business, person)
    assert by_ref.contact.assurance == "low"
    # A door without an agent at low assurance asks for a second factor before telling status.
    assert by_ref.status_needs_second_factor and by_ref.cases == []
    # So does an agent when all the caller gave is a case reference.
    by_ref_agent = contact_open(
        channel="phone", actor=staff(agent), identity_claim=IdentityClaim(kind="case_reference", value="Z77")
    )
    assert by_ref_agent.party == person
    assert by_ref_agent.status_needs_second_factor and by_ref_agent.cases == []
    assert case.party == person


def test_door_with_digid_level_assurance_tells_the_citizen_view(agent):
    party = PersonFactory()
    make_case(party=party)
    make_case(party=party, confidentiality=Confidentiality.SECRET)
    offer = contact_open(
        channel="web", actor=SYSTEM, identity_claim=IdentityClaim(kind="bsn", value=party.bsn), assurance="substantial"
    )
    assert [c["detail"] for c in offer.cases] == ["citizen"]


def test_malformed_identifier_is_a_field_error(agent):
    with pytest.raises(ValidationFailed) as error:
        contact_open(channel="phone", actor=staff(agent), identity_claim=IdentityClaim(kind="bsn", value="123456789"))
    assert "identity_claim.value" in error.value.field_errors
    with pytest.raises(ValidationFailed):
        contact_open(channel="phone", actor=staff(agent), identity_claim=IdentityClaim(kind="passport", value="X"))
    assert ContactMoment.objects.count() == 0


def test_the_same_channel_event_opens_one_contact(agent):
    party = PersonFactory()
    claim = IdentityClaim(kind="bsn", value=party.bsn)
    first = contact_open(channel="phone", actor=staff(agent), identity_claim=claim, external_id="CA9")
    again = contact_open(channel="phone", actor=staff(agent), identity_claim=claim, external_id="CA9")
    assert (first.created, again.created, again.contact.pk) == (True, False, first.contact.pk)
    assert ContactMoment.objects.count() == 1
    assert ProcessingRecord.objects.filter(action="search").count() == 1


def test_offer_includes_life_events_of_open_cases_and_articles_for_the_question(agent):
    organisations_import(rows=kennisbank.load("organisations"))
    from lifeevents.services import kennisbank_import

    kennisbank_import(directory=kennisbank.KENNISBANK_DIR)
    case_types_import(rows=kennisbank.load("case_types"), article_rows=kennisbank.load("articles"))
    from casemanagement.models import CaseType

    party = PersonFactory()
    make_case(party=party, case_type=CaseType.objects.get(code="kinderopvangtoeslag"))
    offer = contact_open(
        channel="phone",
        actor=staff(agent),
        identity_claim=IdentityClaim(kind="bsn", value=party.bsn),
        text="Hoeveel kinderopvangtoeslag krijg ik?",
    )
    assert [event["slug"] for event in offer.life_events] == list(
        LifeEvent.objects.filter(slug__in=["geboorte", "scheiden"])
        .order_by("ordering", "name")
        .values_list("slug", flat=True)
    )
    assert offer.articles, "the search should find articles for a plain question"


def test_staff_without_case_permission_get_no_status_even_at_high_assurance():
    admin = UserFactory(role="functional_admin")
    party = PersonFactory()
    make_case(party=party)
    offer = contact_open(
        channel="counter",
        actor=staff(admin),
        identity_claim=IdentityClaim(kind="bsn", value=party.bsn),
        assurance="high",
    )
    assert offer.cases == [] and offer.status_needs_second_factor
