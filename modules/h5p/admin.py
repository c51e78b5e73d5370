"""H5P content in the Wagtail admin, as snippets: adding uploads and unpacks the .h5p file
through ``h5p_content_create``; deleting removes its files through ``h5p_content_delete``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import CreateView, DeleteView, SnippetViewSet

from modules.h5p.forms import H5PContentForm
from modules.h5p.models import H5PContent
from modules.h5p.services import h5p_content_create, h5p_content_delete


class H5PContentCreateView(CreateView):
    def form_valid(self, form):
        # What only storing can find (a name the storage changes) shows beside the field too.
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            form.add_error("package", exc)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def save_instance(self):
        upload = self.form.cleaned_data["package"]
        content = h5p_content_create(
            user=self.request.user,
            title=self.form.cleaned_data["title"],
            upload=upload,
            size=upload.size,
            inspected=self.form.inspected,
        )
        self.form.instance = content
        return content


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
