"""The private reflective journal.

Every piece of text a person writes is encrypted at rest (``EncryptedTextField``); only the
author can ever read an entry (``reflection.journal.selectors.journal_entries_visible_to``).
Searching and filtering by tag happen in the application, over the author's own entries.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from learning.encryption import EncryptedTextField
from learning.sanitise import sanitise_html
from reflection.journal.catalogue import ReflectiveModel, sections_for

__all__ = ["JournalEntry", "SafeguardingPhrase"]


class JournalEntry(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries"
    )
    title = EncryptedTextField(_("title"))
    experienced_on = models.DateField(_("date of the experience"))
    # Comma-separated, encrypted: tags can say as much as the text.
    tags = EncryptedTextField(_("tags"), blank=True, default="")
    model = models.CharField(
        _("reflective model"),
        max_length=10,
        choices=ReflectiveModel.choices,
        default=ReflectiveModel.FREE,
    )
    # A JSON object of section key → sanitised HTML.
    body_json = EncryptedTextField(_("reflection"), blank=True, default="")
    summary = EncryptedTextField(_("learning summary"), blank=True, default="")
    lesson = models.ForeignKey(
        "modules.LessonPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    prompt = EncryptedTextField(_("prompt"), blank=True, default="")
    # When the author confirmed that flagged details were not identifying (never what they were).
    identifier_check_confirmed_at = models.DateTimeField(null=True, blank=True)
    # Saved by autosave, before the identifier check; private and encrypted like any entry.
    is_draft = models.BooleanField(_("draft"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-experienced_on", "-id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        indexes = [
            models.Index(fields=["author", "-experienced_on", "-id"], name="journal_author_date")
        ]

    def __str__(self) -> str:
        # Never the title: this may end up in logs or error pages.
        return f"Journal entry {self.pk}"

    @property
    def sections(self) -> dict[str, str]:
        try:
            data = json.loads(self.body_json) if self.body_json else {}
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def section_list(self) -> list[tuple]:
        """(section, sanitised HTML) in the model's order, for display."""
        data = self.sections
        return [
            (s, sanitise_html(data.get(s.key, ""), profile="reflection"))
            for s in sections_for(self.model)
        ]

    @property
    def summary_html(self):
        return sanitise_html(self.summary, profile="reflection")

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in (self.tags or "").split(",") if t.strip()]


class SafeguardingPhrase(models.Model):
    """A pattern that suggests a current safeguarding concern. When a reflection matches one,
    the writer is shown their organisation's safeguarding route before the reflection is
    saved. Kept by content editors in the Wagtail admin; ``learning.guard`` explains how a
    pattern is written (terms joined by "+", alternatives by "/", word forms matched)."""

    phrase = models.CharField(
        _("pattern"),
        max_length=400,
        unique=True,
        help_text=_(
            "Words that must all appear, joined by +, with choices separated by /, for example: "
            "scared/afraid/frightened + go home/of him. Each word also matches its usual forms "
            "(hurt finds hurts and hurting); end a word with * to match anything that starts "
            "with it. Words joined by + may come in any order."
        ),
    )
    window = models.PositiveSmallIntegerField(
        _("within how many words"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("All the words joined by + must appear within this many words of each other."),
    )
    not_current = models.BooleanField(
        _("marks text that is not a current concern"),
        default=False,
        help_text=_(
            "Tick for words that show a sentence is about training, the past or a concern "
            "already passed on (for example: training/module/years ago). A sentence they match "
            "does not prompt."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["not_current", "phrase"]
        verbose_name = _("safeguarding pattern")
        verbose_name_plural = _("safeguarding patterns")

    def __str__(self) -> str:
        return self.phrase
