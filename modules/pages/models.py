"""The module catalogue, modules and lessons, authored in Wagtail.

Progress never walks StreamField blocks: a lesson's completion is one row in
``LessonCompletion`` and a module's is a count against its live lessons.
"""

from __future__ import annotations

from django.db import models
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from learning import request_memo
from learning.cache import local_memo
from modules.pages.blocks import (
    LESSON_BLOCKS,
    LESSON_RICH_TEXT,
    BankQuestionBlock,
    ReferenceBlock,
)
from modules.pages.forms import ModulePageForm

# Change when how a page's URL is made changes in a way its key does not show.
URL_PARTS_VERSION = 1


class SiteRootPathsPerRequest:
    """Page links read Wagtail's site root paths once a request (``learning/request_memo.py``),
    not once a page object: otherwise ``{{ module.url }}`` in a list of 25 modules costs 25 cache
    round trips. Outside a request Wagtail keeps them on the page, as it always does."""

    def _get_site_root_paths(self, cache_object=None, **kwargs):
        return super()._get_site_root_paths(cache_object or request_memo.current(), **kwargs)

    def get_url_parts(self, request=None):
        """Wagtail's answer, kept per process: it is a pure function of the page's tree path,
        the sites it is under, the reader's language, the URL prefix and configuration, and
        building it (a ``reverse`` in the site's language) was most of the cost of each
        ``{{ page.url }}``: 26 a request on My learning. A page under more than one site is
        left to Wagtail, which then picks the site from the request."""
        sites = self._get_relevant_site_root_paths(request)
        if len({site[0] for site in sites}) > 1:
            return super().get_url_parts(request)
        key = (
            URL_PARTS_VERSION,
            self.url_path,
            sites,
            translation.get_language(),
            get_script_prefix(),
            get_urlconf(),
        )
        return local_memo(
            "page_url_parts",
            key,
            lambda: super(SiteRootPathsPerRequest, self).get_url_parts(request),
        )


class PrerequisiteRule(models.TextChoices):
    """Whether a module's prerequisites are advice or a condition of starting it."""

    RECOMMENDED = "recommended", _("Recommended first: the learner may start without them")
    REQUIRED = "required", _("Required first: the learner completes them before starting")


class ModuleIndexPage(SiteRootPathsPerRequest, Page):
    """The catalogue at ``/modules/``: every published module, with filters by topic, audience
    and length and a search across modules and lessons."""

    intro = RichTextField(features=LESSON_RICH_TEXT, blank=True)

    content_panels = [*Page.content_panels, "intro"]
    parent_page_types = ["modules.HomePage"]
    subpage_types = ["modules.ModulePage"]
    max_count = 1

    class Meta:
        verbose_name = _("module catalogue")

    def serve(self, request, *args, **kwargs):
        from modules.pages.translation import source_of
        from modules.pages.views import catalogue

        return catalogue(request, source_of(self))

    def serve_preview(self, request, mode_name):
        return self.serve(request)


class ModulePage(SiteRootPathsPerRequest, Page):
    """A module: 3–6 lessons, learning outcomes, an end-of-module check with a pass mark, and
    CPD minutes. Editors see who owns it and when it is next due for review."""

    summary = models.TextField(_("summary"), max_length=600)
    topics = ParentalManyToManyField("modules.Topic", blank=True, related_name="modules")
    audiences = ParentalManyToManyField("modules.Audience", blank=True, related_name="modules")
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=30)
    cpd_minutes = models.PositiveSmallIntegerField(_("CPD minutes"), default=30)
    content_note = models.TextField(
        _("content note"),
        blank=True,
        help_text=_("Shown before the module starts where material may be distressing."),
    )
    prerequisites = ParentalManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="required_by",
        help_text=_("Modules to complete before this one."),
    )
    prerequisite_rule = models.CharField(
        _("prerequisites are"),
        max_length=12,
        choices=PrerequisiteRule.choices,
        default=PrerequisiteRule.RECOMMENDED,
        db_default=PrerequisiteRule.RECOMMENDED,
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, help_text=_("For the end-of-module check.")
    )
    final_check = StreamField(
        [("knowledge_check", BankQuestionBlock())],
        blank=True,
        use_json_field=True,
        verbose_name=_("end-of-module question bank"),
        help_text=_(
            "Write at least twice as many questions for each learning outcome as are asked. "
            "Each attempt asks a fresh sample from the bank."
        ),
    )
    ask_per_outcome = models.PositiveSmallIntegerField(
        _("questions asked per outcome"),
        default=2,
        db_default=2,
        help_text=_("How many questions each attempt asks about each learning outcome."),
    )
    references = StreamField([("reference", ReferenceBlock())], blank=True, use_json_field=True)
    content_owner = models.CharField(_("content owner"), max_length=200, blank=True)
    last_reviewed_date = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review_date = models.DateField(_("next review date"), null=True, blank=True)
    version = models.CharField(_("version"), max_length=20, blank=True)
    version_note = models.TextField(
        _("what changed in this version"),
        blank=True,
        max_length=1000,
        help_text=_("One or two sentences for learners: what changed and why."),
    )
    qualifies_for = models.CharField(
        _("qualifies for"),
        max_length=200,
        blank=True,
        help_text=_(
            "A role that completing this module qualifies someone for, e.g. HOPE Box delivery."
        ),
    )

    content_panels = [
        *Page.content_panels,
        "summary",
        MultiFieldPanel(
            ["topics", "audiences", "estimated_minutes", "cpd_minutes"],
            heading=_("Catalogue"),
        ),
        MultiFieldPanel(["prerequisites", "prerequisite_rule"], heading=_("Prerequisites")),
        InlinePanel("learning_outcomes", label=_("Learning outcomes"), min_num=1),
        "content_note",
        MultiFieldPanel(
            ["pass_mark", "ask_per_outcome", FieldPanel("final_check")],
            heading=_("End-of-module check"),
        ),
        FieldPanel("references"),
        MultiFieldPanel(
            [
                "content_owner",
                "last_reviewed_date",
                "next_review_date",
                "version",
                "version_note",
                "qualifies_for",
            ],
            heading=_("Governance"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("content_note"),
        index.FilterField("estimated_minutes"),
    ]
    parent_page_types = ["modules.ModuleIndexPage"]
    subpage_types = ["modules.LessonPage"]
    base_form_class = ModulePageForm

    class Meta:
        verbose_name = _("module")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ask_per_outcome__gte=1), name="module_asks_per_outcome"
            ),
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=1, pass_mark__lte=100),
                name="module_pass_mark_percent",
            ),
        ]

    @property
    def prerequisites_required(self) -> bool:
        """Learners complete the prerequisites before starting (not just advised to)."""
        return self.prerequisite_rule == PrerequisiteRule.REQUIRED

    def serve(self, request, *args, **kwargs):
        from modules.pages.translation import source_of
        from modules.progress.views import module_page

        source = source_of(self)
        return module_page(request, source, text=None if source is self else self)

    def serve_preview(self, request, mode_name):
        """Editors preview the page as learners will see it (the same view, unsaved content);
        a Welsh translation is previewed as the Welsh version of its English module."""
        return self.serve(request)


class LearningOutcome(TranslatableMixin, Orderable):
    """One of a module's learning outcomes. Translatable like the page it belongs to: a Welsh
    module's outcome is a row in the Welsh locale with the English outcome's translation key,
    so wagtail-localize offers each outcome as a segment to translate and "Sync translated
    pages" keeps the translated outcomes instead of copying the English ones over them."""

    page = ParentalKey(ModulePage, on_delete=models.CASCADE, related_name="learning_outcomes")
    text = models.CharField(_("outcome"), max_length=300)

    panels = ["text"]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("learning outcome")

    def __str__(self) -> str:
        return self.text


class LessonPage(SiteRootPathsPerRequest, Page):
    """A lesson: teaching content as blocks, with at least one knowledge check."""

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)
    content_note = models.TextField(_("content note"), blank=True)
    body = StreamField(LESSON_BLOCKS, use_json_field=True)

    content_panels = [
        *Page.content_panels,
        "summary",
        "estimated_minutes",
        "content_note",
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["modules.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    @property
    def knowledge_checks(self):
        return [block for block in self.body if block.block_type == "knowledge_check"]

    def serve(self, request, *args, **kwargs):
        from modules.pages.translation import source_of
        from modules.progress.views import lesson_page

        source = source_of(self)
        return lesson_page(request, source, text=None if source is self else self)

    def serve_preview(self, request, mode_name):
        """The lesson as learners see it, without recording progress for the editor; a Welsh
        translation is previewed as the Welsh version of its English lesson."""
        from modules.pages.translation import source_of
        from modules.progress.views import lesson_page

        source = source_of(self)
        return lesson_page(request, source, preview=True, text=None if source is self else self)
