"""SCORM packages in the Wagtail admin, as snippets: adding one uploads and unpacks its zip
through ``scorm_package_create``, deleting one removes its stored files through
``scorm_package_delete``. The lesson's SCORM block chooses among them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import CreateView, DeleteView, SnippetViewSet

from modules.scorm.forms import ScormPackageForm
from modules.scorm.models import ScormPackage
from modules.scorm.services import scorm_package_create, scorm_package_delete


class UploadCreateView(CreateView):
    """Adding an uploaded package (SCORM, H5P): the form has checked the file; ``create`` stores
    it through the app's service. What only storing can find shows beside the field."""

    def create(self, *, title: str, upload, inspected):
        raise NotImplementedError

    def form_valid(self, form):
        # What only storing can find (a name the storage changes) shows beside the field too.
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            form.add_error("package", exc)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def save_instance(self):
        instance = self.create(
            title=self.form.cleaned_data["title"],
            upload=self.form.cleaned_data["package"],
            inspected=self.form.inspected,
        )
        self.form.instance = instance
        return instance


class ScormPackageCreateView(UploadCreateView):
    def create(self, *, title: str, upload, inspected):
        return scorm_package_create(
            user=self.request.user,
            title=title,
            upload=upload,
            size=upload.size,
            inspected=inspected,
        )


class ScormPackageDeleteView(DeleteView):
    def delete_action(self):
        scorm_package_delete(user=self.request.user, package=self.object)


class ScormPackageViewSet(SnippetViewSet):
    model = ScormPackage
    icon = "desktop"
    menu_label = _("SCORM packages")
    menu_order = 300
    list_display = ["title", "version", "launch", "created_at"]
    search_fields = ["title"]
    search_backend_name = None
    ordering = ["title"]
    add_view_class = ScormPackageCreateView
    delete_view_class = ScormPackageDeleteView
    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("package")], base_form_class=ScormPackageForm
    )
