import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casemanagement.models import Confidentiality
from contactcentre.errors import AccessDenied
from contactcentre.firstline.api.serializers import (
    CallbackSummarySerializer,
    ContactSummarySerializer,
    CustomerViewSerializer,
)
from contactcentre.firstline.selectors import customer_view
from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.services import (
    callback_request_create,
    contact_moment_close,
    contact_moment_record,
    work_queue_ensure,
)
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.registry.models import Address, Consent, DigitalAddress
from lifeevents.models import Article, LifeEvent
from tests.casemanagement.factories import CaseTypeFactory, PersonFactory, make_case
from tests.factories import OrganisationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


def _person_with_everything(n_cases: int, n_contacts: int, *, case_type=None, life_event=None, article=None):
    party = PersonFactory()
    Address.objects.create(
        party=party, kind=Address.Kind.RESIDENTIAL, street="Kerkweg", house_number=3, postcode="1234AB", city="X"
    )
    DigitalAddress.objects.create(party=party, kind=DigitalAddress.Kind.EMAIL, value="p@example.org", is_default=True)
    Consent.objects.create(
        party=party, purpose="sms_notifications", granted=True, channel="portal", changed_at=timezone.now()
    )
    for i in range(n_cases):
        make_case(
            party=party, case_type=case_type, confidentiality=Confidentiality.CONFIDENTIAL if i == 1 else "normal"
        )
    contact = None
    for i in range(n_contacts):
        contact, _ = contact_moment_record(
            channel=["phone", "sms", "email", "counter"][i % 4], actor=SYSTEM, party=party, assurance="substantial"
        )
        if life_event is not None:
            contact_moment_close(
                contact=contact, outcome="answered", actor=SYSTEM, life_event=life_event, articles=[article]
            )
    queue = work_queue_ensure(code="kcc", name="KCC")
    callback_request_create(queue=queue, phone_number="0612345678", question="Bel mij", party=party, actor=SYSTEM)
    current, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=party, assurance="substantial")
    return party, current


def test_customer_view_brings_everything_together_and_logs_one_read():
    agent = UserFactory(role="agent")
    event = LifeEvent.objects.create(slug="verhuizen", name="Verhuizen")
    case_type = CaseTypeFactory()
    case_type.life_events.add(event)
    party, contact = _person_with_everything(3, 2, case_type=case_type)
    other_party, _ = _person_with_everything(1, 1)

    view = customer_view(party_id=party.pk, viewer=staff(agent), purpose="contact", purpose_reference=str(contact.pk))
    assert view.party["id"] == party.pk
    assert view.party["emails"][0]["value"] == "p@example.org"  # substantial: full value for agents
    assert len(view.cases) == 3
    assert sorted(c["detail"] for c in view.cases) == ["citizen", "full", "full"]
    own_contacts = set(ContactMoment.objects.filter(party=party).values_list("pk", flat=True))
    assert len(view.contacts) == 3 and {c["id"] for c in view.contacts} == own_contacts
    assert [(c["purpose"], c["granted"]) for c in view.consents] == [("sms_notifications", True)]
    assert len(view.callbacks) == 1
    assert view.life_events == [{"slug": "verhuizen", "name": "Verhuizen"}]
    assert view.assurance == "substantial"

    reads = ProcessingRecord.objects.filter(object_type="customer_view")
    assert [(r.action, r.outcome, r.subject, r.purpose_reference) for r in reads] == [
        ("read", "success", subject_pseudonym(party.pk), str(contact.pk))
    ]
    assert other_party.pk != party.pk


def test_without_a_purpose_the_view_is_refused_and_the_refusal_logged():
    agent = UserFactory(role="agent")
    party, _ = _person_with_everything(1, 1)
    with pytest.raises(AccessDenied):
        customer_view(party_id=party.pk, viewer=staff(agent), purpose="", purpose_reference="")
    denied = ProcessingRecord.objects.get(outcome="denied")
    assert (denied.object_type, denied.subject) == ("customer_view", subject_pseudonym(party.pk))


def test_a_purpose_belonging_to_someone_else_is_refused_and_logged():
    agent = UserFactory(role="agent")
    party, _ = _person_with_everything(1, 1)
    other, other_contact = _person_with_everything(1, 1)
    other_case = make_case(party=other, reference="ZOTHER")
    for purpose, reference in (("contact", str(other_contact.pk)), ("case", "ZOTHER"), ("case", str(other_case.pk))):
        with pytest.raises(AccessDenied):
            customer_view(party_id=party.pk, viewer=staff(agent), purpose=purpose, purpose_reference=reference)
    assert ProcessingRecord.objects.filter(outcome="denied", object_type="customer_view").count() == 3
    assert not ProcessingRecord.objects.filter(outcome="success", object_type="customer_view").exists()


def test_a_case_of_the_person_is_a_valid_purpose_at_low_assurance():
    agent = UserFactory(role="agent")
    party, _ = _person_with_everything(0, 0)
    case = make_case(party=party, reference="ZMINE")
    view = customer_view(party_id=party.pk, viewer=staff(agent), purpose="case", purpose_reference="zmine")
    assert view.assurance == "low"
    assert [c["detail"] for c in view.cases] == ["citizen"]
    assert case.pk == view.cases[0]["id"]


def test_long_closed_contact_is_no_longer_a_purpose():
    agent = UserFactory(role="agent")
    party, contact = _person_with_everything(0, 0)
    contact_moment_close(contact=contact, outcome="answered", actor=SYSTEM, ended_at=contact.started_at)
    type(contact).objects.filter(pk=contact.pk).update(
        started_at=timezone.now() - timezone.timedelta(days=2), ended_at=timezone.now() - timezone.timedelta(days=2)
    )
    with pytest.raises(AccessDenied):
        customer_view(party_id=party.pk, viewer=staff(agent), purpose="contact", purpose_reference=str(contact.pk))


def _view_queries(http, party, contact):
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(
            f"/api/v1/parties/{party.pk}/customer-view", {"purpose": "contact", "purpose_reference": contact.pk}
        )
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


def test_customer_view_query_count_is_the_same_for_2_and_20_cases_and_contacts(user_with_role):
    http, _ = user_with_role("agent")
    event = LifeEvent.objects.create(slug="verhuizen", name="Verhuizen")
    article = Article.objects.create(
        external_id="kb-1", question="q", answer="a", short_answer="s", organisation=OrganisationFactory()
    )
    case_type = CaseTypeFactory()
    case_type.life_events.add(event)
    few, few_contact = _person_with_everything(2, 2, case_type=case_type, life_event=event, article=article)
    many, many_contact = _person_with_everything(20, 20, case_type=case_type, life_event=event, article=article)
    _view_queries(http, few, few_contact)  # warm the session user's permission cache
    few_queries, few_body = _view_queries(http, few, few_contact)
    many_queries, many_body = _view_queries(http, many, many_contact)
    assert (len(few_body["cases"]), len(many_body["cases"])) == (2, 20)
    assert (len(few_body["contacts"]), len(many_body["contacts"])) == (3, 20)  # capped at 20, newest first
    assert many_body["contacts"][0]["id"] == many_contact.pk
    assert many_body["contacts"][1]["life_event_slug"] == "verhuizen"
    assert set(many_body["contacts"][1]) == set(ContactSummarySerializer().fields)
    assert set(many_body) == set(CustomerViewSerializer().fields)
    assert set(many_body["callbacks"][0]) == set(CallbackSummarySerializer().fields)
    assert few_queries == many_queries
    # the session's user row, the purpose's contact, the party + its 3 kinds of rows, cases, contacts,
    # life events of the open cases, the log record, consents, callbacks; the session and the
    # permissions come from the cache.
    assert few_queries == 12
    assert many_body["life_events"] == [{"slug": "verhuizen", "name": "Verhuizen"}]


@pytest.mark.parametrize(
    ("role", "status"),
    [("agent", 200), ("counter_clerk", 200), ("supervisor", 200), ("functional_admin", 403)],
)
def test_customer_view_per_role(user_with_role, role, status):
    http, _ = user_with_role(role)
    party, contact = _person_with_everything(1, 0)
    response = http.get(
        f"/api/v1/parties/{party.pk}/customer-view", {"purpose": "contact", "purpose_reference": contact.pk}
    )
    assert response.status_code == status


def test_customer_view_refuses_clients_anonymous_and_missing_purpose(api, client_with_scopes, user_with_role):
    party, contact = _person_with_everything(1, 0)
    url = f"/api/v1/parties/{party.pk}/customer-view"
    params = {"purpose": "contact", "purpose_reference": contact.pk}
    every_scope, _ = client_with_scopes(["cases:read", "contacts:read", "parties:read"])
    assert api.get(url, params).status_code in (401, 403)
    assert every_scope.get(url, params).status_code == 403
    http, _ = user_with_role("agent")
    refused = http.get(url)
    assert refused.status_code == 403
    assert refused.json()["code"] == "purpose_required"
    assert ProcessingRecord.objects.filter(outcome="denied", object_type="customer_view").count() == 1
    assert (
        http.get(
            "/api/v1/parties/999999/customer-view", {"purpose": "contact", "purpose_reference": contact.pk}
        ).status_code
        == 403
    )


def test_what_the_view_shows_depends_on_the_contacts_assurance(user_with_role):
    http, _ = user_with_role("agent")
    party, _ = _person_with_everything(2, 0)
    low, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=party, assurance="low")
    body = http.get(
        f"/api/v1/parties/{party.pk}/customer-view", {"purpose": "contact", "purpose_reference": low.pk}
    ).json()
    assert body["assurance"] == "low"
    assert sorted(c["detail"] for c in body["cases"]) == ["citizen", "existence"]
    assert body["party"]["restrictions"].get("emails") == "masked"


def test_life_events_of_a_case_shown_only_as_existing_do_not_leak():
    agent = UserFactory(role="agent")
    debts = LifeEvent.objects.create(slug="bijstand-schulden", name="Schulden")
    case_type = CaseTypeFactory()
    case_type.life_events.add(debts)
    party, _ = _person_with_everything(0, 0)
    make_case(party=party, case_type=case_type, confidentiality=Confidentiality.CONFIDENTIAL)
    low, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=party, assurance="low")
    view = customer_view(party_id=party.pk, viewer=staff(agent), purpose="contact", purpose_reference=str(low.pk))
    assert [c["detail"] for c in view.cases] == ["existence"]
    assert view.life_events == []
    supervisor = UserFactory(role="supervisor")
    view = customer_view(party_id=party.pk, viewer=staff(supervisor), purpose="contact", purpose_reference=str(low.pk))
    assert [e["slug"] for e in view.life_events] == ["bijstand-schulden"]


def test_forgotten_open_contacts_secret_cases_and_overlong_ids_are_no_purpose():
    agent = UserFactory(role="agent")
    party, contact = _person_with_everything(0, 0)
    type(contact).objects.filter(pk=contact.pk).update(started_at=timezone.now() - timezone.timedelta(days=3))
    make_case(party=party, reference="ZGEHEIM", confidentiality=Confidentiality.SECRET)
    for purpose, reference in (("contact", str(contact.pk)), ("case", "ZGEHEIM"), ("contact", "9" * 30)):
        with pytest.raises(AccessDenied):
            customer_view(party_id=party.pk, viewer=staff(agent), purpose=purpose, purpose_reference=reference)
    assert ProcessingRecord.objects.filter(outcome="denied").count() == 3


def test_life_events_ranked_by_what_is_going_on():
    agent = UserFactory(role="agent")
    moving = LifeEvent.objects.create(slug="verhuizen", name="Verhuizen", ordering=1)
    job = LifeEvent.objects.create(slug="werkloos", name="Werkloos", ordering=2)
    birth = LifeEvent.objects.create(slug="geboorte", name="Geboorte", ordering=3)
    allowance, benefit = CaseTypeFactory(), CaseTypeFactory()
    allowance.life_events.add(moving, job)
    benefit.life_events.add(job)
    party, _ = _person_with_everything(0, 0)
    make_case(party=party, case_type=allowance)
    make_case(party=party, case_type=benefit)
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=party, assurance="low", life_event=birth)
    view = customer_view(party_id=party.pk, viewer=staff(agent), purpose="contact", purpose_reference=str(contact.pk))
    # job: two open case types (2); birth: a recent contact (2); moving: one case type (1).
    assert [e["slug"] for e in view.life_events] == ["werkloos", "geboorte", "verhuizen"]
