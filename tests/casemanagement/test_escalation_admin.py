"""The second line's admin: routing rules in order (editable order and activity), endpoints with
masked secrets and a rotation that keeps the previous secret, escalations read-only with their
timeline and deliveries, and a resend action that puts a dead delivery back in the queue; only the
roles that hold the permissions get in."""

import pytest
from django.contrib.auth import get_user_model

from casemanagement.escalations import escalation_create
from casemanagement.models import EscalationDelivery, RoutingRule, SecondLineEndpoint
from contactcentre.interactions.services import contact_moment_record
from tests.casemanagement.factories import PersonFactory
from tests.factories import OrganisationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db
OLD_SECRET = "whsec_" + "A" * 43 + "="


@pytest.fixture
def escalation():
    organisation = OrganisationFactory(code="uwv-admin")
    SecondLineEndpoint.objects.create(
        organisation=organisation,
        delivery=SecondLineEndpoint.Delivery.WEBHOOK,
        url="https://ontvanger.example.org/hook",
        secrets=[OLD_SECRET],
    )
    RoutingRule.objects.create(name="Standaard", is_default=True, organisation=organisation, order=500)
    agent = UserFactory(role="agent")
    contact, _ = contact_moment_record(channel="phone", actor=staff(agent), agent=agent, party=PersonFactory())
    return escalation_create(contact=contact, actor=staff(agent), question="Waar blijft mijn uitkering?")


def _login(client, role):
    user = UserFactory(role=role, is_staff=True)
    client.force_login(user)
    return user


def test_pages_render_for_a_superuser(client, escalation):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "a-strong-test-password-1")
    client.force_login(admin)
    delivery = escalation.deliveries.get()
    pages = [
        "/admin/casemanagement/routingrule/",
        f"/admin/casemanagement/routingrule/{escalation.rule_id}/change/",
        "/admin/casemanagement/secondlineendpoint/",
        f"/admin/casemanagement/secondlineendpoint/{escalation.organisation.second_line_endpoint.pk}/change/",
        "/admin/casemanagement/escalation/",
        f"/admin/casemanagement/escalation/{escalation.pk}/change/",
        "/admin/casemanagement/escalationdelivery/",
        f"/admin/casemanagement/escalationdelivery/{delivery.pk}/change/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert OLD_SECRET.encode() not in response.content, page
    timeline = client.get(f"/admin/casemanagement/escalation/{escalation.pk}/change/").content.decode()
    assert "Standaardregel" in timeline  # the routing explanation on the first timeline entry
    assert client.get("/admin/casemanagement/escalation/", {"q": escalation.reference}).status_code == 200


def test_functional_admin_orders_rules_and_rotates_a_secret_keeping_the_old_one(client, escalation):
    _login(client, "functional_admin")
    rule = RoutingRule.objects.get()
    listing = client.get("/admin/casemanagement/routingrule/")
    assert listing.status_code == 200 and b'name="form-0-order"' in listing.content
    response = client.post(
        "/admin/casemanagement/routingrule/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(rule.pk),
            "form-0-order": "7",
            "form-0-is_active": "on",
            "_save": "Opslaan",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.order == 7 and rule.is_active
    endpoint = SecondLineEndpoint.objects.get()
    response = client.post(
        "/admin/casemanagement/secondlineendpoint/",
        {"action": "rotate_secret", "_selected_action": [str(endpoint.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert len(endpoint.secrets) == 2 and endpoint.secrets[1] == OLD_SECRET
    assert endpoint.secrets[0].startswith("whsec_") and endpoint.secrets[0] != OLD_SECRET
    assert endpoint.secrets[0].encode() in response.content  # shown once, in the message
    client.post(
        "/admin/casemanagement/secondlineendpoint/",
        {"action": "rotate_secret", "_selected_action": [str(endpoint.pk)]},
    )
    endpoint.refresh_from_db()
    assert len(endpoint.secrets) == 2 and OLD_SECRET not in endpoint.secrets  # two at once, never more
    # Escalations hold a person's question: not theirs to read.
    assert client.get("/admin/casemanagement/escalation/").status_code == 403


def test_supervisor_resends_a_dead_delivery(client, escalation, django_capture_on_commit_callbacks):
    _login(client, "supervisor")
    delivery = escalation.deliveries.get()
    EscalationDelivery.objects.filter(pk=delivery.pk).update(
        status=EscalationDelivery.Status.DEAD, attempts=8, last_error="HTTP 500"
    )
    assert client.get(f"/admin/casemanagement/escalation/{escalation.pk}/change/").status_code == 200
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/admin/casemanagement/escalationdelivery/",
            {"action": "resend", "_selected_action": [str(delivery.pk)]},
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == EscalationDelivery.Status.PENDING
    assert delivery.attempts == 0 and delivery.last_error == ""
    # Supervisors follow deliveries; the rules and endpoints are the functional admin's.
    assert client.get("/admin/casemanagement/routingrule/").status_code == 403
    assert client.get("/admin/casemanagement/secondlineendpoint/").status_code == 403


@pytest.mark.parametrize("role", ["agent", "counter_clerk"])
def test_first_line_roles_do_not_manage_the_second_line(client, escalation, role):
    _login(client, role)
    for page in ["routingrule", "secondlineendpoint", "escalationdelivery"]:
        assert client.get(f"/admin/casemanagement/{page}/").status_code == 403, page
    delivery = escalation.deliveries.get()
    EscalationDelivery.objects.filter(pk=delivery.pk).update(status=EscalationDelivery.Status.DEAD, attempts=8)
    response = client.post(
        "/admin/casemanagement/escalationdelivery/",
        {"action": "resend", "_selected_action": [str(delivery.pk)]},
    )
    assert response.status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == EscalationDelivery.Status.DEAD
