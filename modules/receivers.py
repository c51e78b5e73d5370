"""Cache invalidation only (no business logic): the catalogue's filter lists."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from modules.models import Audience, Topic


@receiver(post_save, sender=Topic, dispatch_uid="hope_topic_saved")
@receiver(post_delete, sender=Topic, dispatch_uid="hope_topic_deleted")
@receiver(post_save, sender=Audience, dispatch_uid="hope_audience_saved")
@receiver(post_delete, sender=Audience, dispatch_uid="hope_audience_deleted")
def forget_catalogue_filters(sender, **kwargs):
    from modules.pages.views import FILTERS_CACHE_KEY

    cache.delete(FILTERS_CACHE_KEY)
