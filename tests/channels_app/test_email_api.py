"""The raw-MIME endpoint for mail servers that push: token with the email:deliver scope, size limit
before reading, 202 with what became of the message; broken MIME quarantined (not a 500); the same
message twice one effect."""

import pytest
from rest_framework.test import APIClient

from channels_app.email.models import EmailMessage, QuarantinedEmail
from contactcentre.interactions.models import ContactMoment, WorkItem
from tests.channels_app import email_corpus as corpus

pytestmark = pytest.mark.django_db
URL = "/api/v1/email/messages"
RFC822 = "message/rfc822"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def mail_server(client_with_scopes):
    http, _client = client_with_scopes(["email:deliver"])
    return http


def post(http, raw: bytes, content_type: str = RFC822):
    return http.generic("POST", URL, raw, content_type=content_type)


def test_a_pushed_message_is_imported_and_answered_202(mail_server, person):
    response = post(mail_server, corpus.plain())

    assert response.status_code == 202
    message = EmailMessage.objects.get()
    assert response.json() == {
        "result": "imported",
        "message_id": "<plain-1@voorbeeld.nl>",
        "thread": message.thread_id,
        "contact_moment": message.contact_moment_id,
        "quarantine": None,
        "quarantine_reason": None,
    }
    assert message.source == "push"
    assert message.contact_moment.party_id == person.pk


def test_the_same_message_pushed_twice_has_one_effect(mail_server, person):
    first = post(mail_server, corpus.plain()).json()
    second = post(mail_server, corpus.plain())

    assert second.status_code == 202
    assert second.json() == first | {"result": "duplicate"}
    assert EmailMessage.objects.count() == 1
    assert ContactMoment.objects.count() == 1
    assert WorkItem.objects.count() == 1


def test_broken_mime_is_quarantined_with_202_not_a_500_and_once(mail_server):
    first = post(mail_server, corpus.BOUNDARY_MISSING)
    second = post(mail_server, corpus.BOUNDARY_MISSING)

    quarantine = QuarantinedEmail.objects.get()
    assert first.status_code == second.status_code == 202
    assert first.json() == {
        "result": "quarantined",
        "message_id": None,
        "thread": None,
        "contact_moment": None,
        "quarantine": quarantine.pk,
        "quarantine_reason": "broken_mime",
    }
    assert second.json() == first.json()
    assert not ContactMoment.objects.exists()


def test_an_automatic_message_is_accepted_as_suppressed(mail_server):
    response = post(mail_server, corpus.auto_reply("auto_submitted"))
    assert (response.status_code, response.json()["result"], response.json()["contact_moment"]) == (
        202,
        "suppressed",
        None,
    )


def test_a_message_over_the_limit_is_413_and_nothing_is_kept(mail_server, settings):
    raw = corpus.plain()
    settings.EMAIL_MAX_MESSAGE_BYTES = len(raw) - 1

    response = post(mail_server, raw)

    assert response.status_code == 413
    assert response.json()["code"] == "message_too_large"
    assert not EmailMessage.objects.exists() and not QuarantinedEmail.objects.exists()
    settings.EMAIL_MAX_MESSAGE_BYTES = len(raw)
    assert post(mail_server, raw).status_code == 202


def test_another_media_type_is_415(mail_server):
    response = post(mail_server, corpus.plain(), content_type="application/json")
    assert response.status_code == 415
    assert not EmailMessage.objects.exists()


def test_no_token_is_401_and_a_wrong_token_is_401(db):
    anonymous = APIClient()
    assert post(anonymous, corpus.plain()).status_code == 401
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Bearer abcd1234.not-the-secret")
    assert post(wrong, corpus.plain()).status_code == 401
    assert not EmailMessage.objects.exists()


def test_a_token_without_the_scope_is_403(client_with_scopes):
    http, _client = client_with_scopes(["contacts:write", "cases:write"])
    assert post(http, corpus.plain()).status_code == 403
    assert not EmailMessage.objects.exists()


@pytest.mark.parametrize("role", ["agent", "supervisor", "functional_admin"])
def test_people_do_not_push_mail(user_with_role, role):
    http, _user = user_with_role(role)
    assert post(http, corpus.plain()).status_code == 403
    assert not EmailMessage.objects.exists()


def test_a_message_larger_than_djangos_upload_memory_limit_is_taken(mail_server, person, settings):
    raw = corpus.plain(body=("Een lange brief. " * 60 + "\n") * 4_000)  # about 4 MB
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < len(raw) < settings.EMAIL_MAX_MESSAGE_BYTES

    response = post(mail_server, raw)

    assert (response.status_code, response.json()["result"]) == (202, "imported")
