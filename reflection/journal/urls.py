"""URLs of the private journal. Each has a row in tests/test_permission_matrix.py."""

from django.urls import path

from reflection.journal import views, views_extras

urlpatterns = [
    path("journal/", views.journal_list, name="journal_list"),
    path(
        "journal/new/",
        views_extras.keep_text_when_signed_out(views.journal_new),
        name="journal_new",
    ),
    path("journal/<id:entry_id>/", views.journal_detail, name="journal_detail"),
    path(
        "journal/<id:entry_id>/edit/",
        views_extras.keep_text_when_signed_out(views.journal_edit),
        name="journal_edit",
    ),
    path("journal/<id:entry_id>/delete/", views.journal_delete, name="journal_delete"),
    path("journal/export/", views_extras.journal_export, name="journal_export"),
    path("journal/autosave/", views_extras.journal_autosave, name="journal_autosave"),
]
