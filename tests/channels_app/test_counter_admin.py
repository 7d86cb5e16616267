"""The functional administrator sets up offices, services and appointments in the admin, and finds
there the waiting-room display link, which they can renew (revoking the old one)."""

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from channels_app.counter.models import Appointment, Office
from tests.channels_app.counter_support import make_office
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role="functional_admin", is_staff=True))
    return client


def test_the_office_page_shows_a_working_display_link_and_renewing_revokes_it(admin_client, client):
    office = make_office()
    page = admin_client.get(f"/admin/channels_app/office/{office.pk}/change/")
    assert page.status_code == 200
    link = html.unescape(re.search(r'href="(/balie/stadhuis/wachtkamer/\?token=[^"]+)"', page.content.decode())[1])
    assert admin_client.get(link).status_code == 200

    renewed = admin_client.post(
        "/admin/channels_app/office/", {"action": "renew_display_link", "_selected_action": [office.pk]}
    )
    assert renewed.status_code == 302
    assert Office.objects.get().display_generation == 2
    assert admin_client.get(link).status_code == 403


def test_an_appointment_gets_a_check_in_code_and_its_service_must_be_of_its_office(admin_client):
    office = make_office()
    noord = make_office("noord", organisation=office.organisation)
    starts = timezone.localtime() + timedelta(days=1)
    form = {"office": office.pk, "starts_at_0": starts.strftime("%Y-%m-%d"), "starts_at_1": starts.strftime("%H:%M")}
    wrong = admin_client.post(
        "/admin/channels_app/appointment/add/", {**form, "service": noord.services.get(code="overig").pk}
    )
    assert wrong.status_code == 200 and "service" in wrong.context["adminform"].form.errors
    made = admin_client.post(
        "/admin/channels_app/appointment/add/", {**form, "service": office.services.get(code="overig").pk}
    )
    assert made.status_code == 302
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{8}", Appointment.objects.get().check_in_code)


def test_a_clerk_does_not_set_up_offices(client):
    client.force_login(UserFactory(role="counter_clerk", is_staff=True))
    assert client.get("/admin/channels_app/office/add/").status_code == 403
