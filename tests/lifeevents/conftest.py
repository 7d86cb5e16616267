import pytest

from contactcentre import kennisbank
from contactcentre.registry.models import Organisation
from contactcentre.registry.services import organisations_import
from lifeevents.models import Article, ArticleFeedback, ArticleVersion, LifeEvent
from lifeevents.services import kennisbank_import


def _wipe():
    ArticleFeedback.objects.all().delete()
    ArticleVersion.objects.all().delete()
    Article.objects.all().delete()
    LifeEvent.objects.all().delete()


@pytest.fixture(scope="module")
def kb(django_db_setup, django_db_blocker):
    """The shipped kennisbank (organisations, 14 life events, 251 published articles), imported once per
    module outside the per-test transactions and removed afterwards."""
    codes = [row["code"] for row in kennisbank.load("organisations")]
    with django_db_blocker.unblock():
        _wipe()
        existing = set(Organisation.objects.filter(code__in=codes).values_list("code", flat=True))
        organisations_import(rows=kennisbank.load("organisations"))
        kennisbank_import(directory=kennisbank.KENNISBANK_DIR)
    yield
    with django_db_blocker.unblock():
        _wipe()
        Organisation.objects.filter(code__in=set(codes) - existing).delete()


def ids(hits) -> list[str]:
    return [hit.article.external_id for hit in hits]
