"""Attachments of escalations (issue 16): sent with the escalation or added while it is open by who
handles its contact, checked before anything is stored (count, size, the type sniffed from the first
bytes), stored under random names, listed on the escalation, downloadable by the organisation it is
routed to only (another organisation's token: 404; logged with purpose second_line), in the delivery
payload as metadata and a link, shown read-only in the admin, never in a log."""

import hashlib
import logging
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext

from casemanagement import escalations as escalations_module
from casemanagement.delivery import escalation_payload
from casemanagement.escalations import escalation_attachments_add, escalation_create, escalation_transition
from casemanagement.models import Escalation, EscalationAttachment, EscalationEvent, RoutingRule
from contactcentre.errors import AccessDenied, RuleViolation, TooLarge, ValidationFailed
from contactcentre.interactions.services import contact_moment_record
from contactcentre.processinglog.models import ProcessingRecord
from tests.casemanagement.factories import PersonFactory
from tests.factories import OrganisationFactory, UserFactory, organisation, staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
TIFF = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 24
TEXT = b"Brief van de gemeente, ontvangen 3 maart.\nKenmerk 12-345.\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 40
GIF = b"GIF89a" + b"\x00" * 20
MARKER = b"GEHEIME-INHOUD-7f3a"  # must never reach a log


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PUBLIC_BASE_URL = "https://contactcentrum.example.nl"
    settings.ESCALATION_ATTACHMENT_MAX_BYTES = 4096
    settings.ESCALATION_ATTACHMENTS_MAX_COUNT = 3


@pytest.fixture
def world():
    home, other = OrganisationFactory(code="uwv-att"), OrganisationFactory(code="svb-att")
    RoutingRule.objects.create(name="Alles naar UWV", is_default=True, organisation=home, order=999)
    return {"home": home, "other": other, "agent": UserFactory(role="agent"), "person": PersonFactory()}


def _file(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _contact(world, user=None):
    user = user or world["agent"]
    contact, _ = contact_moment_record(channel="phone", actor=staff(user), agent=user, party=world["person"])
    return contact


def _escalate(world, files=(), user=None):
    user = user or world["agent"]
    return escalation_create(
        contact=_contact(world, user), actor=staff(user), question="Waar blijft mijn uitkering?", attachments=files
    )


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


# --- the service: checks, storage ------------------------------------------------------------------


def test_each_accepted_type_is_stored_under_a_random_name_with_its_sniffed_type(world, settings):
    settings.ESCALATION_ATTACHMENTS_MAX_COUNT = 4
    files = [
        _file("aanvraag.pdf", PDF),
        _file("foto.png", PNG),
        _file("../../etc/scan\x07.jpg", JPEG, "image/png"),  # the sender's type and directories are ignored
    ]
    escalation = _escalate(world, files)
    more = escalation_attachments_add(
        escalation=escalation, actor=staff(world["agent"]), files=[_file("scan.tif", TIFF)]
    )
    assert [attachment.original_name for attachment in more] == ["scan.tif"]

    rows = list(escalation.attachments.order_by("id"))
    assert [(row.original_name, row.content_type, row.size) for row in rows] == [
        ("aanvraag.pdf", "application/pdf", len(PDF)),
        ("foto.png", "image/png", len(PNG)),
        ("scan.jpg", "image/jpeg", len(JPEG)),
        ("scan.tif", "image/tiff", len(TIFF)),
    ]
    for row, content in zip(rows, [PDF, PNG, JPEG, TIFF], strict=True):
        assert row.sha256 == hashlib.sha256(content).hexdigest()
        assert row.file.name == f"escalation-attachments/{row.key.hex[:2]}/{row.key.hex}"
        assert Path(settings.MEDIA_ROOT, row.file.name).read_bytes() == content
        assert row.uploaded_by == world["agent"]
    assert len(_stored_files(settings)) == 4
    assert all(
        escalation.reference not in str(path) and "aanvraag" not in str(path) for path in _stored_files(settings)
    )


def test_plain_text_is_accepted_and_text_that_starts_like_a_magic_number_too(world):
    escalation = _escalate(world, [_file("notitie.txt", TEXT), _file("bm.txt", b"BMeer uitleg volgt.\r\n")])
    assert list(escalation.attachments.values_list("content_type", flat=True)) == ["text/plain", "text/plain"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("programma.pdf", EXE),  # a Windows program named as a PDF
        ("plaatje.gif", GIF),  # an image of a type not accepted
        ("tekst.txt", b"regel een\x00regel twee"),  # a NUL: not text
        ("latin1.txt", "café".encode("latin-1")),  # not UTF-8
    ],
)
def test_a_type_not_accepted_is_refused_naming_the_types_and_nothing_is_stored(world, settings, name, content):
    with pytest.raises(ValidationFailed) as refused:
        _escalate(world, [_file("goed.pdf", PDF), _file(name, content, "application/pdf")])
    assert refused.value.code == "attachment_type_not_allowed"
    assert refused.value.field_errors["attachments"] == [
        f"{name} is van een soort die niet wordt aangenomen; toegestaan: "
        "application/pdf, image/png, image/jpeg, image/tiff, text/plain."
    ]
    assert not Escalation.objects.exists() and not EscalationAttachment.objects.exists()
    assert _stored_files(settings) == []


def test_a_file_over_the_size_limit_is_refused_naming_the_limit_and_nothing_is_stored(world, settings):
    with pytest.raises(TooLarge) as refused:
        _escalate(world, [_file("groot.pdf", PDF + b"0" * 4096)])
    assert (refused.value.status, refused.value.code) == (413, "attachment_too_large")
    assert refused.value.message == f"groot.pdf is te groot: ten hoogste {filesizeformat(4096)} per bestand."
    assert not Escalation.objects.exists() and _stored_files(settings) == []
    exactly_at_the_limit = PDF + b"0" * (4096 - len(PDF))
    assert _escalate(world, [_file("precies.pdf", exactly_at_the_limit)]).attachments.get().size == 4096


def test_more_files_than_the_limit_are_refused_and_nothing_is_stored(world, settings):
    with pytest.raises(ValidationFailed) as refused:
        _escalate(world, [_file(f"{n}.pdf", PDF) for n in range(4)])
    assert refused.value.code == "attachments_too_many"
    assert refused.value.field_errors["attachments"] == ["Te veel bijlagen: ten hoogste 3 per doorverwijzing."]
    assert not Escalation.objects.exists() and _stored_files(settings) == []


def test_an_empty_file_is_refused(world, settings):
    with pytest.raises(ValidationFailed) as refused:
        _escalate(world, [_file("leeg.pdf", b"")])
    assert refused.value.code == "attachment_empty" and _stored_files(settings) == []


def test_a_transaction_that_fails_after_the_files_were_written_leaves_no_file(world, settings, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(escalations_module, "_log", broken)  # after the files are written, before commit
    with pytest.raises(RuntimeError):
        escalation_attachments_add(
            escalation=_escalate(world), actor=staff(world["agent"]), files=[_file("a.pdf", PDF)]
        )
    assert not EscalationAttachment.objects.exists()
    assert _stored_files(settings) == []


def test_adding_counts_the_files_already_there(world, settings):
    escalation = _escalate(world, [_file("a.pdf", PDF), _file("b.pdf", PDF)])
    with pytest.raises(ValidationFailed) as refused:
        escalation_attachments_add(
            escalation=escalation, actor=staff(world["agent"]), files=[_file("c.pdf", PDF), _file("d.pdf", PDF)]
        )
    assert refused.value.code == "attachments_too_many"
    assert escalation.attachments.count() == 2 and len(_stored_files(settings)) == 2


def test_only_who_handles_the_contact_adds_and_only_while_the_escalation_is_open(world, settings, client_with_scopes):
    escalation = _escalate(world)
    stranger = UserFactory(role="agent")
    with pytest.raises(AccessDenied):
        escalation_attachments_add(escalation=escalation, actor=staff(stranger), files=[_file("a.pdf", PDF)])
    assert ProcessingRecord.objects.filter(actor_id=f"user:{stranger.pk}", outcome="denied").exists()

    _http, client = client_with_scopes(["escalations:write"], organisation=world["home"])
    escalation_transition(escalation=escalation, to_state="returned", actor=organisation(client), note="Niet voor ons.")
    with pytest.raises(RuleViolation) as refused:
        escalation_attachments_add(escalation=escalation, actor=staff(world["agent"]), files=[_file("a.pdf", PDF)])
    assert refused.value.code == "escalation_closed"
    assert not EscalationAttachment.objects.exists() and _stored_files(settings) == []


def test_adding_puts_it_on_the_timeline(world):
    escalation = _escalate(world)
    escalation_attachments_add(
        escalation=escalation, actor=staff(world["agent"]), files=[_file("a.pdf", PDF), _file("b.txt", TEXT)]
    )
    last = EscalationEvent.objects.filter(escalation=escalation).order_by("-at", "-id").first()
    assert (last.state, last.note) == ("delivered", "Bijlagen toegevoegd: a.pdf, b.txt")


# --- the delivery payload -----------------------------------------------------------------------------


def test_the_delivery_payload_has_metadata_and_a_download_link_never_the_bytes(world):
    escalation = _escalate(world, [_file("brief.pdf", PDF + MARKER)])
    attachment = escalation.attachments.get()
    payload = escalation_payload(Escalation.objects.get(pk=escalation.pk))
    assert payload["escalation"]["attachments"] == [
        {
            "id": str(attachment.key),
            "name": "brief.pdf",
            "content_type": "application/pdf",
            "size": len(PDF + MARKER),
            "sha256": hashlib.sha256(PDF + MARKER).hexdigest(),
            "created_at": attachment.created_at.isoformat(),
            "download_url": "https://contactcentrum.example.nl/api/v1/escalations/"
            f"{escalation.reference}/attachments/{attachment.key}",
        }
    ]
    assert MARKER.decode() not in repr(payload)


# --- the API: first line's uploads ------------------------------------------------------------------------


def test_the_first_line_escalates_with_attachments_in_one_multipart_request(user_with_role, world, settings):
    http, user = user_with_role("agent")
    contact = _contact(world, user)
    response = http.post(
        "/api/v1/escalations",
        {
            "contact_moment": contact.pk,
            "question": "Waar blijft mijn uitkering?",
            "share_history": "true",
            "attachments": [_file("brief.pdf", PDF), _file("notitie.txt", TEXT)],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["share_history"] is True
    assert [(a["name"], a["content_type"], a["size"]) for a in body["attachments"]] == [
        ("brief.pdf", "application/pdf", len(PDF)),
        ("notitie.txt", "text/plain", len(TEXT)),
    ]
    assert body["attachments"][0]["download_url"].startswith(
        f"https://contactcentrum.example.nl/api/v1/escalations/{body['reference']}/attachments/"
    )
    assert len(_stored_files(settings)) == 2


def test_a_refused_upload_is_a_problem_answer_naming_the_limit_and_stores_nothing(user_with_role, world, settings):
    http, user = user_with_role("agent")
    contact = _contact(world, user)
    cases = [
        ([_file("groot.pdf", PDF + b"0" * 5000)], 413, "attachment_too_large"),
        ([_file("x.exe", EXE)], 400, "attachment_type_not_allowed"),
        ([_file(f"{n}.pdf", PDF) for n in range(4)], 400, "attachments_too_many"),
    ]
    for files, status, code in cases:
        response = http.post(
            "/api/v1/escalations",
            {"contact_moment": contact.pk, "question": "Vraag", "attachments": files},
            format="multipart",
        )
        assert response.status_code == status, response.content
        assert response["Content-Type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["code"] == code
        assert problem["errors"][0]["field"] == "attachments"
    assert not Escalation.objects.exists() and _stored_files(settings) == []


def test_a_request_larger_than_every_attachment_at_its_limit_is_refused_before_it_is_read(
    user_with_role, world, settings
):
    http, user = user_with_role("agent")
    contact = _contact(world, user)
    response = http.post(
        "/api/v1/escalations",
        {"contact_moment": contact.pk, "question": "Vraag", "attachments": [_file("a.pdf", PDF + b"0" * 80_000)]},
        format="multipart",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert (
        response.json()["detail"] == f"Het verzoek is te groot: ten hoogste 3 bijlagen van elk {filesizeformat(4096)}."
    )
    assert not Escalation.objects.exists() and _stored_files(settings) == []


def test_the_first_line_adds_files_while_it_is_open(user_with_role, world, settings):
    http, user = user_with_role("agent")
    escalation = _escalate(world, user=user)
    path = f"/api/v1/escalations/{escalation.reference}/attachments"
    response = http.post(path, {"files": [_file("nagekomen.pdf", PDF)]}, format="multipart")
    assert response.status_code == 201, response.content
    assert [(a["name"], a["content_type"]) for a in response.json()] == [("nagekomen.pdf", "application/pdf")]
    other_http, _other = user_with_role("agent")
    refused = other_http.post(path, {"files": [_file("b.pdf", PDF)]}, format="multipart")
    assert refused.status_code == 403
    assert escalation.attachments.count() == 1 and len(_stored_files(settings)) == 1


@pytest.mark.parametrize("role", ["functional_admin"])
def test_roles_without_escalate_may_not_add(user_with_role, world, role):
    escalation = _escalate(world)
    http, _ = user_with_role(role)
    path = f"/api/v1/escalations/{escalation.reference}/attachments"
    assert http.post(path, {"files": [_file("a.pdf", PDF)]}, format="multipart").status_code == 403


def test_a_token_may_not_add_files(client_with_scopes, world):
    escalation = _escalate(world)
    http, _ = client_with_scopes(["escalations:read", "escalations:write"], organisation=world["home"])
    path = f"/api/v1/escalations/{escalation.reference}/attachments"
    assert http.post(path, {"files": [_file("a.pdf", PDF)]}, format="multipart").status_code == 403
    assert not EscalationAttachment.objects.exists()


# --- the API: the second line's downloads ----------------------------------------------------------------


def test_the_organisation_downloads_it_as_an_attachment_and_the_hand_out_is_logged(client_with_scopes, world):
    escalation = _escalate(world, [_file("brief van mij.pdf", PDF)])
    attachment = escalation.attachments.get()
    http, client = client_with_scopes(["escalations:read"], organisation=world["home"])
    response = http.get(f"/api/v1/escalations/{escalation.reference}/attachments/{attachment.key}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="brief van mij.pdf"'
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    record = ProcessingRecord.objects.get(object_type="escalation_attachment")
    assert (record.actor_id, record.purpose, record.purpose_reference, record.object_id, record.outcome) == (
        f"client:{client.pk}",
        "second_line",
        escalation.reference,
        str(attachment.pk),
        "success",
    )


def test_nobody_else_downloads_it(client_with_scopes, user_with_role, world):
    escalation = _escalate(world, [_file("brief.pdf", PDF)])
    key = escalation.attachments.get().key
    path = f"/api/v1/escalations/{escalation.reference}/attachments/{key}"
    other_org, _ = client_with_scopes(["escalations:read", "escalations:write"], organisation=world["other"])
    response = other_org.get(path)
    assert response.status_code == 404 and response["Content-Type"].startswith("application/problem+json")
    no_scope, _ = client_with_scopes(["cases:read", "escalations:write"], organisation=world["home"])
    assert no_scope.get(path).status_code == 403
    home, _ = client_with_scopes(["escalations:read"], organisation=world["home"])
    assert home.get(f"/api/v1/escalations/{escalation.reference}/attachments/{OTHER_KEY}").status_code == 404
    other_escalation = _escalate(world)
    assert home.get(f"/api/v1/escalations/{other_escalation.reference}/attachments/{key}").status_code == 404
    for role in ["agent", "counter_clerk", "supervisor", "functional_admin"]:
        http, _ = user_with_role(role)
        assert http.get(path).status_code == 403, role
    assert not ProcessingRecord.objects.filter(object_type="escalation_attachment", outcome="success").exists()


OTHER_KEY = "00000000-0000-4000-8000-000000000000"


def test_after_a_forward_only_the_new_organisation_downloads_it(client_with_scopes, world):
    escalation = _escalate(world, [_file("brief.pdf", PDF)])
    path = f"/api/v1/escalations/{escalation.reference}/attachments/{escalation.attachments.get().key}"
    home, home_client = client_with_scopes(["escalations:read", "escalations:write"], organisation=world["home"])
    assert (
        home.post(f"/api/v1/escalations/{escalation.reference}/forward", {"organisation": "svb-att"}).status_code == 200
    )
    other, _ = client_with_scopes(["escalations:read"], organisation=world["other"])
    assert home.get(path).status_code == 404
    assert other.get(path).status_code == 200


def test_the_detail_lists_them_in_queries_constant_in_their_number(client_with_scopes, world):
    escalation = _escalate(world, [_file("a.pdf", PDF)])
    http, _ = client_with_scopes(["escalations:read"], organisation=world["home"])
    path = f"/api/v1/escalations/{escalation.reference}"
    http.get(path)  # warm up (authentication caches)

    def read():
        with CaptureQueriesContext(connection) as captured:
            response = http.get(path)
        assert response.status_code == 200
        return len(captured), response.json()["attachments"]

    few, listed = read()
    assert [a["name"] for a in listed] == ["a.pdf"]
    escalation_attachments_add(
        escalation=escalation, actor=staff(world["agent"]), files=[_file("b.png", PNG), _file("c.txt", TEXT)]
    )
    many, listed = read()
    assert many == few
    assert [(a["name"], a["content_type"]) for a in listed] == [
        ("a.pdf", "application/pdf"),
        ("b.png", "image/png"),
        ("c.txt", "text/plain"),
    ]
    assert set(listed[0]) == {"id", "name", "content_type", "size", "sha256", "created_at", "download_url"}


def test_another_organisation_never_sees_the_list(client_with_scopes, world):
    escalation = _escalate(world, [_file("a.pdf", PDF)])
    http, _ = client_with_scopes(["escalations:read"], organisation=world["other"])
    assert http.get(f"/api/v1/escalations/{escalation.reference}").status_code == 404


# --- admin and logs --------------------------------------------------------------------------------------


def test_the_admin_shows_them_read_only_without_the_file(client, world):
    escalation = _escalate(world, [_file("brief.pdf", PDF)])
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "a-strong-test-password-1")
    client.force_login(admin)
    page = client.get(f"/admin/casemanagement/escalation/{escalation.pk}/change/").content.decode()
    attachment = escalation.attachments.get()
    assert "brief.pdf" in page and attachment.sha256 in page
    assert attachment.file.name not in page  # no link to the stored file
    assert 'name="attachments-0-original_name"' not in page  # not editable


def test_no_attachment_bytes_in_any_log_record(user_with_role, client_with_scopes, world, caplog):
    secret = PDF + MARKER
    with caplog.at_level(logging.DEBUG):
        escalation = _escalate(world, [_file("brief.pdf", secret)])
        http, _ = client_with_scopes(["escalations:read"], organisation=world["home"])
        key = escalation.attachments.get().key
        b"".join(http.get(f"/api/v1/escalations/{escalation.reference}/attachments/{key}").streaming_content)
        refused_http, user = user_with_role("agent")
        refused_http.post(
            "/api/v1/escalations",
            {
                "contact_moment": _contact(world, user).pk,
                "question": "V",
                "attachments": [_file("x.exe", EXE + MARKER)],
            },
            format="multipart",
        )
    assert caplog.records  # the requests were logged
    assert not any(
        MARKER.decode() in record.getMessage() or MARKER.decode() in str(record.__dict__) for record in caplog.records
    )
