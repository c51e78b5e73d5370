"""H5P content in the Wagtail admin, as snippets: adding uploads and unpacks the .h5p file
through ``h5p_content_create``; deleting removes its files through ``h5p_content_delete``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet

from modules.h5p.forms import H5PContentForm
from modules.h5p.models import H5PContent
from modules.h5p.services import h5p_content_create, h5p_content_delete
from modules.scorm.admin import UploadCreateView


class H5PContentCreateView(UploadCreateView):
    def create(self, *, title: str, upload, inspected):
        return h5p_content_create(
            user=self.request.user,
            title=title,
            upload=upload,
            size=upload.size,
            inspected=inspected,
        )


class H5PContentDeleteView(DeleteView):
    def delete_action(self):
        h5p_content_delete(user=self.request.user, content=self.object)


class H5PContentViewSet(SnippetViewSet):
    model = H5PContent
    icon = "form"
    menu_label = _("H5P content")
    menu_order = 310
    list_display = ["title", "main_library", "created_at"]
    search_fields = ["title"]
    search_backend_name = None
    ordering = ["title"]
    add_view_class = H5PContentCreateView
    delete_view_class = H5PContentDeleteView
    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("package")], base_form_class=H5PContentForm
    )
