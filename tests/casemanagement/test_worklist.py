"""The case worker's worklist (/behandelaar/): a staff member with the role Behandelaar and a membership
acts for their organisation as its API client would: only its escalations (another organisation's
reference is a 404 on every page and move), each move's exact effect, who is recorded, the processing
log, and a list whose query count does not grow with the escalations."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casemanagement.escalations import escalation_create
from casemanagement.models import CaseWorker, Escalation, EscalationDelivery, EscalationEvent, RoutingRule
from casemanagement.selectors import case_worker_principal
from contactcentre.api import roles
from contactcentre.interactions.models import Notification
from contactcentre.interactions.services import contact_moment_record
from contactcentre.processinglog.models import ProcessingRecord
from tests.casemanagement.factories import PersonFactory
from tests.factories import OrganisationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MOVES = ("accept", "start", "return", "resolve", "forward")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world():
    permits = OrganisationFactory(code="omgevingsdienst", name="Omgevingsdienst")
    other = OrganisationFactory(code="toeslagen", name="Dienst Toeslagen")
    RoutingRule.objects.create(name="Alles naar de omgevingsdienst", is_default=True, organisation=permits, order=999)
    return {"permits": permits, "other": other, "agent": UserFactory(role=roles.AGENT)}


def _escalate(world, *, question="Mag ik een dakkapel plaatsen?", party=None, to=None, **extra) -> Escalation:
    agent = world["agent"]
    contact, _ = contact_moment_record(channel="phone", actor=staff(agent), agent=agent, party=party or PersonFactory())
    escalation = escalation_create(contact=contact, actor=staff(agent), question=question, **extra)
    if to is not None:  # routed elsewhere (the rules send everything to the permit authority)
        Escalation.objects.filter(pk=escalation.pk).update(organisation=to)
        escalation.refresh_from_db()
    return escalation


def _case_worker(client, organisation, username="bram"):
    user = UserFactory(username=username, role=roles.CASE_WORKER)
    CaseWorker.objects.create(user=user, organisation=organisation)
    client.force_login(user)
    return user


def _move(client, escalation, move, **fields):
    data = {f"{move}-{name}": value for name, value in fields.items()}
    return client.post(f"/behandelaar/{escalation.reference}/{move}/", data)


def test_a_case_worker_sees_only_their_organisations_open_escalations_nearest_deadline_first(client, world):
    _case_worker(client, world["permits"])
    later = _escalate(world, question="Mag ik een schuur bouwen?")
    sooner = _escalate(world, question="Mag ik een dakkapel plaatsen?")
    Escalation.objects.filter(pk=sooner.pk).update(resolution_due=timezone.now() - timedelta(hours=1))  # late
    closed = _escalate(world, question="Al afgehandeld")
    Escalation.objects.filter(pk=closed.pk).update(state=Escalation.State.RESOLVED)
    theirs = _escalate(world, question="Waar blijft mijn toeslag?", to=world["other"])

    page = client.get("/behandelaar/").content.decode()

    assert page.index(sooner.reference) < page.index(later.reference)
    assert closed.reference not in page and theirs.reference not in page
    assert page.count("te laat") == 1
    assert 'href="/behandelaar/"' in page  # the menu names the screen: Werklijst
    assert "Werklijst" in page


def test_the_state_filter_shows_the_escalations_in_that_state(client, world):
    _case_worker(client, world["permits"])
    open_one = _escalate(world)
    closed = _escalate(world)
    Escalation.objects.filter(pk=closed.pk).update(state=Escalation.State.RESOLVED)

    page = client.get("/behandelaar/?state=resolved").content.decode()

    assert closed.reference in page and open_one.reference not in page
    assert client.get("/behandelaar/?state=onzin").status_code == 200  # unknown: the open ones


def test_the_list_logs_one_record_per_person_with_the_purpose_second_line(client, world):
    user = _case_worker(client, world["permits"])
    _escalate(world), _escalate(world)
    ProcessingRecord.objects.all().delete()

    client.get("/behandelaar/")

    records = list(ProcessingRecord.objects.filter(object_type="escalation", action="read"))
    assert len(records) == 2 and len({record.subject for record in records}) == 2
    assert {(r.actor_type, r.actor_id, r.actor_label, r.organisation_code) for r in records} == {
        ("user", f"user:{user.pk}", "bram", "omgevingsdienst")
    }
    assert {(r.purpose, r.purpose_reference) for r in records} == {("second_line", "worklist")}


def test_the_list_query_count_does_not_grow_with_the_escalations(client, world):
    _case_worker(client, world["permits"])
    _escalate(world)
    client.get("/behandelaar/")  # the session's and permissions' caches warm
    with CaptureQueriesContext(connection) as few:
        client.get("/behandelaar/")
    for _number in range(5):
        _escalate(world)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/behandelaar/").content.decode()
    assert page.count("/behandelaar/D") == 6
    assert len(many) == len(few)


def test_the_detail_shows_question_articles_attachments_timeline_and_the_shared_history(client, world):
    _case_worker(client, world["permits"])
    person = PersonFactory()
    escalation = _escalate(
        world,
        party=person,
        context="Artikel over dakkapellen voorgelezen, de beller twijfelt over de voorkant.",
        share_history=True,
        attachments=[SimpleUploadedFile("tekening.pdf", PDF, content_type="application/pdf")],
    )

    page = client.get(f"/behandelaar/{escalation.reference}/").content.decode()

    assert "Mag ik een dakkapel plaatsen?" in page
    assert "Artikel over dakkapellen voorgelezen" in page
    assert "tekening.pdf" in page and "Standaardregel &#x27;Alles naar de omgevingsdienst&#x27;" in page
    assert "niet ingestemd" not in page  # the history is shared: the contact that escalated is in it
    assert ", Telefoon: —</li>" in page  # the contact itself recorded no question
    history = ProcessingRecord.objects.filter(object_type="contact_history", outcome="success").get()
    assert (history.purpose, history.purpose_reference) == ("second_line", escalation.reference)

    attachment = escalation.attachments.get()
    download = client.get(f"/behandelaar/{escalation.reference}/bijlagen/{attachment.key}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert ProcessingRecord.objects.filter(object_type="escalation_attachment", actor_id__startswith="user:").exists()


def test_without_consent_the_contact_history_stays_closed(client, world):
    _case_worker(client, world["permits"])
    escalation = _escalate(world, share_history=False)

    page = client.get(f"/behandelaar/{escalation.reference}/").content.decode()

    assert "De burger heeft niet ingestemd met het delen van de contacthistorie." in page
    assert not ProcessingRecord.objects.filter(object_type="contact_history").exists()


def test_accept_then_start_move_the_state_and_record_the_case_worker(client, world):
    user = _case_worker(client, world["permits"])
    escalation = _escalate(world)

    response = _move(client, escalation, "accept", note="Ik pak hem op")

    assert response.status_code == 302 and response["Location"] == f"/behandelaar/{escalation.reference}/"
    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.ACCEPTED
    event = EscalationEvent.objects.filter(escalation=escalation).latest("id")
    assert (event.state, event.note, event.actor_label) == ("accepted", "Ik pak hem op", "bram (omgevingsdienst)")
    record = ProcessingRecord.objects.filter(object_type="escalation", action="update").get()
    assert (record.actor_type, record.actor_id, record.organisation_code, record.purpose) == (
        "user",
        f"user:{user.pk}",
        "omgevingsdienst",
        "second_line",
    )

    _move(client, escalation, "start")
    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.IN_PROGRESS
    assert not Notification.objects.exists()  # only the outcome and a forward are told to the citizen


def test_resolve_needs_a_text_and_tells_the_citizen(client, world):
    _case_worker(client, world["permits"])
    person = PersonFactory()
    escalation = _escalate(world, party=person)
    _move(client, escalation, "accept")

    refused = _move(client, escalation, "resolve", resolution_text="  ")
    assert refused.status_code == 400
    assert 'aria-describedby="id_resolve-resolution_text_error"' in refused.content.decode()
    assert "Dit veld is vereist." in refused.content.decode()
    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.ACCEPTED and not Notification.objects.exists()

    text = "U mag de dakkapel zonder vergunning plaatsen."
    _move(client, escalation, "resolve", resolution_text=text)

    escalation.refresh_from_db()
    assert (escalation.state, escalation.resolution_text) == (Escalation.State.RESOLVED, text)
    notification = Notification.objects.get()
    assert notification.party == person
    assert notification.subject == "Uw vraag is afgehandeld"
    assert notification.body == (
        f"Uw vraag met kenmerk {escalation.reference} is afgehandeld door Omgevingsdienst: {text}"
    )
    page = client.get(f"/behandelaar/{escalation.reference}/").content.decode()
    assert text in page and 'action="/behandelaar/' not in page  # resolved: no more moves


def test_asking_the_first_line_returns_it_with_the_question(client, world):
    _case_worker(client, world["permits"])
    escalation = _escalate(world)

    assert _move(client, escalation, "return", note="").status_code == 400
    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.DELIVERED

    _move(client, escalation, "return", note="Welk bouwjaar heeft de woning?")

    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.RETURNED
    event = EscalationEvent.objects.filter(escalation=escalation).latest("id")
    assert (event.state, event.note) == ("returned", "Welk bouwjaar heeft de woning?")


def test_forward_sends_it_to_the_other_organisation_and_it_leaves_the_worklist(client, world):
    _case_worker(client, world["permits"])
    person = PersonFactory()
    escalation = _escalate(world, party=person)

    response = _move(client, escalation, "forward", organisation="toeslagen", note="Gaat over huurtoeslag")

    assert response.status_code == 302 and response["Location"] == "/behandelaar/"
    escalation.refresh_from_db()
    # the other organisation has no endpoint: its built-in worklist has it at once
    assert (escalation.organisation, escalation.state) == (world["other"], Escalation.State.DELIVERED)
    assert escalation.events.filter(state="forwarded", note="Gaat over huurtoeslag").count() == 1
    assert EscalationDelivery.objects.filter(escalation=escalation, organisation=world["other"]).exists()
    assert Notification.objects.get(party=person).subject == "Uw vraag is doorgestuurd"
    assert client.get(f"/behandelaar/{escalation.reference}/").status_code == 404  # no longer ours
    assert escalation.reference not in client.get("/behandelaar/").content.decode()


def test_forward_to_its_own_organisation_or_none_is_refused(client, world):
    _case_worker(client, world["permits"])
    escalation = _escalate(world)

    assert _move(client, escalation, "forward", organisation="omgevingsdienst").status_code == 400
    assert _move(client, escalation, "forward", organisation="").status_code == 400
    escalation.refresh_from_db()
    assert (escalation.organisation, escalation.state) == (world["permits"], Escalation.State.DELIVERED)


def test_a_move_the_state_does_not_allow_is_refused_and_changes_nothing(client, world):
    _case_worker(client, world["permits"])
    escalation = _escalate(world)

    response = _move(client, escalation, "resolve", resolution_text="Te vroeg")  # delivered -> resolved

    assert response.status_code == 400
    assert "Deze statuswijziging is niet toegestaan." in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.DELIVERED and not Notification.objects.exists()


def test_another_organisations_escalation_is_a_404_on_every_page_and_move(client, world):
    _case_worker(client, world["permits"])
    theirs = _escalate(
        world,
        to=world["other"],
        attachments=[SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf")],
    )
    attachment = theirs.attachments.get()
    events = EscalationEvent.objects.filter(escalation=theirs).count()

    assert client.get(f"/behandelaar/{theirs.reference}/").status_code == 404
    assert client.get(f"/behandelaar/{theirs.reference}/bijlagen/{attachment.key}/").status_code == 404
    for move in MOVES:
        fields = {"note": "x", "resolution_text": "x", "organisation": "omgevingsdienst"}
        assert _move(client, theirs, move, **fields).status_code == 404, move
    assert client.get("/behandelaar/D000/").status_code == 404
    assert client.post(f"/behandelaar/{theirs.reference}/sluiten/").status_code == 404

    theirs.refresh_from_db()
    assert (theirs.state, theirs.organisation) == (Escalation.State.DELIVERED, world["other"])
    assert EscalationEvent.objects.filter(escalation=theirs).count() == events
    assert not Notification.objects.exists()


@pytest.mark.parametrize("role", [roles.AGENT, roles.SUPERVISOR, roles.FUNCTIONAL_ADMIN, roles.COUNTER_CLERK])
def test_other_roles_are_refused_even_with_a_membership(client, world, role):
    escalation = _escalate(world)
    user = UserFactory(role=role)
    CaseWorker.objects.create(user=user, organisation=world["permits"])
    client.force_login(user)

    assert client.get("/behandelaar/").status_code == 403
    assert client.get(f"/behandelaar/{escalation.reference}/").status_code == 403
    assert _move(client, escalation, "accept").status_code == 403
    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.DELIVERED


def test_a_case_worker_without_an_organisation_gets_a_page_that_says_so(client, world):
    escalation = _escalate(world)
    client.force_login(UserFactory(role=roles.CASE_WORKER))

    response = client.get("/behandelaar/")

    assert response.status_code == 403
    assert "nog niet gekoppeld aan een organisatie" in response.content.decode()
    assert client.get(f"/behandelaar/{escalation.reference}/").status_code == 403
    assert _move(client, escalation, "accept").status_code == 403


def test_anonymous_is_sent_to_sign_in(client, world):
    escalation = _escalate(world)

    response = client.get(f"/behandelaar/{escalation.reference}/")

    assert response.status_code == 302
    assert response["Location"] == f"/aanmelden/?next=/behandelaar/{escalation.reference}/"
    assert _move(client, escalation, "accept").status_code == 302
    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.DELIVERED


def test_the_case_worker_principal_acts_for_the_organisation_as_that_person(world):
    user = UserFactory(role=roles.CASE_WORKER)
    assert case_worker_principal(user=user) is None
    CaseWorker.objects.create(user=user, organisation=world["permits"])

    principal = case_worker_principal(user=user)

    assert principal.is_organisation and principal.is_case_worker and not principal.is_staff
    assert (principal.organisation_id, principal.organisation_code) == (world["permits"].pk, "omgevingsdienst")
    assert principal.scopes == {"escalations:read", "escalations:write"}
    assert (principal.key, principal.name, principal.client) == (f"user:{user.pk}", user.username, None)


def test_the_demo_case_worker_works_the_permit_authoritys_worklist(client, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # a second run adds nothing

    membership = CaseWorker.objects.select_related("user", "organisation").get()
    assert (membership.user.username, membership.organisation.code) == ("behandelaar", "omgevingsdienst")
    permit_questions = Escalation.objects.filter(organisation__code="omgevingsdienst")
    assert permit_questions.count() == 2
    client.force_login(membership.user)
    page = client.get("/behandelaar/").content.decode()
    assert all(escalation.reference in page for escalation in permit_questions)
