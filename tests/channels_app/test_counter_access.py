"""Issue 17, point 6: who may do what at the counter. Kiosks are API clients with the scope
"counter:kiosk" of the organisation that runs the office; calling and serving is for the clerks of
the office; the waiting-room display opens with its signed link only."""

import pytest

from channels_app.counter.models import Ticket
from channels_app.counter.selectors import office_display_token
from channels_app.counter.services import office_display_link_renew, ticket_take
from contactcentre.errors import AccessDenied
from tests.channels_app.counter_support import make_office
from tests.factories import OrganisationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

TAKE = "/api/v1/counter/offices/stadhuis/tickets"
CALL = "/api/v1/counter/offices/stadhuis/call-next"


@pytest.fixture
def office():
    return make_office()


def _walk_in(office):
    desk_clerk = UserFactory(role="counter_clerk")
    office.clerks.add(desk_clerk)
    return ticket_take(office_code=office.code, service_code="overig", actor=staff(desk_clerk))


def test_only_a_kiosk_of_the_office_organisation_takes_numbers(api, client_with_scopes, office):
    body = {"service": "overig"}
    assert api.post(TAKE, body, format="json").status_code in (401, 403)  # anonymous: an internet user
    without_scope, _ = client_with_scopes(["contacts:write"], organisation=office.organisation)
    assert without_scope.post(TAKE, body, format="json").status_code == 403
    elsewhere, _ = client_with_scopes(["counter:kiosk"], organisation=OrganisationFactory())
    assert elsewhere.post(TAKE, body, format="json").status_code == 403
    assert elsewhere.post("/api/v1/counter/offices/stadhuis/check-in", {"code": "ABCDEFGH"}).status_code == 403
    assert not Ticket.objects.exists()

    kiosk, _ = client_with_scopes(["counter:kiosk"], organisation=office.organisation)
    assert kiosk.post(TAKE, body, format="json").status_code == 201
    # A kiosk takes numbers and nothing else: it calls nobody.
    assert kiosk.post(CALL, {"desk": "Balie 1"}, format="json").status_code == 403
    unknown = kiosk.post(TAKE, {"service": "bestaat-niet"}, format="json")
    assert unknown.status_code == 400


def test_an_agent_cannot_call_tickets(user_with_role, office):
    _walk_in(office)
    for role in ("agent", "supervisor", "functional_admin"):
        http, user = user_with_role(role)
        office.clerks.add(user)  # even when listed at the office, the role does not call
        assert http.post(CALL, {"desk": "Balie 1"}, format="json").status_code == 403, role
        assert http.post(TAKE, {"service": "overig"}, format="json").status_code == 403, role
    assert Ticket.objects.get().status == "waiting"


def test_no_role_but_the_clerk_handles_a_called_ticket(user_with_role, client_with_scopes, office):
    clerk_http, clerk = user_with_role("counter_clerk")
    office.clerks.add(clerk)
    _walk_in(office)
    called = clerk_http.post(CALL, {"desk": "Balie 1"}, format="json").json()
    kiosk, _ = client_with_scopes(["counter:kiosk"], organisation=office.organisation)
    others = [kiosk] + [user_with_role(role)[0] for role in ("agent", "supervisor", "functional_admin")]
    for http in others:
        for step, body in (("serve", {}), ("recall", {}), ("no-show", {}), ("finish", {"outcome": "answered"})):
            answer = http.post(f"/api/v1/counter/tickets/{called['id']}/{step}", body, format="json")
            assert answer.status_code == 403, step
    assert Ticket.objects.get().status == "called"


def test_a_clerk_calls_only_at_the_offices_they_work_at(user_with_role, office):
    noord_http, noord_clerk = user_with_role("counter_clerk")
    make_office("noord", organisation=office.organisation, clerks=[noord_clerk])
    _walk_in(office)
    refused = noord_http.post(CALL, {"desk": "Balie 1"}, format="json")
    assert refused.status_code == 403
    assert noord_http.post("/api/v1/counter/offices/noord/call-next", {"desk": "Balie 1"}).status_code == 204
    assert Ticket.objects.get().status == "waiting"


def test_a_clerk_serves_only_the_tickets_they_called(user_with_role, office):
    first_http, first = user_with_role("counter_clerk")
    colleague_http, colleague = user_with_role("counter_clerk")
    office.clerks.add(first, colleague)
    ticket_take(office_code="stadhuis", service_code="overig", actor=staff(first))
    called = first_http.post(CALL, {"desk": "Balie 1"}, format="json").json()
    for step in ("serve", "recall", "no-show"):
        answer = colleague_http.post(f"/api/v1/counter/tickets/{called['id']}/{step}", {}, format="json")
        assert answer.status_code == 403, step
    finish = colleague_http.post(f"/api/v1/counter/tickets/{called['id']}/finish", {"outcome": "answered"})
    assert finish.status_code == 403
    assert Ticket.objects.get().status == "called"
    assert first_http.post("/api/v1/counter/tickets/999999/serve", {}, format="json").status_code == 404


def test_the_waiting_room_display_opens_with_its_signed_link_only(client, office):
    page = f"/balie/{office.code}/wachtkamer/"
    token = office_display_token(office=office)
    noord = make_office("noord", organisation=office.organisation)
    assert client.get(page).status_code == 403
    assert client.get(page, {"token": token + "x"}).status_code == 403
    assert client.get(f"/balie/{noord.code}/wachtkamer/", {"token": token}).status_code == 403  # another office's
    assert client.post(page + f"?token={token}").status_code == 405

    shown = client.get(page, {"token": token})
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]

    office_display_link_renew(office=office)
    assert client.get(page, {"token": token}).status_code == 403  # the old link is revoked
    assert client.get(page, {"token": office_display_token(office=office)}).status_code == 200


def test_a_clerk_not_of_the_office_cannot_hand_out_a_number(office):
    with pytest.raises(AccessDenied):
        ticket_take(office_code="stadhuis", service_code="overig", actor=staff(UserFactory(role="counter_clerk")))
