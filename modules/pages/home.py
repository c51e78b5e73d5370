"""Wagtail page types. The landing page lives here with the rest of the CMS content so that
editors manage every public page in one tree."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from modules.pages.models import SiteRootPathsPerRequest

SECTION_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=SECTION_FEATURES)

    class Meta:
        icon = "doc-full"
        template = "modules/blocks/section.html"


class HomePage(SiteRootPathsPerRequest, Page):
    """The public landing page at ``/``: what Holding Hope is and who it is for. It is a Wagtail
    page so that each deployment's editors can adapt the wording without a release."""

    lead = models.CharField(
        _("lead paragraph"),
        max_length=300,
        help_text=_("One or two sentences under the title that say what this is."),
    )
    intro = RichTextField(features=SECTION_FEATURES, blank=True)
    sections = StreamField([("section", SectionBlock())], blank=True, use_json_field=True)

    content_panels = [*Page.content_panels, "lead", "intro", FieldPanel("sections")]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        """In a Welsh interface with no Welsh landing page, the English words are marked as
        English (``content_lang``) under a notice that says so (``untranslated``)."""
        from modules.pages.translation import SOURCE_LANGUAGE, content_language, html_lang

        context = super().get_context(request, *args, **kwargs)
        if content_language() != SOURCE_LANGUAGE:
            # An alias in the Welsh tree shows the English page's words.
            english = self.alias_of_id or self.locale.language_code == SOURCE_LANGUAGE
            if english:
                context.update(content_lang=html_lang(SOURCE_LANGUAGE), untranslated=True)
        return context

    def route(self, request, path_components):
        """A Welsh reader is routed through the Welsh landing page (Wagtail picks the live
        translation of the site's root). Pages nobody has translated have no place in the Welsh
        tree, so a path it does not have is routed through the English tree instead: every
        address works in both languages, and the page shows its English with a notice."""
        try:
            return super().route(request, path_components)
        except Http404:
            from modules.pages.translation import source_of

            source = source_of(self)
            if source.pk == self.pk:
                raise
            return source.specific.route(request, path_components)

    class Meta:
        verbose_name = _("landing page")
