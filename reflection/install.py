"""Install step ``reflection.lists``: the safeguarding phrases the journal looks for and the
supervision themes. Their starting lists are put in place by the reflection app's migrations,
and content editors keep them in the Wagtail admin from then on, so the installer never adds
to or changes them; it says how many there are, so that an empty list is noticed."""

from __future__ import annotations

from learning.seeding import InstallReport
from reflection.models import SafeguardingPhrase
from reflection.supervision.models import SupervisionTheme


def install_lists_step(report: InstallReport) -> None:
    phrases = SafeguardingPhrase.objects.count()
    themes = SupervisionTheme.objects.filter(active=True).count()
    report.notes.append(
        f"Safeguarding phrases: {phrases}; supervision themes offered: {themes} "
        "(kept by content editors in the Wagtail admin)."
    )
    if not phrases:
        report.notes.append(
            "There are no safeguarding phrases: the journal will not point anyone to their "
            "safeguarding route. Add them under Snippets in the Wagtail admin."
        )
