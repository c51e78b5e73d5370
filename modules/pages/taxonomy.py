"""The taxonomies editors manage as snippets: curriculum topics and audiences."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class Topic(index.Indexed, models.Model):
    """One of the curriculum's topics (there are eight); the catalogue filters by it."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("topic")

    def __str__(self) -> str:
        return self.name


class Audience(models.Model):
    """Who a module is written for (professional groups)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("audience")

    def __str__(self) -> str:
        return self.name
