"""Admin for functional administrators: overdue reviews surface, saves go through the service."""

import datetime

import pytest
from django.utils import timezone

from lifeevents.models import Article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kb")]


@pytest.fixture
def admin_client(client):
    from tests.factories import UserFactory

    user = UserFactory(role="functional_admin", is_staff=True)
    client.force_login(user)
    return client


def test_overdue_filter_and_highlight(admin_client):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Article.objects.filter(external_id="kb-0001").update(review_by=yesterday)
    Article.objects.filter(external_id="kb-0002").update(review_by=timezone.localdate() + datetime.timedelta(days=90))
    response = admin_client.get("/admin/lifeevents/article/", {"review": "overdue"})
    assert response.status_code == 200
    listed = [obj.external_id for obj in response.context["cl"].result_list]
    assert listed == ["kb-0001"]
    assert "te laat" in response.content.decode()


def test_admin_change_goes_through_the_service_and_adds_a_version(admin_client):
    article = Article.objects.get(external_id="kb-0001")
    response = admin_client.get(f"/admin/lifeevents/article/{article.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(
        {
            "question": "Hoe geef ik mijn verhuizing door?",
            "keywords": '["verhuizen"]',
            "synonyms": "[]",
            "life_events": [str(pk) for pk in data["life_events"]],
            "review_by": "",
            "versions-TOTAL_FORMS": "1",
            "versions-INITIAL_FORMS": "1",
            "versions-MIN_NUM_FORMS": "0",
            "versions-MAX_NUM_FORMS": "1000",
            "versions-0-id": str(article.versions.get().pk),
            "versions-0-article": str(article.pk),
        }
    )
    response = admin_client.post(f"/admin/lifeevents/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    article.refresh_from_db()
    assert article.question == "Hoe geef ik mijn verhuizing door?"
    assert article.version == 2
    assert article.versions.get(version=2).changed_by.username.startswith("user")
    assert "verhuizen" in article.search_a.split() or "verhuis" in article.search_a.split()


def test_agents_may_view_but_not_change_articles(client):
    from tests.factories import UserFactory

    agent = UserFactory(role="agent", is_staff=True)
    assert agent.has_perm("lifeevents.view_article")
    assert not agent.has_perm("lifeevents.change_article")
    assert not agent.has_perm("lifeevents.add_lifeevent")
    client.force_login(agent)
    article = Article.objects.get(external_id="kb-0001")
    assert client.get("/admin/lifeevents/article/add/").status_code == 403
    assert client.post(f"/admin/lifeevents/article/{article.pk}/change/", {"question": "x"}).status_code == 403


def test_functional_admin_permissions():
    from tests.factories import UserFactory

    admin = UserFactory(role="functional_admin")
    for perm in ("add_article", "change_article", "view_article", "add_lifeevent", "change_lifeevent"):
        assert admin.has_perm(f"lifeevents.{perm}")
    assert not admin.has_perm("lifeevents.delete_article")


@pytest.mark.parametrize(
    "url",
    [
        "/admin/lifeevents/lifeevent/",
        "/admin/lifeevents/article/",
        "/admin/lifeevents/article/add/",
        "/admin/lifeevents/articlefeedback/",
    ],
)
def test_admin_pages_render_for_functional_admins(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_admin_add_creates_version_one_and_indexes(admin_client):
    from contactcentre.registry.models import Organisation
    from lifeevents.models import LifeEvent
    from lifeevents.search import search_articles

    data = {
        "external_id": "kb-9100",
        "status": "published",
        "organisation": str(Organisation.objects.get(code="gem-voorbeeldstad").pk),
        "life_events": [str(LifeEvent.objects.get(slug="verhuizen").pk)],
        "review_by": "",
        "question": "Hoe meld ik een kapotte lantaarnpaal?",
        "short_answer": "Meld het via de app Buitenbeter.",
        "answer": "Een kapotte lantaarnpaal meldt u in de app Buitenbeter of via 14 099.",
        "keywords": '["straatverlichting"]',
        "synonyms": "[]",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post("/admin/lifeevents/article/add/", data)
    assert response.status_code == 302
    article = Article.objects.get(external_id="kb-9100")
    assert article.version == 1 and article.versions.count() == 1
    assert [le.slug for le in article.life_events.all()] == ["verhuizen"]
    assert [hit.article.external_id for hit in search_articles("lantaarnpaal kapot", limit=1)] == ["kb-9100"]
