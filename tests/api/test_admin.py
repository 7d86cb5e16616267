"""The admin's API-client form (issue 15, point 3): scopes are ticked from the valid ones; an unknown
scope, a string or a number is a form error, never a 500."""

import pytest

from contactcentre.api.admin import ApiClientForm
from contactcentre.api.models import ApiClient
from contactcentre.api.scopes import ALL_SCOPES
from contactcentre.api.services import api_client_create
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/api/apiclient/add/"


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _form(organisation, scopes) -> dict:
    data = {"name": "Zaaksysteem", "organisation": organisation.pk, "is_active": "on"}
    if scopes is not None:
        data["scopes"] = scopes
    return data


# The old form's JSON text field took these as JSON: an unknown scope, a string, a number.
@pytest.mark.parametrize(
    "scopes",
    [['["cases:reed"]'], ['"cases:read"'], ["5"], ["cases:reed"], ["cases:read", "cases:reed"], "cases", [""]],
)
def test_unknown_scopes_are_a_form_error(superuser_client, scopes):
    organisation = OrganisationFactory()
    response = superuser_client.post(ADD_URL, _form(organisation, scopes))
    assert response.status_code == 200  # the form again, with its errors
    assert "scopes" in response.context["adminform"].form.errors
    assert not ApiClient.objects.exists()


@pytest.mark.parametrize("value", [["cases:reed"], "cases:read", 5, {"cases:read": True}, [["cases:read"]], None])
def test_the_form_refuses_what_is_not_a_list_of_valid_scopes(value):
    form = ApiClientForm(data={"name": "x", "organisation": OrganisationFactory().pk, "scopes": value})
    if value is None:  # no scopes ticked: a client without scopes
        assert form.is_valid(), form.errors
        assert form.cleaned_data["scopes"] == []
    else:
        assert not form.is_valid()
        assert "scopes" in form.errors


def test_valid_scopes_create_a_client_and_show_its_token_once(superuser_client):
    organisation = OrganisationFactory()
    response = superuser_client.post(ADD_URL, _form(organisation, ["cases:write", "cases:read"]), follow=True)
    assert response.status_code == 200
    client = ApiClient.objects.get()
    assert client.scopes == ["cases:read", "cases:write"]
    assert client.organisation == organisation
    assert any("Token" in str(m) for m in response.context["messages"])


def test_the_add_form_offers_every_valid_scope_as_a_checkbox(superuser_client):
    content = superuser_client.get(ADD_URL).content.decode()
    for scope in ALL_SCOPES:
        assert f'type="checkbox" name="scopes" value="{scope}"' in content


def test_changing_scopes_is_checked_too(superuser_client):
    client, _ = api_client_create(name="Zaaksysteem", organisation=OrganisationFactory(), scopes=["cases:read"])
    url = f"/admin/api/apiclient/{client.pk}/change/"
    response = superuser_client.post(url, _form(client.organisation, ["cases:reed"]))
    assert response.status_code == 200
    assert "scopes" in response.context["adminform"].form.errors
    client.refresh_from_db()
    assert client.scopes == ["cases:read"]

    response = superuser_client.post(url, _form(client.organisation, ["knowledge:read", "cases:read"]))
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.scopes == ["cases:read", "knowledge:read"]
