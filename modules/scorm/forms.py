"""The admin's form for a SCORM package: a title and, when it is added, the zip. The zip is
checked here so that an editor sees what is wrong beside the field; the service stores it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from modules.scorm.packages import Inspected, package_inspect


class ScormPackageForm(WagtailAdminModelForm):
    package = forms.FileField(
        label=_("Package (.zip)"),
        required=False,
        help_text=_(
            "A SCORM 1.2 or SCORM 2004 package exported from your authoring tool, as a zip "
            "with imsmanifest.xml at the top."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspected: Inspected | None = None
        if self.instance.pk:
            # A package's files are not replaced in place: upload a new package instead.
            del self.fields["package"]
        else:
            self.fields["package"].required = True
            self.fields["package"].help_text = _(
                "A SCORM 1.2 or SCORM 2004 package exported from your authoring tool, as a zip "
                "with imsmanifest.xml at the top. Up to %(mb)s MB."
            ) % {"mb": settings.HOPE_SCORM_MAX_UPLOAD_MB}

    def clean_package(self):
        upload = self.cleaned_data.get("package")
        if upload is None:
            return upload
        try:
            self.inspected = package_inspect(upload, size=upload.size)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return upload
