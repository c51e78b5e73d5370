"""The admin's form for H5P content: a title and, when it is added, the .h5p file, checked
here so that an editor sees what is wrong beside the field; the service stores it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from modules.h5p.packages import InspectedH5P, h5p_inspect


class H5PContentForm(WagtailAdminModelForm):
    package = forms.FileField(
        label=_("H5P file (.h5p)"),
        required=False,
        help_text=_("Content exported from H5P as a .h5p file, with the libraries it uses."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspected: InspectedH5P | None = None
        if self.instance.pk:
            del self.fields["package"]
        else:
            self.fields["package"].required = True

    def clean_package(self):
        upload = self.cleaned_data.get("package")
        if upload is None:
            return upload
        try:
            self.inspected = h5p_inspect(upload, size=upload.size)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return upload
