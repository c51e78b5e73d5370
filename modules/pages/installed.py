"""What ``manage.py install_curriculum`` put in place: one row per shipped page, so that a later
run can tell whether the shipped content has changed since (the fingerprint) and whether anyone
has changed the page since (its latest revision is no longer the installer's)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstalledPage(models.Model):
    key = models.CharField(_("shipped page"), max_length=255, unique=True)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("installed page")

    def __str__(self) -> str:
        return self.key
