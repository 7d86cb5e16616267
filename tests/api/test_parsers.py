"""The project's JSON parser (issue 15, point 3): documents nested deeper than MAX_JSON_DEPTH are a
clean 400, on the anonymous endpoints as on the authenticated ones, with no traceback in the log."""

import json
import logging

import pytest

from contactcentre.api.parsers import MAX_JSON_DEPTH, nesting_exceeds
from lifeevents.models import Article
from tests.factories import OrganisationFactory, PersonFactory


def _nested(levels: int) -> str:
    return (
        '{"a":' * (levels // 2)
        + "[" * (levels - levels // 2)
        + "1"
        + "]" * (levels - levels // 2)
        + "}" * (levels // 2)
    )


@pytest.mark.parametrize("levels", [0, 1, 10, MAX_JSON_DEPTH])
def test_documents_up_to_the_limit_pass(levels):
    assert json.loads(_nested(levels)) is not None
    assert not nesting_exceeds(_nested(levels))


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH + 1, 400, 100_000])
def test_deeper_documents_are_caught(levels):
    assert nesting_exceeds(_nested(levels))


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"comment": "[" * 500 + '\\" {{{ "' + "{" * 500})
    assert not nesting_exceeds(text)
    assert nesting_exceeds('["\\"' + '", ' + "[" * 100 + "]" * 100 + "]")


def _assert_clean_400(response, caplog):
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert "genest" in response.json()["detail"]
    assert "Traceback" not in caplog.text
    assert "RecursionError" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.fixture
def article(db):
    return Article.objects.create(
        external_id="kb-parser-1",
        question="Hoe diep mag JSON zijn?",
        answer="Niet te diep.",
        organisation=OrganisationFactory(),
        status=Article.Status.PUBLISHED,
    )


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH + 1, 400, 50_000])
def test_anonymous_feedback_refuses_deep_json(api, article, caplog, levels):
    body = '{"helpful": true, "comment": ' + _nested(levels) + "}"
    with caplog.at_level(logging.INFO):
        response = api.post(
            f"/api/v1/kennisbank/articles/{article.external_id}/feedback/", body, content_type="application/json"
        )
    _assert_clean_400(response, caplog)


def test_anonymous_feedback_still_takes_plain_json(api, article):
    response = api.post(
        f"/api/v1/kennisbank/articles/{article.external_id}/feedback/",
        json.dumps({"helpful": True, "comment": "[{ duidelijk }]"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH + 1, 400])
def test_authenticated_endpoint_refuses_deep_json(user_with_role, caplog, levels):
    http, _ = user_with_role("agent")
    party = PersonFactory()
    body = '{"attribute": "email", "assurance": "low", "channel": "phone", "value": ' + _nested(levels) + "}"
    with caplog.at_level(logging.INFO):
        response = http.post(f"/api/v1/parties/{party.pk}/base-data-changes", body, content_type="application/json")
    _assert_clean_400(response, caplog)


def test_undecodable_body_is_a_400(api, article):
    response = api.post(
        f"/api/v1/kennisbank/articles/{article.external_id}/feedback/",
        b'{"helpful": true, "comment": "\xff\xfe"}',
        content_type="application/json",
    )
    assert response.status_code == 400
