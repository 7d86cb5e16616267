"""`Idempotency-Key` on API POSTs: the same key and body answers the stored response again; the same
key with another body is a 422; a key still being processed is a 409. Keys are kept per principal for
IDEMPOTENCY_TTL_SECONDS."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from contactcentre.api.authentication import ApiTokenAuthentication, client_for_token
from contactcentre.api.errors import problem_response
from contactcentre.api.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Answers that say "try again" are not stored, so a retry can succeed.
NOT_STORED = {401, 403, 408, 409, 423, 425, 429}


def _principal(request: HttpRequest) -> str | None:
    """Who the keys belong to: a valid token's client or a signed-in user. Anyone else (no or a wrong
    token) is not answered from the store: authentication refuses them before anything else."""
    authorization = request.headers.get("Authorization")
    if authorization:
        keyword, _, token = authorization.partition(" ")
        client = client_for_token(token) if keyword == ApiTokenAuthentication.keyword else None
        return f"client:{client.pk}" if client is not None else None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def _request_hash(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.body):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if request.method != "POST" or not key or not request.path.startswith("/api/"):
            return self.get_response(request)
        principal = _principal(request)
        if principal is None:
            return self.get_response(request)  # anonymous: authentication will refuse it anyway
        if len(key) > MAX_KEY_LENGTH:
            return problem_response(400, detail=f"{HEADER} is langer dan {MAX_KEY_LENGTH} tekens.")

        request_hash = _request_hash(request)
        record, replay = self._claim(principal, key, request_hash)
        if replay is not None:
            return replay

        response = self.get_response(request)
        if response.status_code >= 500 or response.status_code in NOT_STORED or getattr(response, "streaming", False):
            record.delete()
        else:
            record.status_code = response.status_code
            record.content_type = response.get("Content-Type", "")
            record.body = response.content
            record.save(update_fields=["status_code", "content_type", "body"])
        return response

    def _claim(self, principal: str, key: str, request_hash: str):
        cutoff = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS)
        IdempotencyRecord.objects.filter(principal=principal, key=key, created_at__lt=cutoff).delete()
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(principal=principal, key=key, request_hash=request_hash), None
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
        if existing is None:  # expired and purged between the two statements: treat as in progress
            return None, problem_response(409, detail="Dit verzoek wordt al verwerkt.", code="idempotency_in_progress")
        if existing.request_hash != request_hash:
            return None, problem_response(
                422,
                detail=f"Deze {HEADER} is al gebruikt voor een ander verzoek.",
                code="idempotency_key_reused",
            )
        if existing.status_code is None:
            return None, problem_response(409, detail="Dit verzoek wordt al verwerkt.", code="idempotency_in_progress")
        replay = HttpResponse(bytes(existing.body), status=existing.status_code, content_type=existing.content_type)
        replay["Idempotent-Replayed"] = "true"
        return None, replay
