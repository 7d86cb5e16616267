"""The admin pages for cases and contacts render for a superuser and for the functional admin's
configuration (case types, statuses, work queues)."""

import pytest
from django.contrib.auth import get_user_model

from contactcentre.interactions.services import callback_request_create, contact_moment_record, work_queue_ensure
from contactcentre.principal import SYSTEM
from tests.casemanagement.factories import make_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_pages_render_for_a_superuser(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "a-strong-test-password-1")
    client.force_login(admin)
    case = make_case()
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=case.party)
    callback = callback_request_create(
        queue=work_queue_ensure(code="kcc", name="KCC"), phone_number="0612345678", question="x", actor=SYSTEM
    )
    pages = [
        "/admin/casemanagement/casetype/",
        f"/admin/casemanagement/casetype/{case.case_type_id}/change/",
        "/admin/casemanagement/case/",
        f"/admin/casemanagement/case/{case.pk}/change/",
        "/admin/interactions/contactmoment/",
        f"/admin/interactions/contactmoment/{contact.pk}/change/",
        "/admin/interactions/callbackrequest/",
        f"/admin/interactions/callbackrequest/{callback.pk}/change/",
        "/admin/interactions/workqueue/",
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    assert client.get("/admin/casemanagement/case/", {"q": case.reference}).status_code == 200


def test_functional_admin_maintains_case_types_but_does_not_see_cases(client):
    user = UserFactory(role="functional_admin", is_staff=True)
    client.force_login(user)
    case = make_case()
    assert client.get(f"/admin/casemanagement/casetype/{case.case_type_id}/change/").status_code == 200
    assert client.get("/admin/interactions/workqueue/add/").status_code == 200
    assert client.get("/admin/casemanagement/case/").status_code == 403
    assert client.get("/admin/interactions/contactmoment/").status_code == 403


def test_functional_admin_resends_a_failed_message_from_the_outbox(client):
    from contactcentre.interactions.models import Notification
    from contactcentre.interactions.services import notification_enqueue
    from tests.casemanagement.factories import PersonFactory

    user = UserFactory(role="functional_admin", is_staff=True)
    client.force_login(user)
    message, _ = notification_enqueue(
        party=PersonFactory(), subject="s", body="b", dedupe_key="k", purpose="case", purpose_reference="r"
    )
    Notification.objects.filter(pk=message.pk).update(status="dead", attempts=8)
    assert client.get("/admin/interactions/notification/").status_code == 200
    response = client.post(
        "/admin/interactions/notification/", {"action": "resend", "_selected_action": [message.pk]}, follow=True
    )
    assert response.status_code == 200
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 0)
