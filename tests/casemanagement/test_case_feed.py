"""The organisation's feed (GET /api/v1/cases without `party`, as an organisation's system): every case
of the organisation read through cursor pages exactly once, in a stable (updated_at, id) order, also
while cases change during the walk; `modified_since`; never another organisation's cases; the same
number of queries on every page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casemanagement.models import Case
from casemanagement.services import case_suspend
from contactcentre.principal import SYSTEM
from tests.casemanagement.factories import CaseTypeFactory, PersonFactory, make_case

pytestmark = pytest.mark.django_db

N_CASES = 1_105


def _bulk_cases(case_type, n: int, prefix: str) -> list[int]:
    parties = [PersonFactory() for _ in range(5)]
    today = timezone.localdate()
    Case.objects.bulk_create(
        Case(
            organisation=case_type.organisation,
            case_type=case_type,
            party=parties[i % len(parties)],
            reference=f"{prefix}-{i:05d}",
            deadline=today + timedelta(days=56),
        )
        for i in range(n)
    )
    ids = list(Case.objects.filter(case_type=case_type).order_by("id").values_list("id", flat=True))
    # Ties on updated_at in runs of 40, as a batch update or a coarse clock gives: the id breaks them.
    base = timezone.now() - timedelta(hours=1)
    for start in range(0, len(ids), 40):
        Case.objects.filter(id__in=ids[start : start + 40]).update(updated_at=base + timedelta(seconds=start))
    return ids


@pytest.fixture
def feed(client_with_scopes):
    case_type = CaseTypeFactory()
    ids = _bulk_cases(case_type, N_CASES, "EIGEN")
    other_type = CaseTypeFactory()
    other_ids = _bulk_cases(other_type, 30, "ANDER")
    http, _ = client_with_scopes(["cases:read", "cases:write"], organisation=case_type.organisation)
    return http, case_type, ids, other_ids


def _walk(http, params, on_page=None):
    """Follow `next` from the first page to the end: the ids read, per page."""
    response = http.get("/api/v1/cases", params)
    pages = []
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "results"}
        pages.append([row["id"] for row in body["results"]])
        if on_page:
            on_page(len(pages))
        if body["next"] is None:
            return pages
        assert "cursor=" in body["next"]
        response = http.get(body["next"])


def _keys(ids):
    stamps = dict(Case.objects.filter(id__in=ids).values_list("id", "updated_at"))
    return [(stamps[i], i) for i in ids]


def test_every_case_is_read_exactly_once_in_a_stable_order(feed):
    http, _, ids, other_ids = feed
    pages = _walk(http, {"page_size": 100})
    read = [case_id for page in pages for case_id in page]
    assert len(pages) == 12  # 1,105 cases: 11 full pages and one of 5; the page-number list ended at 1,000
    assert len(read) == len(set(read)) == N_CASES
    assert set(read) == set(ids)
    assert not set(read) & set(other_ids)
    keys = _keys(read)
    assert keys == sorted(keys)  # (updated_at, id) ascending, ties broken by id
    assert _walk(http, {"page_size": 100}) == pages  # the same walk again: the same pages


def test_cases_modified_during_the_walk_come_again_later_and_none_is_skipped(feed):
    http, _, ids, _ = feed
    already_read, not_yet_read = ids[10:13], ids[900:903]
    modified_at = {}

    def modify(page_number):
        if page_number == 3:  # after 300 of 1,105 cases
            for case in Case.objects.filter(id__in=already_read + not_yet_read):
                case_suspend(case=case, reason="Wacht op stukken", actor=SYSTEM)
            modified_at.update(Case.objects.filter(id__in=already_read).values_list("id", "updated_at"))

    pages = _walk(http, {"page_size": 100}, on_page=modify)
    read = [case_id for page in pages for case_id in page]
    assert set(read) == set(ids)  # none skipped
    twice = {case_id for case_id in read if read.count(case_id) > 1}
    assert twice == set(already_read)  # read before the change, and again after it
    assert all(read.index(case_id) < 300 for case_id in already_read)
    assert all(read.index(case_id) >= N_CASES - 3 for case_id in not_yet_read)  # at the end, once
    assert set(read[-6:]) == set(already_read + not_yet_read)  # the newest updated_at come last
    assert all(modified_at[case_id] > timezone.now() - timedelta(minutes=1) for case_id in already_read)


def test_a_case_saved_with_update_fields_moves_in_the_feed(feed):
    _, _, ids, _ = feed
    case = Case.objects.get(pk=ids[0])
    before = case.updated_at
    case.extension_reason = "Advies nodig"
    case.save(update_fields=["extension_reason"])
    assert Case.objects.get(pk=ids[0]).updated_at > before


def test_modified_since_gives_only_what_changed_at_or_after_the_time(feed):
    http, _, ids, other_ids = feed
    since = timezone.now()
    changed = ids[100:105]
    for case in Case.objects.filter(id__in=changed):
        case_suspend(case=case, reason="Wacht op stukken", actor=SYSTEM)
    for case in Case.objects.filter(id__in=other_ids[:2]):  # another organisation's change is not ours
        case_suspend(case=case, reason="Wacht op stukken", actor=SYSTEM)
    pages = _walk(http, {"modified_since": since.isoformat(), "page_size": 2})
    assert sorted(case_id for page in pages for case_id in page) == sorted(changed)
    assert len(pages) == 3
    future = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert _walk(http, {"modified_since": future}) == [[]]
    assert http.get("/api/v1/cases", {"modified_since": "gisteren"}).status_code == 400


def test_another_organisations_cases_never_appear(client_with_scopes):
    own = make_case()
    other = make_case()
    http, _ = client_with_scopes(["cases:read"], organisation=own.organisation)
    assert _walk(http, {}) == [[own.pk]]
    assert _walk(http, {"organisation": other.organisation.code}) == [[]]


def test_a_tampered_cursor_is_a_400(feed):
    http, *_ = feed
    for cursor in ("x", "bm9wZQ", "MjAyNi0wMS0wMVQwMDowMDowMHwx", "A" * 200, "٣"):  # last-but-two: no time zone
        response = http.get("/api/v1/cases", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert response["Content-Type"] == "application/problem+json"


def test_people_and_a_named_party_still_get_numbered_pages(feed, client_with_scopes):
    http, case_type, *_ = feed
    party = Case.objects.filter(case_type=case_type).first().party_id
    body = http.get("/api/v1/cases", {"party": party, "page_size": 10}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == N_CASES // 5  # one in five cases is this party's


def test_queries_per_page_are_constant(feed):
    http, *_ = feed
    first = http.get("/api/v1/cases", {"page_size": 100}).json()
    counts, url = [], first["next"]
    for _ in range(8):
        with CaptureQueriesContext(connection) as queries:
            body = http.get(url).json()
        counts.append(len(queries))
        url = body["next"]
    assert len(set(counts)) == 1, counts
    assert counts[0] <= 6, [q["sql"] for q in queries.captured_queries]
