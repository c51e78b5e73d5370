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
from wagtail.snippets.blocks import SnippetChooserBlock

from modules.pages.check_rules import question_problems

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
    model_answer = blocks.TextBlock(
        required=False,
        label=_("Points to consider"),
        help_text=_(
            "A model answer or points to consider, shown after the questions for learners to "
            "check their own thinking. Plain text; leave a blank line between paragraphs."
        ),
    )

    class Meta:
        icon = "group"
        template = "modules/blocks/case_scenario.html"


class OptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=400)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock(help_text=_("Why this answer is right or not, in its own words."))


LEVEL_CHOICES = [
    ("recall", _("Recall: remembering what the lesson says")),
    ("applied", _("Applied: using it in a situation")),
]


class KnowledgeCheckBlock(blocks.StructBlock):
    """A question with its options in a stored order. Learners see the options in an order
    shuffled for them and for each attempt (``modules/progress/drawing.py``), so the stored
    position of the right answer does not matter to them; the rules in
    ``modules/pages/check_rules.py`` keep the questions fair."""

    question = blocks.TextBlock(
        help_text=_(
            "An applied question describes a situation in at least 15 words, not a definition."
        )
    )
    kind = blocks.ChoiceBlock(
        choices=[("single", _("One answer")), ("multiple", _("Several answers"))],
        default="single",
    )
    level = blocks.ChoiceBlock(choices=LEVEL_CHOICES, default="recall")
    options = blocks.ListBlock(OptionBlock(), min_num=2, max_num=8)
    explanation = blocks.TextBlock(
        required=False, help_text=_("Why the right answer is right. Shown after answering.")
    )

    class Meta:
        icon = "help"
        template = "modules/blocks/knowledge_check.html"

    def clean(self, value):
        value = super().clean(value)
        question = {
            **value,
            "options": [dict(option) for option in value["options"]],
        }
        errors: dict[str, list[str]] = {}
        for field, message in question_problems(question):
            errors.setdefault(field, []).append(message)
        if errors:
            raise StructBlockValidationError(
                block_errors={
                    field: ValidationError(messages) for field, messages in errors.items()
                }
            )
        return value


class BankQuestionBlock(KnowledgeCheckBlock):
    """A question in a module's end-of-module bank, tagged with the learning outcome it tests
    (1 for the first outcome listed on the module)."""

    outcome = blocks.IntegerBlock(
        min_value=1,
        max_value=10,
        default=1,
        help_text=_("The number of the learning outcome this question tests, from 1."),
    )

    class Meta:
        icon = "help"
        label = _("Question")


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


class ScormBlock(blocks.StructBlock):
    """A SCORM 1.2 or 2004 package, played in a sandboxed frame (docs/scorm.md). Completing
    it completes the lesson; its score is kept with the learner's saved place."""

    package = SnippetChooserBlock("modules.ScormPackage")
    title = blocks.CharBlock(
        max_length=200,
        help_text=_("Says what the activity is, for people using screen readers."),
    )
    description = blocks.TextBlock(required=False, max_length=600)

    class Meta:
        icon = "desktop"
        template = "modules/blocks/scorm.html"
        label = _("SCORM package")

    def get_context(self, value, parent_context=None):
        from modules.scorm.player import player_context

        context = super().get_context(value, parent_context=parent_context)
        context["player"] = player_context(value, parent_context or {})
        return context


class H5PBlock(blocks.StructBlock):
    """H5P content, played by h5p-standalone in a sandboxed frame (docs/scorm.md). Its xAPI
    "completed" (or "answered", complete) completes the lesson; its score is kept."""

    content = SnippetChooserBlock("modules.H5PContent")
    title = blocks.CharBlock(
        max_length=200,
        help_text=_("Says what the activity is, for people using screen readers."),
    )
    description = blocks.TextBlock(required=False, max_length=600)

    class Meta:
        icon = "form"
        template = "modules/blocks/h5p.html"
        label = _("H5P content")

    def get_context(self, value, parent_context=None):
        from modules.h5p.player import player_context

        context = super().get_context(value, parent_context=parent_context)
        context["player"] = player_context(value, parent_context or {})
        return context


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
    ("scorm", ScormBlock()),
    ("h5p", H5PBlock()),
]
