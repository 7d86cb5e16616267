"""Cache invalidation only: any change to an article or its life events makes the search vocabulary stale.
(The services invalidate explicitly too; this also covers deletes from the admin.)"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from lifeevents.models import Article
from lifeevents.search.index import index_invalidate


@receiver(post_save, sender=Article)
@receiver(post_delete, sender=Article)
def _article_changed(sender, **kwargs) -> None:
    index_invalidate()


@receiver(m2m_changed, sender=Article.life_events.through)
def _article_life_events_changed(sender, **kwargs) -> None:
    index_invalidate()
