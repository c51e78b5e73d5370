"""StreamField blocks for lessons. Each block has a template in templates/modules/blocks/.

Knowledge checks are identified by their StreamField block id, so answers stay attached to the
right question when editors reorder a lesson.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

LESSON_RICH_TEXT = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class ImageWithAltBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it. Required."),
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "modules/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    video = EmbedBlock(help_text=_("A YouTube or Vimeo link."))
    transcript = blocks.RichTextBlock(
        features=LESSON_RICH_TEXT, help_text=_("A full transcript. Required for accessibility.")
    )

    class Meta:
        icon = "media"
        template = "modules/blocks/video.html"

    def get_context(self, value, parent_context=None):
        from modules.pages.embeds import video_player_html

        context = super().get_context(value, parent_context=parent_context)
        context["player"] = video_player_html(value["video"])
        return context


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(
        max_length=200, help_text=_("Anonymised: a role or description, never a name.")
    )

    class Meta:
        icon = "openquote"
        template = "modules/blocks/quote.html"
        label = _("Lived experience quotation")


class KeyPointsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Key points")
    points = blocks.ListBlock(blocks.CharBlock(max_length=400), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "modules/blocks/key_points.html"


class CaseScenarioBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    scenario = blocks.RichTextBlock(features=LESSON_RICH_TEXT)
    questions = blocks.ListBlock(blocks.CharBlock(max_length=400), min_num=1)

    class Meta:
        icon = "group"
        template = "modules/blocks/case_scenario.html"


class OptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=400)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock(help_text=_("Why this answer is right or not."))


class KnowledgeCheckBlock(blocks.StructBlock):
    question = blocks.TextBlock()
    kind = blocks.ChoiceBlock(
        choices=[("single", _("One answer")), ("multiple", _("Several answers"))],
        default="single",
    )
    options = blocks.ListBlock(OptionBlock(), min_num=2, max_num=8)
    explanation = blocks.TextBlock(required=False)

    class Meta:
        icon = "help"
        template = "modules/blocks/knowledge_check.html"

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for option in value["options"] if option["correct"])
        if value["kind"] == "single" and correct != 1:
            raise StructBlockValidationError(
                block_errors={
                    "options": ValidationError(
                        _("A one-answer question needs exactly one right answer.")
                    )
                }
            )
        if value["kind"] == "multiple" and correct < 2:
            raise StructBlockValidationError(
                block_errors={
                    "options": ValidationError(
                        _("A several-answer question needs at least two right answers.")
                    )
                }
            )
        return value


class ReflectionPromptBlock(blocks.StructBlock):
    prompt = blocks.TextBlock()

    class Meta:
        icon = "edit"
        template = "modules/blocks/reflection_prompt.html"


class PauseBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Take a pause")
    text = blocks.RichTextBlock(features=LESSON_RICH_TEXT)

    class Meta:
        icon = "pick"
        template = "modules/blocks/pause.html"
        label = _("Pause: grounding and support")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    description = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        template = "modules/blocks/document.html"


class ReferenceBlock(blocks.StructBlock):
    citation = blocks.TextBlock()
    url = blocks.URLBlock(required=False)

    class Meta:
        icon = "link"


class FurtherReadingBlock(blocks.StructBlock):
    references = blocks.ListBlock(ReferenceBlock(), min_num=1)

    class Meta:
        icon = "link"
        template = "modules/blocks/further_reading.html"


LESSON_BLOCKS = [
    (
        "rich_text",
        blocks.RichTextBlock(features=LESSON_RICH_TEXT, template="modules/blocks/rich_text.html"),
    ),
    ("image", ImageWithAltBlock()),
    ("video", VideoBlock()),
    ("quote", QuoteBlock()),
    ("key_points", KeyPointsBlock()),
    ("case_scenario", CaseScenarioBlock()),
    ("knowledge_check", KnowledgeCheckBlock()),
    ("reflection_prompt", ReflectionPromptBlock()),
    ("pause", PauseBlock()),
    ("document", DocumentBlock()),
    ("further_reading", FurtherReadingBlock()),
]
