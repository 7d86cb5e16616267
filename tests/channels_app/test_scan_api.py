"""The post/scan door's API: who may deliver a scan and read where it is, the limits checked before
anything is stored, 202 with the letter's id, and the same scan twice one letter."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from channels_app.models import ScannedLetter
from tests.channels_app.scan_letters import BSN, REFERENCE, stored_files, text_pdf
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scan_dirs", "scan_tasks_here")]

URL = "/api/v1/scans"
STATUS_FIELDS = {
    "id",
    "status",
    "source",
    "media_type",
    "size",
    "received_at",
    "processed_at",
    "failure_reason",
    "method",
    "pages",
    "ocr_confidence",
    "queue",
    "triage_reasons",
    "contact_moment",
    "work_item",
}


def _upload(http, content: bytes, name: str = "brief.pdf", content_type: str = "application/pdf"):
    return http.post(URL, {"file": SimpleUploadedFile(name, content, content_type=content_type)}, format="multipart")


@pytest.fixture
def post_room(user_with_role):
    return user_with_role("post_room")


def test_the_post_room_delivers_a_scan_and_gets_202_with_the_letter(post_room, django_capture_on_commit_callbacks):
    http, user = post_room
    content = text_pdf()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _upload(http, content)
    assert response.status_code == 202
    body = response.json()
    letter = ScannedLetter.objects.get()
    assert set(body) == STATUS_FIELDS
    assert (body["id"], body["status"], body["source"], body["media_type"], body["size"]) == (
        letter.pk,
        "received",
        "api",
        "application/pdf",
        len(content),
    )
    assert (letter.received_by, letter.organisation) == (user, None)
    assert len(callbacks) == 1  # read after commit, not in the request
    assert http.get(f"{URL}/{letter.pk}").json()["status"] == "received"


def test_the_status_after_processing_says_where_the_letter_went_never_what_it_says(
    post_room, django_capture_on_commit_callbacks
):
    http, _user = post_room
    with django_capture_on_commit_callbacks(execute=True):
        letter_id = _upload(http, text_pdf()).json()["id"]
    response = http.get(f"{URL}/{letter_id}")
    body = response.json()
    letter = ScannedLetter.objects.get()
    assert response.status_code == 200
    assert (body["status"], body["method"], body["queue"], body["triage_reasons"]) == (
        "processed",
        "text_layer",
        "post-triage",
        ["no_identity", "no_life_event"],  # nobody with this BSN, no knowledge base loaded
    )
    assert (body["contact_moment"], body["work_item"]) == (letter.contact_moment_id, letter.work_item_id)
    assert BSN not in response.content.decode() and REFERENCE not in response.content.decode()


def test_the_same_scan_twice_answers_the_same_letter(post_room, django_capture_on_commit_callbacks, scan_dirs):
    http, _user = post_room
    with django_capture_on_commit_callbacks(execute=False):
        first = _upload(http, text_pdf(), name="a.pdf")
        again = _upload(http, text_pdf(), name="b.pdf")
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"]
    assert ScannedLetter.objects.count() == 1 and len(stored_files(scan_dirs[0])) == 1


@pytest.mark.parametrize(
    ("content", "name", "content_type", "status", "code"),
    [
        (b"GIF89a" + b"\x00" * 64, "brief.pdf", "application/pdf", 415, "unsupported_type"),  # the name lies
        (b"<script>alert(1)</script>", "brief.png", "image/png", 415, "unsupported_type"),
        (b"%PDF-1.4\n" + b"0" * 3000, "brief.pdf", "application/pdf", 413, "too_large"),
    ],
)
def test_too_large_or_the_wrong_type_is_refused_with_nothing_stored(
    post_room, settings, scan_dirs, content, name, content_type, status, code
):
    settings.SCAN_MAX_BYTES = 2000
    http, _user = post_room
    response = _upload(http, content, name=name, content_type=content_type)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response["Content-Type"] == "application/problem+json"
    assert not ScannedLetter.objects.exists() and stored_files(scan_dirs[0]) == []


def test_a_body_far_beyond_the_limit_is_refused_before_it_is_read(post_room, settings, scan_dirs):
    settings.SCAN_MAX_BYTES = 2000
    http, _user = post_room
    response = _upload(http, b"%PDF-1.4\n" + b"0" * 200_000)
    assert (response.status_code, response.json()["code"]) == (413, "too_large")
    assert not ScannedLetter.objects.exists() and stored_files(scan_dirs[0]) == []


def test_no_file_or_not_multipart_is_a_clear_4xx(post_room):
    http, _user = post_room
    assert http.post(URL, {}, format="multipart").status_code == 400
    assert http.post(URL, {"file": "JVBERi0xLjQ="}, format="json").status_code == 415
    assert not ScannedLetter.objects.exists()


def test_anonymous_callers_are_refused(api):
    assert _upload(api, text_pdf()).status_code in (401, 403)
    assert api.get(f"{URL}/1").status_code in (401, 403)
    assert not ScannedLetter.objects.exists()


@pytest.mark.parametrize(
    ("role", "may_deliver", "may_read"),
    [
        ("agent", False, False),
        ("counter_clerk", False, False),
        ("supervisor", False, True),
        ("functional_admin", False, True),
        ("post_room", True, True),
    ],
)
def test_each_role(user_with_role, role, may_deliver, may_read, django_capture_on_commit_callbacks):
    other, _user = user_with_role("post_room", username="postkamer-2")
    with django_capture_on_commit_callbacks(execute=False):
        letter_id = _upload(other, text_pdf(["Een andere brief van iemand anders."])).json()["id"]
    http, _user = user_with_role(role)
    with django_capture_on_commit_callbacks(execute=False):
        delivered = _upload(http, text_pdf())
    assert delivered.status_code == (202 if may_deliver else 403)
    assert ScannedLetter.objects.count() == (2 if may_deliver else 1)
    assert http.get(f"{URL}/{letter_id}").status_code == (200 if may_read else 403)


def test_an_organisations_system_delivers_with_its_scope_and_sees_only_its_own(
    client_with_scopes, user_with_role, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    system, _client = client_with_scopes(["scans:write", "scans:read"], organisation=organisation)
    with django_capture_on_commit_callbacks(execute=False):
        response = _upload(system, text_pdf())
    assert response.status_code == 202
    own = ScannedLetter.objects.get(pk=response.json()["id"])
    assert (own.organisation, own.received_by) == (organisation, None)
    assert system.get(f"{URL}/{own.pk}").status_code == 200

    staff, _user = user_with_role("post_room")
    with django_capture_on_commit_callbacks(execute=False):
        theirs = _upload(staff, text_pdf(["Een brief die de postkamer scande."])).json()["id"]
    assert system.get(f"{URL}/{theirs}").status_code == 404  # not its letter: not revealed
    assert system.get(f"{URL}/999999").status_code == 404

    other, _client = client_with_scopes(["scans:write", "scans:read"])
    again = _upload(other, text_pdf())  # the first organisation's scan, delivered again by another
    assert (again.status_code, again.json()["code"]) == (409, "duplicate_scan")
    assert set(again.json()) == {"type", "title", "status", "detail", "code", "trace_id"}  # no letter in it


@pytest.mark.parametrize(
    ("scopes", "deliver", "read"),
    [
        ([], 403, 403),
        (["contacts:write", "cases:read"], 403, 403),
        (["scans:read"], 403, 200),
        (["scans:write"], 202, 403),
    ],
)
def test_a_missing_scope_is_403(client_with_scopes, scopes, deliver, read, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    writer, _client = client_with_scopes(["scans:write"], organisation=organisation)
    with django_capture_on_commit_callbacks(execute=False):
        letter_id = _upload(writer, text_pdf(["Eerder aangeleverd."])).json()["id"]
    http, _client = client_with_scopes(scopes, organisation=organisation)
    with django_capture_on_commit_callbacks(execute=False):
        assert _upload(http, text_pdf()).status_code == deliver
    assert http.get(f"{URL}/{letter_id}").status_code == read
