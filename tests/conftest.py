import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from contactcentre import kennisbank
from contactcentre.api.services import api_client_create
from contactcentre.registry.models import Organisation
from contactcentre.registry.services import organisations_import
from lifeevents.models import Article, ArticleFeedback, ArticleVersion, LifeEvent
from lifeevents.services import kennisbank_import
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


def _wipe_knowledge():
    ArticleFeedback.objects.all().delete()
    ArticleVersion.objects.all().delete()
    Article.objects.all().delete()
    LifeEvent.objects.all().delete()


@pytest.fixture(scope="module")
def kb(django_db_setup, django_db_blocker):
    """The shipped kennisbank (organisations, 14 life events, 251 published articles), imported once per
    module outside the per-test transactions and removed afterwards."""
    codes = [row["code"] for row in kennisbank.load("organisations")]
    with django_db_blocker.unblock():
        _wipe_knowledge()
        existing = set(Organisation.objects.filter(code__in=codes).values_list("code", flat=True))
        organisations_import(rows=kennisbank.load("organisations"))
        kennisbank_import(directory=kennisbank.KENNISBANK_DIR)
    yield
    with django_db_blocker.unblock():
        _wipe_knowledge()
        Organisation.objects.filter(code__in=set(codes) - existing).delete()
