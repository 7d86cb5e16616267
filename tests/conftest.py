import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from contactcentre.api.services import api_client_create
from tests.factories import OrganisationFactory, UserFactory

pytest_plugins = ["tests.fuzzing"]  # the `openapi_schema` fixture for every app's test_fuzz.py


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttles and lock-outs live in the cache; each test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """An anonymous DRF test client."""
    return APIClient()


@pytest.fixture
def client_with_scopes(db):
    """`client_with_scopes(["cases:read"], organisation=org)` -> (APIClient with a bearer token, ApiClient)."""

    def make(scopes, organisation=None):
        org = organisation or OrganisationFactory()
        client, token = api_client_create(name=f"client {org.code}", organisation=org, scopes=scopes)
        http = APIClient()
        http.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return http, client

    return make


@pytest.fixture
def user_with_role(db):
    """`user_with_role("agent")` -> (APIClient logged in with CSRF enforced, user)."""

    def make(role, **kwargs):
        user = UserFactory(role=role, **kwargs)
        http = APIClient(enforce_csrf_checks=False)
        http.force_login(user)
        return http, user

    return make
