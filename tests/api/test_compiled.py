"""Querysets compiled once (contactcentre.api.compiled) give exactly what the ORM gives."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from contactcentre.api.compiled import CompiledQuery
from contactcentre.registry.models import Address, Channel, Consent, DigitalAddress
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _consents(party_id):
    return (
        Consent.objects.filter(party_id=party_id)
        .order_by("purpose", "id")
        .values("purpose", "granted", "changed_at", organisation_code=F("organisation__code"))
    )


def test_values_rows_equal_the_orms_for_each_parameter_value_in_one_query():
    org = OrganisationFactory(code="svb")
    one, two = PersonFactory(), PersonFactory()
    when = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    Consent.objects.create(party=one, purpose="notifications", granted=True, channel="email", changed_at=when)
    Consent.objects.create(
        party=one, purpose="notifications", organisation=org, granted=False, channel="sms", changed_at=when
    )
    Consent.objects.create(party=two, purpose="notifications", granted=True, channel="email", changed_at=when)
    compiled = CompiledQuery(_consents, party_id=-1)
    for party in (one, two, one):
        with CaptureQueriesContext(connection) as queries:
            rows = compiled.rows(party_id=party.pk)
        assert len(queries) == 1
        assert rows == list(_consents(party.pk))
    assert compiled.rows(party_id=one.pk)[0]["changed_at"] == when  # converted as the ORM does (aware)
    assert [row["organisation_code"] for row in compiled.rows(party_id=one.pk)] == [None, "svb"]
    assert compiled.rows(party_id=0) == []


def test_model_rows_are_instances_like_the_orms():
    person = PersonFactory()
    DigitalAddress.objects.create(party=person, kind="email", value="a@voorbeeld.nl", is_default=True)
    DigitalAddress.objects.create(party=person, kind="phone", value="+31612345678")
    compiled = CompiledQuery(lambda party_id: DigitalAddress.objects.filter(party_id=party_id), party_id=-1)
    rows = compiled.rows(party_id=person.pk)
    expected = list(DigitalAddress.objects.filter(party_id=person.pk))
    assert [(r.pk, r.kind, r.value, r.is_default, r.created_at) for r in rows] == [
        (r.pk, r.kind, r.value, r.is_default, r.created_at) for r in expected
    ]
    assert all(not row._state.adding for row in rows)


def test_placeholders_must_be_exactly_one_parameter_and_joins_must_be_values():
    with pytest.raises(ValueError, match="not exactly one"):  # twice here
        CompiledQuery(lambda party_id: Address.objects.filter(Q(party_id=party_id) | Q(pk=party_id)), party_id=-1).rows(
            party_id=1
        )
    with pytest.raises(ValueError, match="not exactly one"):  # not at all
        CompiledQuery(lambda party_id: Address.objects.filter(party_id=1), party_id=-1).rows(party_id=1)
    with pytest.raises(ValueError, match="only values"):
        CompiledQuery(lambda party_id: Address.objects.filter(party_id=party_id).values_list("id"), party_id=-1).rows(
            party_id=1
        )


def test_select_related_rows_and_a_datetime_placeholder_match_the_orm():
    people = PersonFactory.create_batch(2)
    for n, person in enumerate(people):
        Consent.objects.create(
            party=person,
            purpose="notifications",
            organisation=OrganisationFactory(),
            granted=bool(n),
            channel="email",
            changed_at=datetime(2026, 3, 1 + n, tzinfo=UTC),
        )

    def build(since):
        return Consent.objects.select_related("party", "organisation").filter(changed_at__gte=since).order_by("id")

    compiled = CompiledQuery(build, since=datetime(1901, 1, 1, tzinfo=UTC))
    for since in (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)):
        expected = list(build(since))
        with CaptureQueriesContext(connection) as queries:
            rows = compiled.rows(since=since)
            shown = [(row.pk, row.changed_at, row.party.surname, row.organisation.code) for row in rows]
        assert len(queries) == 1  # the related objects came with the row
        assert shown == [(row.pk, row.changed_at, row.party.surname, row.organisation.code) for row in expected]
    assert len(compiled.rows(since=datetime(2026, 3, 2, tzinfo=UTC))) == 1


def test_compiled_insert_writes_the_row_save_would_write_in_one_statement():
    from django.utils import timezone

    from contactcentre.api.compiled import CompiledInsert
    from contactcentre.processinglog.models import ProcessingRecord

    fields = {
        "actor_type": "user",
        "actor_id": "user:7",
        "actor_label": "agent",
        "action": "read",
        "object_type": "customer_view",
        "object_id": "42",
        "subject": "pseudonym",
        "purpose": "contact",
        "purpose_reference": "9",
        "trace_id": "abc",
    }
    inserter = CompiledInsert(ProcessingRecord)
    before = timezone.now()
    for _ in range(2):  # the second insert reuses the compiled statement
        with CaptureQueriesContext(connection) as queries:
            [key] = inserter.insert([fields])
        assert len(queries) == 1 and queries[0]["sql"].startswith("INSERT")
    saved = ProcessingRecord(**fields)
    saved.save(force_insert=True)
    rows = list(ProcessingRecord.objects.order_by("id").values())
    assert [row["id"] for row in rows] == [key - 1, key, saved.pk]
    columns = {name: value for name, value in rows[1].items() if name not in ("id", "occurred_at")}
    assert columns == {name: value for name, value in rows[2].items() if name not in ("id", "occurred_at")}
    assert columns["outcome"] == "success" and columns["organisation_code"] == ""  # the model's defaults
    assert before <= rows[1]["occurred_at"] <= rows[2]["occurred_at"]  # auto_now_add


def test_a_batch_is_one_statement_and_each_query_gives_what_it_gives_alone():
    from casemanagement.models import Case
    from contactcentre.api.compiled import QueryBatch
    from contactcentre.registry.models import Organisation
    from tests.casemanagement.factories import make_case

    org = OrganisationFactory(code="svb", regions=["0363", "0599"])
    one, two = PersonFactory(), PersonFactory()
    when = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
    for n in range(3):
        Consent.objects.create(
            party=one,
            purpose=f"p{2 - n}",
            organisation=org if n else None,
            granted=bool(n),
            channel="sms",
            changed_at=when,
        )
    DigitalAddress.objects.create(party=one, kind="email", value="a@voorbeeld.nl", is_default=True, verified_at=when)
    DigitalAddress.objects.create(party=one, kind="phone", value="+31612345678")
    cases = [make_case(party=one), make_case(party=one, days_ago=3), make_case(party=two)]
    Case.objects.filter(pk=cases[1].pk).update(closed_at=when)

    consents = CompiledQuery(_consents, party_id=-1)
    digital = CompiledQuery(
        lambda party_id: DigitalAddress.objects.filter(party_id=party_id).order_by("-id"), party_id=-2
    )
    with_related = CompiledQuery(
        lambda party_id: (
            Case.objects.select_related("organisation", "case_type", "status", "party")
            .filter(party_id=party_id)
            .order_by("-id")
        ),
        party_id=-3,
    )
    organisations = CompiledQuery(lambda code: Organisation.objects.filter(code=code), code="-")

    def shown(rows):
        return [
            row if isinstance(row, dict) else {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
            for row in rows
        ]

    for party in (one, two, PersonFactory()):
        batch = QueryBatch()
        parts = [
            (consents, batch.add(consents, party_id=party.pk)),
            (digital, batch.add(digital, party_id=party.pk)),
            (with_related, batch.add(with_related, party_id=party.pk)),
            (organisations, batch.add(organisations, code="svb")),
        ]
        with CaptureQueriesContext(connection) as queries:
            batch.run()
        assert len(queries) == 1
        for query, pending in parts:
            key = {"code": "svb"} if query is organisations else {"party_id": party.pk}
            assert shown(pending.rows) == shown(query.rows(**key))
    alone = with_related.rows(party_id=one.pk)
    batch = QueryBatch()
    pending = batch.add(with_related, party_id=one.pk)
    batch.add(consents, party_id=one.pk)
    batch.run()
    assert [
        (c.pk, c.closed_at, c.opened_at, c.deadline, c.case_type.name, c.organisation.regions, c.party.date_of_birth)
        for c in pending.rows
    ] == [
        (c.pk, c.closed_at, c.opened_at, c.deadline, c.case_type.name, c.organisation.regions, c.party.date_of_birth)
        for c in alone
    ]
    assert any(c.closed_at == when for c in pending.rows)  # microseconds and zone survive the JSON trip


def test_a_batch_keeps_each_querys_order_and_refuses_reading_before_it_ran():
    from contactcentre.api.compiled import QueryBatch

    person = PersonFactory()
    for n in range(30):
        DigitalAddress.objects.create(party=person, kind="phone", value=f"+316123456{n:02d}")
    newest_first = CompiledQuery(
        lambda party_id: DigitalAddress.objects.filter(party_id=party_id).order_by("-value").values("value")[:25],
        party_id=-1,
    )
    oldest_first = CompiledQuery(
        lambda party_id: DigitalAddress.objects.filter(party_id=party_id).order_by("value").values("value"), party_id=-1
    )
    batch = QueryBatch()
    down, up = batch.add(newest_first, party_id=person.pk), batch.add(oldest_first, party_id=person.pk)
    with pytest.raises(RuntimeError):
        _ = down.rows  # not yet run
    batch.run()
    values = sorted(f"+316123456{n:02d}" for n in range(30))
    assert [row["value"] for row in up.rows] == values
    assert [row["value"] for row in down.rows] == values[::-1][:25]


def test_compiled_insert_of_many_rows_is_one_statement_in_order_with_their_keys():
    from contactcentre.api.compiled import CompiledInsert
    from contactcentre.processinglog.models import ProcessingRecord

    common = {"actor_type": "user", "actor_id": "user:1", "action": "read", "object_type": "case", "purpose": "contact"}
    rows = [common | {"subject": f"s{n}"} for n in range(25)]
    with CaptureQueriesContext(connection) as queries:
        keys = CompiledInsert(ProcessingRecord).insert(rows)
    assert [q["sql"].split()[0] for q in queries] == ["INSERT"]  # no BEGIN/COMMIT around it
    stored = dict(ProcessingRecord.objects.values_list("id", "subject"))
    assert [stored[key] for key in keys] == [f"s{n}" for n in range(25)]
    with pytest.raises(ValueError):
        CompiledInsert(ProcessingRecord).insert([])
    with pytest.raises(ValueError, match="subjekt"):  # a name that is no field is refused, not dropped
        CompiledInsert(ProcessingRecord).insert([rows[0] | {"subjekt": "x"}])


def test_compiled_insert_prepares_what_the_field_would_change():
    """An aware datetime goes as the backend stores it, a lazy text is made a string, an integer
    for a text column is made text: as save() would write them."""
    from datetime import UTC, datetime

    from django.utils.functional import lazystr

    from contactcentre.api.compiled import CompiledInsert
    from contactcentre.processinglog.models import ProcessingRecord

    moment = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    row = {"occurred_at": moment, "actor_type": lazystr("user"), "actor_id": 7, "action": "read"}
    [key] = CompiledInsert(ProcessingRecord).insert([row | {"object_type": "x", "subject": "s", "purpose": "p"}])
    stored = ProcessingRecord.objects.get(pk=key)
    assert (stored.occurred_at, stored.actor_type, stored.actor_id) == (moment, "user", "7")


def test_a_column_the_batch_cannot_carry_unchanged_is_refused_when_compiling():
    from decimal import Decimal

    from django.db.models import DecimalField, Value

    from contactcentre.api.compiled import QueryBatch

    amounts = CompiledQuery(
        lambda party_id: Consent.objects.filter(party_id=party_id).values(
            amount=Value(Decimal("1.50"), output_field=DecimalField(max_digits=5, decimal_places=2))
        ),
        party_id=-1,
    )
    batch = QueryBatch()
    batch.add(amounts, party_id=1)
    batch.add(CompiledQuery(_consents, party_id=-1), party_id=1)
    with pytest.raises(ValueError, match="DecimalField column cannot be batched"):
        batch.run()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's statement cache (PostgreSQL)")
def test_a_long_batch_is_parsed_by_psycopg_once_then_served_from_its_cache():
    import psycopg._queries

    from casemanagement.models import Case
    from contactcentre.api.compiled import QueryBatch

    with_related = CompiledQuery(
        lambda party_id: Case.objects.select_related("organisation", "case_type", "status", "party").filter(
            party_id=party_id
        ),
        party_id=-3,
    )
    party = PersonFactory()

    def run() -> str:
        batch = QueryBatch()
        for _ in range(4):
            batch.add(with_related, party_id=party.pk)
        with CaptureQueriesContext(connection) as queries:
            batch.run()
        return queries[0]["sql"]

    assert len(run().encode()) > 4096  # over psycopg's own limit for what it keeps
    before = psycopg._queries._query2pg.cache_info()
    run()
    after = psycopg._queries._query2pg.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (1, 0)


def test_choices_members_reach_the_driver_as_plain_values():
    """A TextChoices member is a str subclass: psycopg would look its dumper up along its MRO on every
    execute. The compiled statement's own parameters and an insert's values are plain str."""
    from contactcentre.api.compiled import CompiledInsert
    from contactcentre.processinglog.models import ProcessingRecord

    executed = []

    def record_params(execute, sql, params, many, context):
        executed.append(params)
        return execute(sql, params, many, context)

    person = PersonFactory()
    query = CompiledQuery(
        lambda party_id: Consent.objects.filter(party_id=party_id, channel=Channel.EMAIL).values("id"),
        party_id=-1,
    )
    row = {"actor_type": ProcessingRecord.ActorType.USER, "action": ProcessingRecord.Action.READ, "actor_id": "u"}
    with connection.execute_wrapper(record_params):
        assert query.rows(party_id=person.pk) == []
        CompiledInsert(ProcessingRecord).insert([row | {"object_type": "x", "subject": "s", "purpose": "p"}])

    values = [value for params in executed for value in params]
    assert "email" in values and "user" in values and "read" in values
    assert {type(value) for value in values} <= {int, str, datetime}
