""" "Did this page help?" at the foot of every public and portal page: stored anonymously (the page's
path, the answer, a comment without personal data, the day), only for pages of this portal (no open
redirect), limited per client address, with and without htmx; read-only for the functional
administrator."""

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from lifeevents.models import PageFeedback
from tests.casemanagement.factories import PersonFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _send(client, next_="/", helpful="no", comment="", **meta):
    return client.post("/reactie/", {"next": next_, "helpful": helpful, "comment": comment}, **meta)


@pytest.mark.parametrize("path", ["/", "/zoeken/", "/mijn/inloggen/"])
def test_every_public_page_carries_the_form_with_its_own_path(client, settings, path):
    settings.DEMO_MODE = True
    html = client.get(path).content.decode()
    assert "Heeft deze pagina u geholpen?" in html
    assert 'action="/reactie/"' in html and f'name="next" value="{path}"' in html


def test_the_portal_pages_carry_it_too(client, settings):
    settings.DEMO_MODE = True
    client.post("/mijn/inloggen/", {"person": PersonFactory().pk})
    for path in ("/mijn/", "/mijn/gegevens/", "/mijn/voorkeuren/", "/mijn/terugbellen/", "/mijn/inzage/"):
        assert f'name="next" value="{path}"' in client.get(path).content.decode(), path


def test_an_answer_keeps_its_own_feedback_and_not_a_second_form(client, kb):
    html = client.get("/antwoorden/kb-0001/").content.decode()
    assert html.count('id="feedback-titel"') == 1
    assert 'action="/antwoorden/kb-0001/reactie/"' in html and 'action="/reactie/"' not in html


def test_an_answer_is_stored_anonymously_and_the_reader_goes_back_with_thanks(client):
    response = _send(client, "/zoeken/?q=mijn+bsn+123456782", comment="Bel me op 0612345678 of jan@example.nl")
    assert response.status_code == 302
    assert response["Location"] == "/zoeken/?q=mijn+bsn+123456782&bedankt=1#feedback-titel"
    row = PageFeedback.objects.get()
    assert (row.path, row.helpful, row.created_on) == ("/zoeken/", False, timezone.localdate())
    assert row.comment == "Bel me op [verwijderd] of [verwijderd]"
    assert "Dank u wel" in client.get(response["Location"]).content.decode()


def test_nothing_personal_is_stored_not_even_for_a_signed_in_citizen(client, settings):
    settings.DEMO_MODE = True
    assert {field.name for field in PageFeedback._meta.get_fields()} == {
        "id",
        "path",
        "helpful",
        "comment",
        "created_on",
    }
    client.post("/mijn/inloggen/", {"person": PersonFactory().pk})
    sessions = Session.objects.count()
    _send(client, "/mijn/gegevens/", helpful="yes", REMOTE_ADDR="203.0.113.9")
    assert list(PageFeedback.objects.values_list("path", "helpful", "comment")) == [("/mijn/gegevens/", True, "")]
    assert Session.objects.count() == sessions


def test_an_anonymous_answer_starts_no_session(client):
    response = _send(client, "/", helpful="yes")
    assert response.status_code == 302
    assert Session.objects.count() == 0 and "sessionid" not in response.cookies


def test_a_comment_goes_with_a_no_only(client):
    _send(client, "/", helpful="yes", comment="Prima zo")
    assert PageFeedback.objects.get().comment == ""


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/mijn/",
        "https://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "",
        "/medewerker/",  # this site, but no portal page
        "/admin/",
        "/bestaat-niet/",
    ],
)
def test_only_a_page_of_this_portal_is_accepted(client, target):
    response = _send(client, target, helpful="yes")
    assert response.status_code == 400
    assert "Deze pagina kennen wij niet." in response.content.decode()
    assert "evil.example" not in response.get("Location", "")
    assert PageFeedback.objects.count() == 0


def test_an_over_long_comment_is_refused_with_a_clear_message(client):
    response = _send(client, "/zoeken/", comment="x" * 501)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Uw toelichting is 501 tekens; gebruik er hoogstens 500." in html
    assert 'name="next" value="/zoeken/"' in html and 'value="no" checked' in html  # the form again, as it was
    assert PageFeedback.objects.count() == 0


def test_an_answer_without_a_choice_is_refused(client):
    assert _send(client, "/", helpful="misschien").status_code == 400
    assert PageFeedback.objects.count() == 0


def test_a_get_is_refused(client):
    assert client.get("/reactie/", {"next": "/", "helpful": "yes"}).status_code == 405


def test_htmx_swaps_the_section_in_place(client):
    response = _send(client, "/zoeken/", helpful="yes", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="feedback" id="feedback"') and "Dank u wel" in html
    assert "<html" not in html
    assert PageFeedback.objects.count() == 1


def test_htmx_shows_a_refusal_in_place_too(client):
    response = _send(client, "/zoeken/", comment="x" * 501, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "gebruik er hoogstens 500" in html and 'role="alert"' in html
    assert PageFeedback.objects.count() == 0


def test_a_flood_from_one_address_is_cut_off_and_a_bystander_still_answers(client, settings):
    settings.PAGE_FEEDBACK_PER_HOUR = 3
    answers = [_send(client, "/", REMOTE_ADDR="198.51.100.7").status_code for _ in range(5)]
    assert answers == [302, 302, 302, 429, 429]
    assert "Probeer het over een uur opnieuw" in _send(client, "/", REMOTE_ADDR="198.51.100.7").content.decode()
    assert _send(client, "/", REMOTE_ADDR="198.51.100.8").status_code == 302
    assert PageFeedback.objects.count() == 4


def test_the_functional_administrator_reads_page_feedback_but_never_writes_it(client):
    row = PageFeedback.objects.create(path="/zoeken/", helpful=False, comment="Niets gevonden")
    client.force_login(UserFactory(role="functional_admin", is_staff=True))
    listing = client.get("/admin/lifeevents/pagefeedback/")
    assert listing.status_code == 200 and "Niets gevonden" in listing.content.decode()
    assert client.get("/admin/lifeevents/pagefeedback/add/").status_code == 403
    client.post(f"/admin/lifeevents/pagefeedback/{row.pk}/change/", {"path": "/", "helpful": "on", "comment": "x"})
    row.refresh_from_db()
    assert (row.path, row.helpful, row.comment) == ("/zoeken/", False, "Niets gevonden")


def test_an_agent_does_not_see_page_feedback(client):
    client.force_login(UserFactory(role="agent", is_staff=True))
    assert client.get("/admin/lifeevents/pagefeedback/").status_code == 403
