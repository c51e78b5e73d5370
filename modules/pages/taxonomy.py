"""The taxonomies editors manage as snippets: curriculum topics and audiences.

Each has one row whatever the language: modules in English and their Welsh translations share
the same topics and audiences, so filtering and reporting by them is the same in both languages.
Only the name differs: ``name_cy`` is shown to a Welsh reader (``learning.language.shown_name``);
empty, the English name shows.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from learning.language import shown_name

WELSH_NAME_HELP = _("Shown to people reading in Welsh. Left empty, they see the English name.")


class Topic(index.Indexed, models.Model):
    """One of the curriculum's topics (there are eight); the catalogue filters by it."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_cy = models.CharField(
        _("name in Welsh"), max_length=120, blank=True, help_text=WELSH_NAME_HELP
    )
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("topic")
        constraints = [
            models.UniqueConstraint(
                fields=["name_cy"], condition=~Q(name_cy=""), name="topic_welsh_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        return shown_name(self)


class Audience(models.Model):
    """Who a module is written for (professional groups)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_cy = models.CharField(
        _("name in Welsh"), max_length=120, blank=True, help_text=WELSH_NAME_HELP
    )
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("audience")
        constraints = [
            models.UniqueConstraint(
                fields=["name_cy"], condition=~Q(name_cy=""), name="audience_welsh_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        return shown_name(self)
