"""The counter desk screen (issue 18 point 3): the clerk's page calls the next ticket, serves it with
the visitor found by BSN or case reference, records the kind of identity document checked (never its
number), links the visit's customer view and ends with a printable summary without the BSN, whose
opening is logged. A clerk of another office gets nothing of it."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casemanagement.escalations import escalation_create
from casemanagement.models import RoutingRule
from channels_app.counter.models import Ticket
from channels_app.counter.services import appointment_check_in, ticket_take
from contactcentre.api import roles
from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.services import callback_request_create, work_queue_ensure
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.registry.assurance import AssuranceLevel
from tests.casemanagement.factories import make_case
from tests.channels_app.counter_support import make_appointment, make_office
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

DESK = "/balie/stadhuis/"
DOCUMENT_NUMBER = "NXC4R8PJ1"


def _clerk_at(client, office_code="stadhuis", **office):
    clerk = UserFactory(role=roles.COUNTER_CLERK)
    office = make_office(office_code, clerks=[clerk], **office)
    client.force_login(clerk)
    return clerk, office


def _take(office, clerk, count=1, service="overig") -> list[Ticket]:
    return [ticket_take(office_code=office.code, service_code=service, actor=staff(clerk)) for _ in range(count)]


def _called(client, office, clerk) -> Ticket:
    """A ticket taken and called to "Balie 3" through the page."""
    _take(office, clerk)
    client.post(f"/balie/{office.code}/mijn-balie/", {"desk": "Balie 3"})
    client.post(f"/balie/{office.code}/volgende/")
    return Ticket.objects.get(status=Ticket.Status.CALLED)


def _serve(client, ticket, person, kind="bsn", value=None):
    return client.post(
        f"/balie/{ticket.office.code}/tickets/{ticket.pk}/helpen/",
        {f"ticket{ticket.pk}-kind": kind, f"ticket{ticket.pk}-value": person.bsn if value is None else value},
    )


def test_calling_next_from_the_page_calls_exactly_one_ticket_to_my_desk(client):
    clerk, office = _clerk_at(client)
    first, second, third = _take(office, clerk, 3)

    assert client.post(f"{DESK}mijn-balie/", {"desk": " Balie 3 "}).status_code == 302
    response = client.post(f"{DESK}volgende/", follow=True)

    assert response.status_code == 200
    assert "A001 is opgeroepen naar Balie 3." in response.content.decode()
    statuses = dict(Ticket.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "called", second.pk: "waiting", third.pk: "waiting"}
    first.refresh_from_db()
    assert (first.desk, first.called_by_id) == ("Balie 3", clerk.pk)


def test_without_a_desk_chosen_nothing_is_called_and_with_nobody_waiting_the_page_says_so(client):
    clerk, office = _clerk_at(client)
    _take(office, clerk)

    response = client.post(f"{DESK}volgende/", follow=True)
    assert "Kies eerst aan welke balie u zit." in response.content.decode()
    assert Ticket.objects.get().status == "waiting"

    client.post(f"{DESK}mijn-balie/", {"desk": "Balie 3"})
    client.post(f"{DESK}volgende/")
    response = client.post(f"{DESK}volgende/", follow=True)
    assert "Er wacht niemand." in response.content.decode()


def test_the_queue_lists_appointments_first_and_its_query_count_does_not_grow(client):
    clerk, office = _clerk_at(client)
    _take(office, clerk)
    appointment = make_appointment(office)
    checked_in = appointment_check_in(office_code=office.code, code=appointment.check_in_code, actor=staff(clerk))
    client.get(f"{DESK}wachtrij/")  # the session's and permissions' caches warm
    with CaptureQueriesContext(connection) as few:
        page = client.get(f"{DESK}wachtrij/").content.decode()
    assert page.index("P002") < page.index("A001")
    assert checked_in.number == "P002"
    assert "Wachtrij: 2 wachtenden" in page

    _take(office, clerk, 5)
    with CaptureQueriesContext(connection) as many:
        page = client.get(f"{DESK}wachtrij/").content.decode()
    assert "Wachtrij: 7 wachtenden" in page
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as desk_page:
        assert client.get(DESK).status_code == 200
    _take(office, clerk, 5)
    with CaptureQueriesContext(connection) as desk_page_more:
        client.get(DESK)
    assert len(desk_page_more) == len(desk_page)


def test_serving_by_bsn_then_recording_the_identity_check_keeps_the_kind_and_never_the_number(client):
    clerk, office = _clerk_at(client)
    person = PersonFactory(given_names="Fatima", surname="El Amrani")
    ticket = _called(client, office, clerk)

    response = _serve(client, ticket, person)
    assert response["Location"] == DESK
    assert person.bsn not in response["Location"]
    page = client.get(DESK).content.decode()
    assert "U helpt A001: Fatima El Amrani. Controleer het identiteitsbewijs." in page
    assert person.bsn not in page
    ticket.refresh_from_db()
    assert (ticket.status, ticket.contact_moment.party_id) == ("serving", person.pk)
    assert ticket.contact_moment.assurance == AssuranceLevel.LOW
    assert f'href="/medewerker/contacten/{ticket.contact_moment_id}/"' in page

    client.post(
        f"{DESK}tickets/{ticket.pk}/identiteit/",
        {f"ticket{ticket.pk}-document": "passport", f"ticket{ticket.pk}-number": DOCUMENT_NUMBER},
    )

    contact = ContactMoment.objects.get(pk=ticket.contact_moment_id)
    assert (contact.identity_document, contact.assurance) == ("passport", AssuranceLevel.HIGH)
    stored = [str(value) for value in ContactMoment.objects.values().get(pk=contact.pk).values()]
    stored += [str(row) for row in ProcessingRecord.objects.values()]
    assert not any(DOCUMENT_NUMBER in value for value in stored)
    assert "Identiteit vastgesteld met: Paspoort." in client.get(DESK).content.decode()


def test_a_bsn_that_fits_nobody_leaves_the_ticket_called_to_try_again(client):
    clerk, office = _clerk_at(client)
    ticket = _called(client, office, clerk)
    stranger = PersonFactory.build()  # a valid BSN of nobody in the registry

    page = client.get(_serve(client, ticket, stranger)["Location"]).content.decode()

    assert "Niemand gevonden met dit BSN of zaaknummer." in page
    assert stranger.bsn not in page
    ticket.refresh_from_db()
    assert (ticket.status, ticket.contact_moment_id) == ("called", None)
    assert not ContactMoment.objects.exists()


def test_serving_by_case_reference_finds_the_person_at_low_assurance(client):
    clerk, office = _clerk_at(client)
    person = PersonFactory()
    make_case(party=person, reference="ZAAK-2026-0077")
    ticket = _called(client, office, clerk)

    _serve(client, ticket, person, kind="case_reference", value="ZAAK-2026-0077")

    contact = Ticket.objects.get(pk=ticket.pk).contact_moment
    assert (contact.party_id, contact.identified_by, contact.assurance) == (person.pk, "case_reference", "low")


def test_recall_and_no_show_from_the_page(client):
    clerk, office = _clerk_at(client)
    ticket = _called(client, office, clerk)

    page = client.post(f"{DESK}tickets/{ticket.pk}/opnieuw-roepen/", follow=True).content.decode()
    assert "A001 is opnieuw opgeroepen." in page
    client.post(f"{DESK}tickets/{ticket.pk}/niet-verschenen/")
    assert Ticket.objects.get(pk=ticket.pk).status == "no_show"


def test_finishing_leads_to_a_summary_without_bsn_with_what_happens_next_and_its_read_logged(client):
    clerk, office = _clerk_at(client)
    person = PersonFactory()
    ticket = _called(client, office, clerk)
    _serve(client, ticket, person)
    ticket.refresh_from_db()
    contact = ticket.contact_moment
    uwv = OrganisationFactory(code="uwv", name="UWV")
    RoutingRule.objects.create(name="Standaard", is_default=True, organisation=uwv, order=500)
    escalation = escalation_create(contact=contact, actor=staff(clerk), question="Waar blijft mijn uitkering?")
    call_after = timezone.now() + timedelta(days=1)
    callback_request_create(
        queue=work_queue_ensure(code="callbacks", name="Terugbellen"),
        phone_number="0612345678",
        question="Uitleg over de beschikking",
        actor=staff(clerk),
        party=person,
        contact_moment=contact,
        call_after=call_after,
        call_before=call_after + timedelta(hours=2),
    )

    finished = client.post(f"{DESK}tickets/{ticket.pk}/afronden/", {f"ticket{ticket.pk}-outcome": "escalated"})
    assert finished["Location"] == f"{DESK}tickets/{ticket.pk}/samenvatting/"
    assert Ticket.objects.get(pk=ticket.pk).status == "done"
    ProcessingRecord.objects.all().delete()

    page = client.get(finished["Location"]).content.decode()

    assert "Samenvatting van uw bezoek" in page
    assert f"Wij hebben uw vraag doorgestuurd naar UWV, met kenmerk {escalation.reference}." in page
    due = timezone.localtime(escalation.resolution_due)
    assert f"U krijgt uiterlijk {due.day} " in page and str(due.year) in page
    assert "Wij bellen u terug op" in page
    assert person.bsn not in page
    assert 'href="/static/counter/desk.css"' in page
    assert "@media print" in Path(finders.find("counter/desk.css")).read_text()
    record = ProcessingRecord.objects.get()
    assert (record.action, record.object_type, record.object_id) == ("read", "counter_summary", str(ticket.pk))
    assert (record.purpose, record.purpose_reference) == ("contact", str(contact.pk))


def test_a_clerk_of_another_office_is_refused_the_desk_the_serve_and_the_summary(client):
    clerk, office = _clerk_at(client)
    person = PersonFactory()
    ticket = _called(client, office, clerk)
    _serve(client, ticket, person)
    ticket.refresh_from_db()
    other = UserFactory(role=roles.COUNTER_CLERK)
    make_office("dorpshuis", organisation=office.organisation, clerks=[other])
    client.force_login(other)
    ProcessingRecord.objects.all().delete()

    assert client.get(DESK).status_code == 403
    assert client.get(f"{DESK}wachtrij/").status_code == 403
    assert client.post(f"{DESK}volgende/").status_code == 403
    assert _serve(client, ticket, person).status_code == 403
    assert client.post(f"{DESK}tickets/{ticket.pk}/afronden/", {}).status_code == 403
    assert client.get(f"{DESK}tickets/{ticket.pk}/samenvatting/").status_code == 403
    # through their own office's address the ticket is not there at all
    assert client.get(f"/balie/dorpshuis/tickets/{ticket.pk}/samenvatting/").status_code == 404
    assert client.post(f"/balie/dorpshuis/tickets/{ticket.pk}/afronden/", {}).status_code == 404
    assert Ticket.objects.get(pk=ticket.pk).status == "serving"
    assert not ProcessingRecord.objects.filter(outcome="success").exists()


def test_a_colleague_at_the_same_office_does_not_get_my_ticket(client):
    clerk, office = _clerk_at(client)
    ticket = _called(client, office, clerk)
    colleague = UserFactory(role=roles.COUNTER_CLERK)
    office.clerks.add(colleague)
    client.force_login(colleague)

    assert client.post(f"{DESK}tickets/{ticket.pk}/niet-verschenen/").status_code == 404
    assert client.get(f"{DESK}tickets/{ticket.pk}/samenvatting/").status_code == 404
    assert Ticket.objects.get(pk=ticket.pk).status == "called"


def test_anonymous_is_sent_to_sign_in_and_other_roles_are_refused(client):
    clerk = UserFactory(role=roles.COUNTER_CLERK)
    make_office(clerks=[clerk])
    for url in ("/balie/", DESK, f"{DESK}wachtrij/"):
        assert client.get(url)["Location"].startswith("/aanmelden/?next=")
    client.force_login(UserFactory(role=roles.AGENT))
    for url in ("/balie/", DESK, f"{DESK}wachtrij/"):
        assert client.get(url).status_code == 403
    assert client.post(f"{DESK}volgende/").status_code == 403


def test_the_desks_page_lists_my_offices_and_leads_straight_to_the_only_one(client):
    clerk, office = _clerk_at(client)
    assert client.get("/balie/")["Location"] == DESK
    make_office("dorpshuis", organisation=office.organisation, clerks=[clerk])
    page = client.get("/balie/").content.decode()
    assert 'href="/balie/dorpshuis/"' in page and 'href="/balie/stadhuis/"' in page
    client.force_login(UserFactory(role=roles.COUNTER_CLERK))
    assert "U bent bij geen vestiging baliemedewerker." in client.get("/balie/").content.decode()
    client.force_login(UserFactory(role=roles.SUPERVISOR))  # sees tickets in the admin, calls none
    assert client.get("/balie/").status_code == 403


def test_an_empty_desk_name_is_refused_and_remembers_nothing(client):
    _clerk_at(client)
    page = client.post(f"{DESK}mijn-balie/", {"desk": "  "}, follow=True).content.decode()
    assert "Dit veld is vereist." in page
    assert "counter_desk:stadhuis" not in client.session
