"""An agent's work: on the work page the live screen pop of a call put through to them, followed to the
contact's workspace and resolved there with an article; a web question taken from the queue with the
keyboard and answered, the answer recorded on the citizen's contact and put in the outbox for their
portal. axe-core on every page. The pop needs websockets: the pages come from the ASGI server."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from contactcentre.api import roles
from contactcentre.firstline.services import web_question_submit
from contactcentre.interactions.models import ContactMoment, Notification, WorkItem
from contactcentre.interactions.services import contact_moment_connect, work_queue_ensure
from contactcentre.interactions.work_items import agent_skill_set
from contactcentre.principal import SYSTEM, Principal
from tests.browser.conftest import assert_accessible, elsewhere
from tests.casemanagement.factories import PersonFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("asgi_live_server")]


def test_an_agent_takes_a_call_from_the_pop_and_resolves_it_with_an_article(staff_page, knowledge):
    page = staff_page(roles.AGENT, username="anna")
    anna = get_user_model().objects.get(username="anna")
    caller = PersonFactory(given_names="Sanne", surname="de Vries")
    call = ContactMoment.objects.create(channel="phone", party=caller)

    page.goto("/medewerker/werk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Werk")
    expect(page.locator("#screen-pops")).to_have_attribute("data-live", "true")  # the socket is open
    assert_accessible(page)

    elsewhere(contact_moment_connect, contact=call, agent=anna, actor=SYSTEM)

    pop = page.get_by_role("alert")
    expect(pop).to_contain_text("Er is een contact met u doorverbonden.")
    assert_accessible(page)
    pop.get_by_role("link", name="Contact openen").click()
    page.wait_for_url(f"**/medewerker/contacten/{call.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sanne de Vries")
    assert_accessible(page)
    page.get_by_label("Zoek in de kennisbank").fill("verhuizing doorgeven")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("button", name=re.compile("^Dit beantwoordde de vraag")).first.click()
    expect(page.locator(".linked")).to_contain_text("Gekoppeld aan dit contact")
    assert_accessible(page)
    page.get_by_role("button", name="Contact afsluiten").click()
    expect(page.locator(".messages")).to_contain_text("Contact afgesloten: Vraag beantwoord.")
    call.refresh_from_db()
    assert (call.agent, call.outcome, call.articles.count()) == (anna, "answered", 1)


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
