import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from casemanagement import selectors
from casemanagement.models import Case, Confidentiality
from casemanagement.selectors import (
    case_by_reference,
    case_status_history,
    cases_of_party,
    cases_present,
)
from casemanagement.services import case_status_record, case_suspend
from contactcentre.errors import NotFound, RateLimited, ValidationFailed
from contactcentre.principal import SYSTEM, Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.registry.models import Address
from tests.casemanagement.factories import PersonFactory, make_case
from tests.factories import UserFactory, organisation, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return UserFactory(role="agent")


def _person_with_postcode(postcode="1234 AB", dob=date(1980, 5, 17)):
    party = PersonFactory(date_of_birth=dob)
    Address.objects.create(
        party=party, kind=Address.Kind.RESIDENTIAL, street="Dorpsstraat", house_number=1, postcode=postcode, city="X"
    )
    return party


def test_cases_of_party_open_first_by_deadline_then_closed_newest_first(agent):
    party = PersonFactory()
    closed_old = make_case(party=party, days_ago=100)
    case_status_record(case=closed_old, status_code="besloten", actor=SYSTEM, set_at=timezone.now() - timedelta(50))
    closed_new = make_case(party=party, days_ago=30)
    case_status_record(case=closed_new, status_code="besloten", actor=SYSTEM)
    late = make_case(party=party, days_ago=40)
    soon = make_case(party=party, days_ago=50)
    make_case()  # someone else's

    ids = [c.pk for c in cases_of_party(party_id=party.pk, principal=staff(agent))]
    assert ids == [soon.pk, late.pk, closed_new.pk, closed_old.pk]


def test_recent_only_drops_cases_closed_more_than_a_year_ago(agent):
    party = PersonFactory()
    old = make_case(party=party, days_ago=800)
    case_status_record(case=old, status_code="besloten", actor=SYSTEM, set_at=timezone.now() - timedelta(days=400))
    current = make_case(party=party)
    assert [c.pk for c in cases_of_party(party_id=party.pk, principal=staff(agent), recent_only=True)] == [current.pk]


def test_cases_present_follows_role_and_confidentiality_and_logs_one_record_per_person(agent):
    party = PersonFactory()
    normal = make_case(party=party, days_ago=60)  # overdue: 56-day term
    confidential = make_case(party=party, confidentiality=Confidentiality.CONFIDENTIAL)
    make_case(party=party, confidentiality=Confidentiality.SECRET)

    rows = list(cases_of_party(party_id=party.pk, principal=staff(agent)))
    assert len(rows) == 2  # the secret case is not even listed for the first line
    shown = cases_present(cases=rows, principal=staff(agent), assurance="low", purpose_reference="7")
    by_id = {s["id"]: s for s in shown}
    assert by_id[normal.pk]["detail"] == "citizen"
    assert by_id[normal.pk]["status_text"] == "Wij hebben uw aanvraag ontvangen."
    assert by_id[normal.pk]["is_overdue"] is True
    assert by_id[normal.pk]["status"] is None  # internal status name is full detail only
    assert by_id[confidential.pk]["detail"] == "existence"
    assert by_id[confidential.pk]["reference"] is None
    assert by_id[confidential.pk]["case_type"] is None
    assert by_id[confidential.pk]["organisation"]["code"] == confidential.organisation.code

    full = cases_present(cases=rows, principal=staff(agent), assurance="substantial", log=False)
    assert {s["detail"] for s in full} == {"full", "citizen"}

    record = ProcessingRecord.objects.get(action="read")
    assert (record.object_type, record.purpose, record.purpose_reference) == ("case", "contact", "7")
    assert record.subject == subject_pseudonym(party.pk)


def test_supervisor_sees_that_a_secret_case_exists_and_nothing_more():
    supervisor = UserFactory(role="supervisor")
    secret = make_case(confidentiality=Confidentiality.SECRET)
    [shown] = cases_present(
        cases=cases_of_party(party_id=secret.party_id, principal=staff(supervisor)),
        principal=staff(supervisor),
        log=False,
    )
    assert shown["detail"] == "existence"
    assert shown["reference"] is None and shown["status_text"] is None


def test_citizen_sees_own_cases_only_and_no_secret_ones():
    mine = make_case()
    make_case(party=mine.party, confidentiality=Confidentiality.SECRET)
    make_case()
    citizen = Principal.citizen(party_id=mine.party_id, assurance="substantial")
    assert [c.pk for c in selectors.cases_visible(principal=citizen)] == [mine.pk]


def test_client_sees_only_its_own_organisations_cases(client_with_scopes):
    party = PersonFactory()
    own = make_case(party=party)
    make_case(party=party)
    _, client = client_with_scopes(["cases:read"], organisation=own.organisation)
    assert [c.pk for c in cases_of_party(party_id=party.pk, principal=organisation(client))] == [own.pk]


def test_status_history_full_for_high_detail_and_citizen_texts_otherwise(agent):
    case = make_case()
    case_status_record(case=case, status_code="in-behandeling", actor=SYSTEM, explanation="Intern: dossier compleet")
    full = case_status_history(case=case, principal=staff(agent), assurance="substantial")
    assert [(h["status"]["code"], h["explanation"]) for h in full] == [
        ("ontvangen", ""),
        ("in-behandeling", "Intern: dossier compleet"),
    ]
    citizen = case_status_history(case=case, principal=staff(agent), assurance="low")
    assert [(h["status_text"], h["status"], h["explanation"]) for h in citizen] == [
        ("Wij hebben uw aanvraag ontvangen.", None, None),
        ("Uw aanvraag wordt behandeld.", None, None),
    ]
    hidden = make_case(confidentiality=Confidentiality.CONFIDENTIAL)
    with pytest.raises(NotFound):
        case_status_history(case=hidden, principal=staff(agent), assurance="low")


# --- case by reference with a second factor -------------------------------------------------------


def test_lookup_with_postcode_digits_or_date_of_birth_gives_the_citizen_text(agent):
    party = _person_with_postcode()
    case = make_case(party=party, reference="Z2026001")
    by_postcode = case_by_reference(
        reference="z 2026 001", postcode_digits="1234", caller_key="c1", principal=staff(agent)
    )
    by_dob = case_by_reference(
        reference="Z2026001", date_of_birth=date(1980, 5, 17), caller_key="c1", principal=staff(agent)
    )
    for result in (by_postcode, by_dob):
        assert result["id"] == case.pk
        assert result["status_text"] == "Wij hebben uw aanvraag ontvangen."
        assert result["detail"] == "citizen"
        assert result["status"] is None
    records = ProcessingRecord.objects.filter(outcome="success", object_type="case", action="read")
    assert records.count() == 2


def test_same_reference_at_two_organisations_the_postcode_picks_the_persons_case(agent):
    first, second = _person_with_postcode("1234 AB"), _person_with_postcode("5678 CD")
    mine = make_case(party=first, reference="Z2026001")
    theirs = make_case(party=second, reference="Z2026001")
    assert mine.organisation_id != theirs.organisation_id
    for digits, case in (("1234", mine), ("5678", theirs)):
        assert case_by_reference(reference="Z2026001", postcode_digits=digits, caller_key="c", principal=staff(agent))[
            "id"
        ] == (case.pk)
    with pytest.raises(NotFound):
        case_by_reference(reference="Z2026001", postcode_digits="9999", caller_key="c", principal=staff(agent))


def test_a_lookup_is_one_select_and_one_log_insert_whatever_the_candidates(agent):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n, postcode in enumerate(("1234 AB", "5678 CD", "4321 EF")):
        make_case(party=_person_with_postcode(postcode), reference="Z2026001" if n < 2 else "Z2026002")
    principal = staff(agent)
    case_by_reference(reference="Z2026002", postcode_digits="4321", caller_key="warm", principal=principal)
    for reference, digits in (("Z2026001", "5678"), ("Z2026002", "4321")):
        with CaptureQueriesContext(connection) as queries:
            case_by_reference(reference=reference, postcode_digits=digits, caller_key="c", principal=principal)
        assert [q["sql"].split()[0] for q in queries] == ["SELECT", "INSERT"]


def test_wrong_factor_and_unknown_reference_answer_the_same(agent):
    party = _person_with_postcode()
    make_case(party=party, reference="Z2026001")
    with pytest.raises(NotFound) as wrong:
        case_by_reference(reference="Z2026001", postcode_digits="9999", caller_key="c1", principal=staff(agent))
    with pytest.raises(NotFound) as unknown:
        case_by_reference(reference="Z0000000", postcode_digits="1234", caller_key="c1", principal=staff(agent))
    assert (wrong.value.message, wrong.value.code) == (unknown.value.message, unknown.value.code)
    denied = ProcessingRecord.objects.get(outcome="denied")
    assert denied.action == "read"
    assert denied.subject == subject_pseudonym(party.pk)


def test_lookup_needs_a_second_factor(agent):
    with pytest.raises(ValidationFailed):
        case_by_reference(reference="Z1", caller_key="c1", principal=staff(agent))
    with pytest.raises(ValidationFailed):
        case_by_reference(reference="Z1", postcode_digits="12", caller_key="c1", principal=staff(agent))


def test_lockout_per_reference_holds_even_with_the_right_factor_afterwards(agent, monkeypatch):
    monkeypatch.setattr(selectors, "LOOKUP_MAX_ATTEMPTS", 3)
    party = _person_with_postcode()
    make_case(party=party, reference="Z2026001")
    for caller in ("a", "b", "c"):  # different callers: the reference itself gets locked
        with pytest.raises(NotFound):
            case_by_reference(reference="Z2026001", postcode_digits="0000", caller_key=caller, principal=staff(agent))
    with pytest.raises(RateLimited):
        case_by_reference(reference="Z2026001", postcode_digits="1234", caller_key="d", principal=staff(agent))
    # Another reference for a fresh caller is not affected.
    other = make_case(party=party, reference="Z2026002")
    assert case_by_reference(reference="Z2026002", postcode_digits="1234", caller_key="d", principal=staff(agent))[
        "id"
    ] == (other.pk)


def test_lockout_per_caller_across_references(agent, monkeypatch):
    monkeypatch.setattr(selectors, "LOOKUP_CALLER_MAX_WRONG", 3)
    party = _person_with_postcode()
    make_case(party=party, reference="Z2026009")
    for n in range(3):  # a guess at each of three references: none of them is locked
        with pytest.raises(NotFound):
            case_by_reference(reference=f"Z99{n}", postcode_digits="1234", caller_key="guesser", principal=staff(agent))
    with pytest.raises(RateLimited):
        case_by_reference(reference="Z2026009", postcode_digits="1234", caller_key="guesser", principal=staff(agent))
    # A bystander with the right data still gets the answer.
    assert case_by_reference(reference="Z2026009", postcode_digits="1234", caller_key="other", principal=staff(agent))


def test_one_locked_reference_does_not_lock_the_desk_out_of_others(agent, monkeypatch):
    monkeypatch.setattr(selectors, "LOOKUP_MAX_ATTEMPTS", 3)
    party = _person_with_postcode()
    make_case(party=party, reference="Z2026001")
    make_case(party=party, reference="Z2026002")
    for _ in range(3):
        with pytest.raises(NotFound):
            case_by_reference(reference="Z2026001", postcode_digits="9999", caller_key="desk", principal=staff(agent))
    with pytest.raises(RateLimited):
        case_by_reference(reference="Z2026001", postcode_digits="1234", caller_key="desk", principal=staff(agent))
    found = case_by_reference(reference="Z2026002", postcode_digits="1234", caller_key="desk", principal=staff(agent))
    assert found["reference"] == "Z2026002"


def test_one_attempt_tests_one_factor(agent):
    party = _person_with_postcode(dob=date(1980, 5, 17))
    make_case(party=party, reference="Z2026001")
    records = ProcessingRecord.objects.count()
    with pytest.raises(ValidationFailed) as error:
        case_by_reference(
            reference="Z2026001",
            postcode_digits="9999",
            date_of_birth=date(1980, 5, 17),
            caller_key="c",
            principal=staff(agent),
        )
    assert "date_of_birth" in error.value.field_errors
    assert ProcessingRecord.objects.count() == records  # refused before anything was looked at


def test_lockout_expires(agent, monkeypatch):
    monkeypatch.setattr(selectors, "LOOKUP_MAX_ATTEMPTS", 1)
    party = _person_with_postcode()
    make_case(party=party, reference="Z2026001")
    with pytest.raises(NotFound):
        case_by_reference(reference="Z2026001", postcode_digits="0000", caller_key="a", principal=staff(agent))
    with pytest.raises(RateLimited):
        case_by_reference(reference="Z2026001", postcode_digits="1234", caller_key="a", principal=staff(agent))
    from django.core.cache import cache

    cache.delete_many(selectors._attempt_keys("Z2026001", "a"))  # what the cache's expiry does
    assert case_by_reference(reference="Z2026001", postcode_digits="1234", caller_key="a", principal=staff(agent))


def test_lookup_shows_secret_cases_to_nobody_and_confidential_per_role(agent):
    party = _person_with_postcode()
    make_case(party=party, reference="ZSECRET", confidentiality=Confidentiality.SECRET)
    make_case(party=party, reference="ZCONF", confidentiality=Confidentiality.CONFIDENTIAL)
    with pytest.raises(NotFound):
        case_by_reference(reference="ZSECRET", postcode_digits="1234", caller_key="a", principal=staff(agent))
    with pytest.raises(NotFound):
        case_by_reference(
            reference="ZSECRET", postcode_digits="1234", caller_key="a", principal=SYSTEM, as_citizen=True
        )
    as_agent = case_by_reference(reference="ZCONF", postcode_digits="1234", caller_key="a", principal=staff(agent))
    assert as_agent["detail"] == "existence" and as_agent["status_text"] is None
    as_citizen = case_by_reference(
        reference="ZCONF", postcode_digits="1234", caller_key="a", principal=SYSTEM, as_citizen=True
    )
    assert as_citizen["detail"] == "citizen"
    assert as_citizen["status_text"] == "Wij hebben uw aanvraag ontvangen."


def test_same_reference_at_two_organisations_matches_on_the_factor(agent):
    mine = _person_with_postcode(postcode="1111AA")
    theirs = _person_with_postcode(postcode="2222BB")
    a = make_case(party=mine, reference="Z1")
    b = make_case(party=theirs, reference="Z1")
    assert (
        case_by_reference(reference="Z1", postcode_digits="1111", caller_key="x", principal=staff(agent))["id"] == a.pk
    )
    assert (
        case_by_reference(reference="Z1", postcode_digits="2222", caller_key="x", principal=staff(agent))["id"] == b.pk
    )


def test_suspended_case_is_not_overdue_in_the_summary(agent):
    case = make_case(days_ago=80)
    case_suspend(case=case, reason="Wacht", actor=SYSTEM)
    [shown] = cases_present(cases=[Case.objects.get(pk=case.pk)], principal=staff(agent), assurance="low", log=False)
    assert (shown["is_overdue"], shown["is_suspended"]) == (False, True)


def _guess_at_once(guesses: list[dict], *, principal) -> list[str]:
    """Every guess (case_by_reference's arguments) in its own thread, all let go at the same moment:
    what each one got ("found", "not_found", "locked")."""
    barrier = threading.Barrier(len(guesses))
    outcomes, errors = [], []

    def guess(arguments):
        try:
            barrier.wait(timeout=10)
            case_by_reference(principal=principal, **arguments)
            outcomes.append("found")
        except NotFound:
            outcomes.append("not_found")
        except RateLimited:
            outcomes.append("locked")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(arguments,)) for arguments in guesses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)")
def test_parallel_wrong_guesses_at_one_reference_cannot_slip_past_the_limit_together(agent, monkeypatch):
    """Twelve callers guess at one reference at the same moment: only LOOKUP_MAX_ATTEMPTS guesses are
    looked at (each logged as a denied read), the others are refused as locked before they look."""
    monkeypatch.setattr(selectors, "LOOKUP_MAX_ATTEMPTS", 3)
    party = _person_with_postcode()
    make_case(party=party, reference="Z2026001")
    guesses = [{"reference": "Z2026001", "postcode_digits": f"{n:04d}", "caller_key": f"phone-{n}"} for n in range(12)]
    outcomes = _guess_at_once(guesses, principal=staff(agent))
    assert sorted(outcomes) == ["locked"] * 9 + ["not_found"] * 3
    assert ProcessingRecord.objects.filter(outcome=ProcessingRecord.Outcome.DENIED).count() == 3
    with pytest.raises(RateLimited):  # the right answer too, until the window ends
        case_by_reference(reference="Z2026001", postcode_digits="1234", caller_key="phone-99", principal=staff(agent))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)")
def test_one_desks_many_right_lookups_at_once_are_not_refused(agent, monkeypatch):
    """A caller is counted on wrong answers only: one desk's (or system's) many lookups in flight at
    once, more than the limit, all get their answer."""
    monkeypatch.setattr(selectors, "LOOKUP_MAX_ATTEMPTS", 2)
    party = _person_with_postcode()
    references = [f"Z20260{n:02d}" for n in range(8)]
    for reference in references:
        make_case(party=party, reference=reference)
    guesses = [{"reference": reference, "postcode_digits": "1234", "caller_key": "desk"} for reference in references]
    assert _guess_at_once(guesses, principal=staff(agent)) == ["found"] * 8


def test_right_answers_do_not_use_up_attempts(agent, monkeypatch):
    monkeypatch.setattr(selectors, "LOOKUP_MAX_ATTEMPTS", 2)
    party = _person_with_postcode()
    make_case(party=party, reference="Z2026001")
    for _ in range(5):
        assert case_by_reference(reference="Z2026001", postcode_digits="1234", caller_key="a", principal=staff(agent))
