"""Inviting several colleagues at once (``learning/invitations_bulk.py``): addresses pasted or
in a CSV file, one role, and a line per address saying what happened."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from learning import selectors
from learning.invitations_bulk import (
    MAX_FILE_BYTES,
    addresses_from_csv,
    addresses_from_text,
    invitations_bulk_create,
)
from learning.models import Role
from learning.ratelimit import rate_limit_message


class BulkInvitationForm(forms.Form):
    addresses = forms.CharField(
        label=_("Email addresses"),
        help_text=_(
            "Their work email addresses, one on each line or separated by commas or semicolons."
        ),
        required=False,
        max_length=40_000,
        widget=forms.Textarea,
        error_messages={"max_length": _("The list is too long. Invite up to 200 at a time.")},
    )
    file = forms.FileField(
        label=_("Or upload a CSV file"),
        help_text=_("A spreadsheet saved as CSV, with the email addresses in any column."),
        required=False,
    )
    role = forms.ChoiceField(
        label=_("Role for everyone on the list"),
        choices=Role.choices,
        initial=Role.PRACTITIONER,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the role they will have.")},
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return []
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(_("The file must be smaller than 512 KB."))
        return addresses_from_csv(upload.read())

    def clean(self):
        cleaned = super().clean()
        found = addresses_from_text(cleaned.get("addresses", "")) + (cleaned.get("file") or [])
        if not found and "addresses" not in self.errors and "file" not in self.errors:
            self.add_error(
                "addresses",
                _("Enter the email addresses of the people you are inviting, or upload a file."),
            )
        cleaned["found"] = found
        return cleaned


@login_required
@require_http_methods(["GET", "POST"])
def organisation_invite_bulk(request, slug: str):
    organisation = selectors.administered_organisation(request.user, slug)
    if organisation is None:
        raise Http404
    results = None
    if request.method == "POST":
        form = BulkInvitationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                results = invitations_bulk_create(
                    actor=request.user,
                    organisation=organisation,
                    addresses=form.cleaned_data["found"],
                    role=form.cleaned_data["role"],
                    allowed=lambda: rate_limit_message(request.user, "invite"),
                )
            except ValidationError as exc:
                form.add_error("addresses", exc)
            else:
                # What is worth another go stays in the box; what was sent or settled goes.
                retry = "\n".join(r.email for r in results if r.to_retry)
                form = BulkInvitationForm(
                    initial={"addresses": retry, "role": form.cleaned_data["role"]}
                )
    else:
        form = BulkInvitationForm()
    return render(
        request,
        "learning/organisation_invite_bulk.html",
        {
            "organisation": organisation,
            "form": form,
            "results": results,
            "sent": sum(r.sent for r in results) if results else 0,
            "days": settings.HOPE_INVITATION_DAYS,
        },
        status=400 if form.errors else 200,
    )
