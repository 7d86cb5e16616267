"""Breach detection: escalations near or past their resolution deadline (counted on the organisation's
business calendar when routed) are flagged once per threshold, only while open."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from casemanagement.deadlines import escalations_flag_breaches
from casemanagement.escalations import escalation_create, escalation_transition
from casemanagement.models import Escalation, SecondLineEndpoint
from casemanagement.routing import route_find, routing_context_for
from casemanagement.tasks import flag_escalation_breaches
from contactcentre.interactions.models import WorkItem
from tests.casemanagement.second_line import second_line_setup
from tests.factories import organisation, staff

AMS = ZoneInfo("Europe/Amsterdam")
FRIDAY_AFTERNOON = datetime(2026, 12, 4, 16, 0, tzinfo=AMS)  # a Friday; Monday 7 December is a working day


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=AMS)


@pytest.fixture
def line(settings):
    settings.ESCALATION_NEAR_BREACH_HOURS = 8
    line = second_line_setup(delivery=SecondLineEndpoint.Delivery.WORKLIST)
    line.organisation.routing_rules.update(resolution_days=1, first_response_hours=4)
    return line


def escalate_at(line, moment: datetime) -> Escalation:
    """An escalation routed as if created at `moment` (its deadlines counted from then)."""
    contact = line.contact()
    route = route_find(routing_context_for(question="Vraag", channel="phone", party_id=line.party.pk), now=moment)
    return escalation_create(contact=contact, actor=staff(line.agent), question="Vraag", route=route)


@pytest.mark.django_db
def test_deadline_across_a_weekend_is_counted_on_the_calendar(line):
    escalation = escalate_at(line, FRIDAY_AFTERNOON)
    # One working day after Friday: the end of Monday (09:00-17:00), not Saturday.
    assert escalation.resolution_due == at(7, 17)
    assert escalation.first_response_due == at(7, 12)  # 1 h on Friday, 3 h on Monday

    # Saturday and Sunday night: more than a day has passed, but the deadline is still > 8 h away.
    assert escalations_flag_breaches(now=at(5, 12)) == ([], [])
    assert escalations_flag_breaches(now=at(6, 23)) == ([], [])


@pytest.mark.django_db
def test_each_threshold_flags_once(line):
    escalation = escalate_at(line, FRIDAY_AFTERNOON)

    assert escalations_flag_breaches(now=at(7, 9, 30)) == ([escalation.pk], [])
    assert escalations_flag_breaches(now=at(7, 10)) == ([], [])  # run again: no second flag
    escalation.refresh_from_db()
    assert escalation.near_breach_flagged_at == at(7, 9, 30)
    assert escalation.breach_flagged_at is None

    assert escalations_flag_breaches(now=at(7, 17, 30)) == ([], [escalation.pk])
    assert escalations_flag_breaches(now=at(8, 9)) == ([], [])
    escalation.refresh_from_db()
    assert (escalation.near_breach_flagged_at, escalation.breach_flagged_at) == (at(7, 9, 30), at(7, 17, 30))


@pytest.mark.django_db
def test_a_sweep_that_first_runs_after_the_deadline_flags_the_breach(line):
    escalation = escalate_at(line, FRIDAY_AFTERNOON)
    assert escalations_flag_breaches(now=at(9, 9)) == ([], [escalation.pk])
    assert escalations_flag_breaches(now=at(9, 10)) == ([], [])


@pytest.mark.django_db
def test_only_open_escalations_are_flagged(line):
    resolved, returned, delivered = (escalate_at(line, FRIDAY_AFTERNOON) for _ in range(3))
    Escalation.objects.filter(pk=resolved.pk).update(state=Escalation.State.RESOLVED)
    Escalation.objects.filter(pk=returned.pk).update(state=Escalation.State.RETURNED)

    assert escalations_flag_breaches(now=at(8, 9)) == ([], [delivered.pk])
    assert Escalation.objects.filter(breach_flagged_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_the_organisations_own_closing_day_moves_the_deadline(line):
    line.endpoint.closing_days = ["2026-12-07"]
    line.endpoint.save()
    escalation = escalate_at(line, FRIDAY_AFTERNOON)
    assert escalation.resolution_due == at(8, 17)  # Tuesday
    assert escalations_flag_breaches(now=at(7, 17, 30)) == ([], [])
    assert escalations_flag_breaches(now=at(8, 10)) == ([escalation.pk], [])


@pytest.mark.django_db
def test_the_periodic_task_flags_at_the_real_now_and_reports_counts(line):
    escalate_at(line, datetime(2025, 3, 3, 10, tzinfo=AMS))  # due 4 March 2025: long past
    assert flag_escalation_breaches.apply().get() == {"near": 0, "breached": 1}
    assert flag_escalation_breaches.apply().get() == {"near": 0, "breached": 0}


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_flag_each_escalation_once(line, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL")
    monkeypatch.setattr("casemanagement.deadlines.BATCH", 7)
    monkeypatch.setattr("casemanagement.escalations._wake_relay", lambda: None)
    created = {escalate_at(line, FRIDAY_AFTERNOON).pk for _ in range(60)}
    results = []

    def sweep():
        try:
            results.append(escalations_flag_breaches(now=at(8, 9)))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    breached = [pk for _near, flagged in results for pk in flagged]
    assert sorted(breached) == sorted(created)  # every one flagged, none twice


def _signals(escalation):
    return list(
        WorkItem.objects.filter(source_key__startswith=f"escalation-deadline:{escalation.pk}:")
        .order_by("priority")
        .values_list("queue__code", "kind", "priority", "status", "title")
    )


@pytest.mark.django_db
def test_each_flag_puts_one_signal_on_the_supervisors_queue(line):
    escalation = escalate_at(line, FRIDAY_AFTERNOON)
    name = f"{escalation.reference} ({line.organisation.name})"

    escalations_flag_breaches(now=at(7, 9, 30))
    escalations_flag_breaches(now=at(7, 10))
    assert _signals(escalation) == [("supervision", "supervision", 2, "open", f"Termijn bijna verstreken: {name}")]

    escalations_flag_breaches(now=at(7, 17, 30))
    assert [row[2] for row in _signals(escalation)] == [1, 2]  # the breach comes first: urgent
    assert WorkItem.objects.get(source_key=f"escalation-deadline:{escalation.pk}:breached").due_at == at(7, 17)


@pytest.mark.django_db
def test_resolving_closes_the_signals(line, client_with_scopes):
    escalation = escalate_at(line, FRIDAY_AFTERNOON)
    escalations_flag_breaches(now=at(7, 17, 30))
    _http, client = client_with_scopes(["escalations:write"], organisation=line.organisation)
    escalation_transition(escalation=escalation, to_state="accepted", actor=organisation(client))
    assert [row[3] for row in _signals(escalation)] == ["open"]  # still open at the organisation
    escalation_transition(
        escalation=escalation, to_state="resolved", actor=organisation(client), resolution_text="Klaar"
    )
    assert [row[3] for row in _signals(escalation)] == ["done"]


@pytest.mark.django_db
def test_a_forward_starts_the_deadline_signals_anew(line, client_with_scopes):
    escalation = escalate_at(line, FRIDAY_AFTERNOON)
    escalations_flag_breaches(now=at(7, 17, 30))
    other = second_line_setup(delivery=SecondLineEndpoint.Delivery.WORKLIST).organisation
    _http, client = client_with_scopes(["escalations:write"], organisation=line.organisation)
    escalation_transition(escalation=escalation, to_state="forwarded", actor=organisation(client), forward_to=other)
    escalation.refresh_from_db()
    assert (escalation.near_breach_flagged_at, escalation.breach_flagged_at) == (None, None)
    assert [row[3] for row in _signals(escalation)] == ["done"]
