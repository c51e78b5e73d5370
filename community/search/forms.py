"""The search form: words, and optionally one of the person's spaces and an author."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.search.selectors import MAX_LENGTH
from learning.forms import id_from


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Words to find"),
        max_length=MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": _("Enter %(limit_value)d characters or fewer to search for."),
        },
    )
    space = forms.ChoiceField(
        label=_("Space"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of your spaces, or all of them.")},
    )
    # Any text: what is not an id is no author filter (a plain field, so it has no errors).
    author = forms.Field(required=False)

    def __init__(self, data, *, spaces):
        super().__init__(data, auto_id="search-%s")
        self.spaces = {str(space.pk): space for space in spaces}
        self.fields["space"].choices = [
            ("", _("All your spaces")),
            *((key, space.name) for key, space in self.spaces.items()),
        ]

    def clean_space(self):
        return self.spaces.get(self.cleaned_data["space"])

    def clean_author(self):
        # An author is chosen from a found post's link; anything else is no author filter.
        return id_from(self.cleaned_data["author"])
