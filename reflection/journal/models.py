"""The private reflective journal.

Every piece of text a person writes is encrypted at rest (``EncryptedTextField``); only the
author can ever read an entry (``reflection.journal.selectors.journal_entries_visible_to``).
Searching and filtering by tag happen in the application, over the author's own entries.
"""

from __future__ import annotations

import json

from django.conf import settings
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
    """A phrase that suggests a current safeguarding concern. When a reflection contains one,
    the writer is pointed to their organisation's safeguarding route. Kept by content editors
    in the Wagtail admin."""

    phrase = models.CharField(_("phrase"), max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("safeguarding phrase")

    def __str__(self) -> str:
        return self.phrase
