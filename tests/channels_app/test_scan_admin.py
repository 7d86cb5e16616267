"""The scanned letters in the admin: read-only, where each letter is and why, never what it says."""

import pytest

from channels_app.scan.services import scanned_letter_receive
from contactcentre.principal import SYSTEM
from tests.channels_app.scan_letters import BSN, REFERENCE, text_pdf
from tests.factories import PersonFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scan_dirs", "scan_tasks_here")]
PAGES = "/admin/channels_app/scannedletter/"


def test_the_functional_admin_sees_status_and_reason_but_not_the_letter(client, django_capture_on_commit_callbacks):
    PersonFactory(bsn=BSN)
    with django_capture_on_commit_callbacks(execute=True):
        letter, _created = scanned_letter_receive(content=text_pdf(), source="api", actor=SYSTEM)
    client.force_login(UserFactory(role="functional_admin", is_staff=True))
    listing = client.get(PAGES)
    detail = client.get(f"{PAGES}{letter.pk}/change/")
    assert (listing.status_code, detail.status_code) == (200, 200)
    for page in (listing, detail):
        text = page.content.decode()
        assert BSN not in text and "111 222 333" not in text and REFERENCE not in text and "verhuizing" not in text
    assert "post-triage" in detail.content.decode()  # where it went
    assert client.get(f"{PAGES}add/").status_code == 403
    assert client.post(f"{PAGES}{letter.pk}/delete/").status_code == 403


def test_the_agent_has_no_admin_page_for_letters(client):
    client.force_login(UserFactory(role="agent", is_staff=True))
    assert client.get(PAGES).status_code == 403
