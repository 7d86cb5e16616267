"""The citizen principal: a session bound to one party, at least DigiD (substantial) level."""

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory

from contactcentre.principal import CITIZEN_SESSION_KEY, citizen_from_session
from contactcentre.registry.citizen import citizen_session_end, citizen_session_start

pytestmark = pytest.mark.django_db


def _request():
    request = RequestFactory().get("/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.session["before"] = 1
    request.session.save()
    return request


def test_session_start_binds_the_party_and_rotates_the_session_key():
    request = _request()
    old_key = request.session.session_key
    citizen = citizen_session_start(request=request, party_id=7, assurance="substantial")
    assert request.session.session_key != old_key
    assert request.session[CITIZEN_SESSION_KEY] == {"party_id": 7, "assurance": "substantial"}
    assert citizen_from_session(request.session) == citizen
    assert (citizen.party_id, citizen.is_citizen, citizen.has_perm("registry.view_party")) == (7, True, False)


def test_low_assurance_cannot_start_a_citizen_session():
    with pytest.raises(ValueError):
        citizen_session_start(request=_request(), party_id=7, assurance="low")


def test_session_end_forgets_the_citizen():
    request = _request()
    citizen_session_start(request=request, party_id=7, assurance="high")
    citizen_session_end(request=request)
    assert citizen_from_session(request.session) is None
