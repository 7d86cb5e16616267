"""Idempotency-Key on POST: replay, conflict, expiry, and what is not stored."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contactcentre.api.models import IdempotencyRecord
from contactcentre.api.services import idempotency_records_purge
from contactcentre.registry.models import Organisation

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]
URL = "/api/v1/_test/organisations"


def post(http, body, key):
    return http.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_same_key_and_body_replays_the_stored_response_without_a_second_effect(client_with_scopes):
    http, _ = client_with_scopes(["cases:write"])
    first = post(http, {"code": "uwv-2", "name": "UWV"}, "key-1")
    second = post(http, {"code": "uwv-2", "name": "UWV"}, "key-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Organisation.objects.filter(code="uwv-2").count() == 1


def test_same_key_other_body_is_422_and_changes_nothing(client_with_scopes):
    http, _ = client_with_scopes(["cases:write"])
    post(http, {"code": "uwv-2", "name": "UWV"}, "key-1")
    response = post(http, {"code": "svb-2", "name": "SVB"}, "key-1")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert not Organisation.objects.filter(code="svb-2").exists()


def test_keys_are_per_client(client_with_scopes):
    first, _ = client_with_scopes(["cases:write"])
    second, _ = client_with_scopes(["cases:write"])
    assert post(first, {"code": "a1", "name": "A"}, "shared").status_code == 201
    assert post(second, {"code": "b1", "name": "B"}, "shared").status_code == 201


def test_expired_key_is_processed_again(client_with_scopes, settings):
    http, _ = client_with_scopes(["cases:write"])
    post(http, {"code": "c1", "name": "C"}, "old")
    IdempotencyRecord.objects.update(
        created_at=timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS + 1)
    )
    response = post(http, {"code": "c2", "name": "C2"}, "old")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Organisation.objects.filter(code__in=["c1", "c2"]).count() == 2


def test_validation_errors_are_replayed_too(client_with_scopes):
    http, _ = client_with_scopes(["cases:write"])
    first = post(http, {"code": "bad code!", "name": "X"}, "k")
    assert first.status_code == 400
    assert post(http, {"code": "bad code!", "name": "X"}, "k")["Idempotent-Replayed"] == "true"


def test_refused_request_is_not_stored_so_a_retry_can_succeed(client_with_scopes):
    http, client = client_with_scopes(["cases:read"])
    assert post(http, {"code": "d1", "name": "D"}, "k").status_code == 403
    assert not IdempotencyRecord.objects.exists()


def test_request_in_progress_is_409(client_with_scopes):
    http, _ = client_with_scopes(["cases:write"])
    post(http, {"code": "e1", "name": "E"}, "k")
    IdempotencyRecord.objects.update(status_code=None)  # as if the first request were still running
    response = post(http, {"code": "e1", "name": "E"}, "k")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_in_progress"


def test_purge_removes_only_expired_records(client_with_scopes, settings):
    http, _ = client_with_scopes(["cases:write"])
    post(http, {"code": "f1", "name": "F"}, "old")
    post(http, {"code": "f2", "name": "F"}, "new")
    IdempotencyRecord.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS + 1)
    )
    assert idempotency_records_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_a_wrong_token_is_refused_before_any_key_is_looked_at(api):
    """Keys belong to authenticated callers only: a wrong token reusing a key gets 401 each time and
    nothing is kept for it (the whole-schema fuzz found an anonymous POST answered 422 by the store)."""
    api.credentials(HTTP_AUTHORIZATION="Bearer abcdef.not-a-secret")
    first = post(api, {"code": "uwv-2", "name": "UWV"}, "key-1")
    second = post(api, {"code": "svb-2", "name": "SVB"}, "key-1")
    assert (first.status_code, second.status_code) == (401, 401)
    assert not IdempotencyRecord.objects.exists()
