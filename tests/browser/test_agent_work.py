"""An agent's work: on the work page the live screen pop of a call put through to them, followed to the
contact's workspace; a web question taken from the queue with the keyboard and answered, the answer
recorded on the citizen's contact and put in the outbox for their portal. axe-core on every page.

The pop needs websockets, which pytest-django's live server (WSGI) does not serve: these tests run the
project's ASGI application in Daphne in a child process, as channels' ChannelsLiveServerTestCase does,
on the same test database and (REDIS_URL) the same channel layer."""

import re
import threading
from functools import partial

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from playwright.sync_api import expect

from contactcentre.api import roles
from contactcentre.firstline.services import web_question_submit
from contactcentre.interactions.models import ContactMoment, Notification, WorkItem
from contactcentre.interactions.services import contact_moment_connect, work_queue_ensure
from contactcentre.interactions.work_items import agent_skill_set
from contactcentre.principal import SYSTEM, Principal
from tests.browser.conftest import assert_accessible
from tests.casemanagement.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)
HOST = "localhost"


@pytest.fixture
def asgi_live_server(transactional_db, settings):
    """The ASGI application (HTTP, static files and websockets) served by Daphne; its base URL."""
    from channels.testing.live import make_application
    from daphne.testing import DaphneProcess
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    if HOST not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    connections.close_all()  # the child must not share this process's database connection
    # Forked: the child inherits the settings as the test run made them (the test database's name).
    server = DaphneProcess(HOST, partial(make_application, static_wrapper=ASGIStaticFilesHandler))
    server.start()
    if not server.ready.wait(timeout=30):
        server.terminate()
        raise RuntimeError("Daphne did not start")
    yield f"http://{HOST}:{server.port.value}"
    server.terminate()
    server.join()


@pytest.fixture
def page(browser, asgi_live_server):
    """tests/browser/conftest.py's page, on the ASGI server (the staff_page fixture signs in on it)."""
    context = browser.new_context(base_url=asgi_live_server, locale="nl-NL")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _in_another_thread(work) -> None:
    """Playwright's sync API keeps an event loop in this thread, where the channel layer's
    async_to_sync cannot run: the service that publishes runs in a thread of its own."""
    errors = []

    def run():
        try:
            work()
        except BaseException as error:  # handed to the test
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert errors == []


def test_an_agent_on_the_work_page_gets_the_pop_of_a_call_and_opens_its_contact(staff_page):
    page = staff_page(roles.AGENT, username="anna")
    anna = get_user_model().objects.get(username="anna")
    caller = PersonFactory(given_names="Sanne", surname="de Vries")
    call = ContactMoment.objects.create(channel="phone", party=caller)

    page.goto("/medewerker/werk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Werk")
    expect(page.locator("#screen-pops")).to_have_attribute("data-live", "true")  # the socket is open
    assert_accessible(page)

    _in_another_thread(lambda: contact_moment_connect(contact=call, agent=anna, actor=SYSTEM))

    pop = page.get_by_role("alert")
    expect(pop).to_contain_text("Er is een contact met u doorverbonden.")
    assert_accessible(page)
    pop.get_by_role("link", name="Contact openen").click()
    page.wait_for_url(f"**/medewerker/contacten/{call.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sanne de Vries")
    assert_accessible(page)


def test_an_agent_takes_a_web_question_with_the_keyboard_and_answers_it(staff_page):
    work_queue_ensure(code="web", name="Vragen via de website")
    citizen = PersonFactory(given_names="Fatima", surname="El Amrani")
    question = web_question_submit(
        citizen=Principal.citizen(party_id=citizen.pk, assurance="substantial"),
        question="Moet ik mijn verhuizing ook aan de Belastingdienst doorgeven?",
    )
    page = staff_page(roles.AGENT, username="bert")
    agent_skill_set(user=get_user_model().objects.get(username="bert"), queue_codes=["web"])

    page.goto("/medewerker/werk/")
    queues = page.get_by_role("table", name="Wachtend werk per werkbak")
    expect(queues.get_by_role("row").filter(has_text="Vragen via de website")).to_contain_text("1")
    assert_accessible(page)
    page.keyboard.press("Alt+KeyN")  # "Volgende pakken"

    expect(page.get_by_role("status")).to_contain_text("U behandelt nu: Vraag via Mijn omgeving")
    item = page.get_by_role("article")
    expect(item).to_contain_text("Moet ik mijn verhuizing ook aan de Belastingdienst doorgeven?")
    expect(item.get_by_role("link", name=re.compile("^Contact openen"))).to_have_attribute(
        "href", f"/medewerker/contacten/{question.pk}/"
    )
    assert_accessible(page)
    page.keyboard.press("Alt+KeyA")
    expect(page.get_by_label("Antwoord (via Vraag via de website)")).to_be_focused()
    page.keyboard.type("Nee, de gemeente geeft uw nieuwe adres door aan de Belastingdienst.")
    page.get_by_role("button", name="Antwoord versturen").click()

    expect(page.get_by_role("status")).to_contain_text("Het antwoord is verstuurd")
    expect(page.get_by_text("U hebt geen werk in behandeling.")).to_be_visible()
    assert_accessible(page)
    question.refresh_from_db()
    answer = "Nee, de gemeente geeft uw nieuwe adres door aan de Belastingdienst."
    assert (question.outcome, question.answer) == ("answered", answer)
    assert list(Notification.objects.values_list("party_id", "channel", "body")) == [(citizen.pk, "portal", answer)]
    assert WorkItem.objects.get(contact_moment=question).status == "done"
