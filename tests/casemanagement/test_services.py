from datetime import timedelta

import pytest
from django.utils import timezone

from casemanagement.models import Case, CaseStatus, CaseType, StatusType
from casemanagement.services import (
    case_extend,
    case_open,
    case_resume,
    case_status_record,
    case_suspend,
    case_types_import,
    normalise_reference,
)
from contactcentre import kennisbank
from contactcentre.errors import Conflict, NotFound, RuleViolation, ValidationFailed
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.registry.services import organisations_import
from lifeevents.models import Article, LifeEvent
from tests.casemanagement.factories import CaseTypeFactory, PersonFactory, make_case
from tests.factories import OrganisationFactory, organisation

pytestmark = pytest.mark.django_db


def _kennisbank():
    organisations_import(rows=kennisbank.load("organisations"))
    for row in kennisbank.load("life_events"):
        LifeEvent.objects.create(slug=row["slug"], name=row["name"])
    org = OrganisationFactory(code="gem-voorbeeldstad")
    for row in kennisbank.load("articles")[:20]:
        Article.objects.create(
            external_id=row["id"], question=row["question"][:300], answer="a", short_answer="b", organisation=org
        )


def test_case_types_import_reads_the_shared_file_with_ordered_statuses_and_knowledge_links():
    _kennisbank()
    assert case_types_import(rows=kennisbank.load("case_types"), article_rows=kennisbank.load("articles")) == 20

    ct = CaseType.objects.get(code="verhuizing-doorgeven")
    assert ct.organisation.code == "gem-voorbeeldstad"
    assert (ct.legal_term_days, ct.extension_days, ct.first_line_capable) == (5, 0, True)
    assert list(ct.status_types.values_list("order", "code", "is_final")) == [
        (1, "ontvangen", False),
        (2, "in-behandeling", False),
        (3, "aanvulling-nodig", False),
        (4, "verwerkt", True),
        (5, "niet-verwerkt", True),
    ]
    assert sorted(ct.life_events.values_list("slug", flat=True)) == [
        "scheiden",
        "studeren-18-worden",
        "trouwen-partnerschap",
        "verhuizen",
    ]
    # kb-0001 names verhuizing-doorgeven in its case_types; only the first 20 articles are loaded here.
    linked = set(ct.articles.values_list("external_id", flat=True))
    assert "kb-0001" in linked
    expected = {a["id"] for a in kennisbank.load("articles")[:20] if "verhuizing-doorgeven" in a["case_types"]}
    assert linked == expected


def test_case_types_import_is_idempotent_and_follows_reordered_statuses():
    organisations_import(rows=kennisbank.load("organisations"))
    rows = kennisbank.load("case_types")
    case_types_import(rows=rows)
    case_types_import(rows=rows)
    assert CaseType.objects.count() == 20
    assert StatusType.objects.count() == sum(len(r["statuses"]) for r in rows)

    first = rows[0]
    first["statuses"] = list(reversed(first["statuses"]))[:-1]  # reversed, and "ontvangen" dropped
    case_types_import(rows=[first])
    assert list(StatusType.objects.filter(case_type__code=first["code"]).values_list("code", flat=True)) == [
        "niet-verwerkt",
        "verwerkt",
        "aanvulling-nodig",
        "in-behandeling",
    ]


def test_case_types_import_keeps_a_dropped_status_that_cases_have_had():
    organisations_import(rows=kennisbank.load("organisations"))
    [row] = [r for r in kennisbank.load("case_types") if r["code"] == "huurtoeslag"]
    case_types_import(rows=[row])
    case = make_case(case_type=CaseType.objects.get(code="huurtoeslag"))
    first_code = row["statuses"][0]["code"]
    row["statuses"] = row["statuses"][1:]
    case_types_import(rows=[row])
    statuses = list(StatusType.objects.filter(case_type__code="huurtoeslag").values_list("code", "order"))
    assert statuses[-1] == (first_code, len(row["statuses"]) + 1)
    assert [code for code, _ in statuses[:-1]] == [s["code"] for s in row["statuses"]]
    case.refresh_from_db()
    assert case.status.code == first_code


def test_case_types_import_refuses_an_unknown_organisation():
    with pytest.raises(ValidationFailed):
        case_types_import(rows=[{**kennisbank.load("case_types")[0], "organisation": "nergens"}])
    assert CaseType.objects.count() == 0


def test_case_open_sets_first_status_deadline_history_and_logs():
    party = PersonFactory()
    case_type = CaseTypeFactory(legal_term_days=56)
    opened = timezone.now() - timedelta(days=3)
    case = case_open(case_type=case_type, party=party, actor=SYSTEM, reference=" z 123 ", opened_at=opened)

    assert case.reference == "Z123"
    assert case.organisation_id == case_type.organisation_id
    assert case.status.code == "ontvangen"
    assert case.deadline == timezone.localtime(opened).date() + timedelta(days=56)
    assert case.closed_at is None
    assert list(case.status_history.values_list("status_type__code", flat=True)) == ["ontvangen"]
    record = ProcessingRecord.objects.get()
    assert (record.action, record.object_type, record.purpose, record.purpose_reference) == (
        "create",
        "case",
        "case",
        "Z123",
    )
    assert record.subject == subject_pseudonym(party.pk)


def test_reference_is_unique_per_organisation_not_globally():
    case_type = CaseTypeFactory()
    make_case(case_type=case_type, reference="Z-1")
    with pytest.raises(Conflict):
        make_case(case_type=case_type, reference="z-1")
    other = make_case(reference="Z-1")  # another organisation may use the same number
    assert Case.objects.filter(reference="Z-1").count() == 2
    assert other.organisation_id != case_type.organisation_id


def test_generated_references_are_digits_after_a_prefix():
    case = make_case()
    assert case.reference[0] == "Z" and case.reference[1:].isdigit() and len(case.reference) == 11


def test_case_status_record_moves_on_and_final_status_closes():
    case = make_case()
    case_status_record(case=case, status_code="in-behandeling", actor=SYSTEM, explanation="Gestart")
    entry = case_status_record(case=case, status_code="besloten", actor=SYSTEM)
    case.refresh_from_db()

    assert case.status.code == "besloten"
    assert case.closed_at == entry.set_at
    assert list(case.status_history.values_list("status_type__code", flat=True)) == [
        "ontvangen",
        "in-behandeling",
        "besloten",
    ]
    with pytest.raises(RuleViolation):
        case_status_record(case=case, status_code="in-behandeling", actor=SYSTEM)
    assert CaseStatus.objects.filter(case=case).count() == 3


def test_case_status_record_refuses_foreign_status_past_and_future_times():
    case = make_case(days_ago=2)
    other_type = CaseTypeFactory(statuses=[("iets-anders", "Iets anders", "Tekst", False)])
    with pytest.raises(ValidationFailed) as error:
        case_status_record(case=case, status_code="iets-anders", actor=SYSTEM)
    assert "status" in error.value.field_errors
    with pytest.raises(ValidationFailed):
        case_status_record(case=case, status_code="in-behandeling", actor=SYSTEM, set_at=case.opened_at - timedelta(1))
    with pytest.raises(ValidationFailed):
        case_status_record(
            case=case, status_code="in-behandeling", actor=SYSTEM, set_at=timezone.now() + timedelta(hours=1)
        )
    case.refresh_from_db()
    assert case.status.code == "ontvangen"
    assert other_type.status_types.count() == 1


def test_an_organisations_client_may_only_record_status_on_its_own_cases(client_with_scopes):
    case = make_case()
    _, foreign = client_with_scopes(["cases:write"])
    with pytest.raises(NotFound):
        case_status_record(case=case, status_code="in-behandeling", actor=organisation(foreign))
    _, owner = client_with_scopes(["cases:write"], organisation=case.organisation)
    entry = case_status_record(case=case, status_code="in-behandeling", actor=organisation(owner))
    assert entry.recorded_by == f"{owner.name} ({case.organisation.code})"


def test_suspension_stops_the_clock_and_resume_moves_the_deadline():
    case = make_case(days_ago=10)
    original = case.deadline
    case_suspend(case=case, reason="Wacht op stukken", actor=SYSTEM)
    case.refresh_from_db()
    assert case.is_suspended and case.suspension_reason == "Wacht op stukken"
    with pytest.raises(RuleViolation):
        case_suspend(case=case, reason="nog eens", actor=SYSTEM)

    Case.objects.filter(pk=case.pk).update(suspended_since=timezone.now() - timedelta(days=4))
    case_resume(case=case, actor=SYSTEM)
    case.refresh_from_db()
    assert case.suspended_since is None
    assert case.suspended_days == 4
    assert case.deadline == original + timedelta(days=4)


def test_extension_once_within_the_allowed_days():
    case = make_case()  # the factory's type allows 28 days
    original = case.deadline
    with pytest.raises(ValidationFailed):
        case_extend(case=case, days=29, reason="te lang", actor=SYSTEM)
    with pytest.raises(ValidationFailed):
        case_extend(case=case, days=10, reason=" ", actor=SYSTEM)
    case_extend(case=case, days=14, reason="Advies nodig", actor=SYSTEM)
    case.refresh_from_db()
    assert case.deadline == original + timedelta(days=14)
    assert (case.extended_days, case.extension_reason) == (14, "Advies nodig")
    with pytest.raises(RuleViolation):
        case_extend(case=case, days=1, reason="nog eens", actor=SYSTEM)


def test_overdue_only_while_open_and_not_suspended():
    case = make_case(days_ago=60)  # 56-day term
    assert case.is_overdue()
    case_suspend(case=case, reason="Wacht", actor=SYSTEM)
    case.refresh_from_db()
    assert not case.is_overdue()
    closed = make_case(days_ago=60)
    case_status_record(case=closed, status_code="besloten", actor=SYSTEM)
    closed.refresh_from_db()
    assert not closed.is_overdue()


def test_normalise_reference():
    assert normalise_reference(" zk 2026 0001 ") == "ZK20260001"
