"""URLs of the reflection app. Each has a row in tests/test_permission_matrix.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("journal/", views.journal_list, name="journal_list"),
    path("journal/new/", views.journal_new, name="journal_new"),
    path("journal/<int:entry_id>/", views.journal_detail, name="journal_detail"),
    path("journal/<int:entry_id>/edit/", views.journal_edit, name="journal_edit"),
    path("journal/<int:entry_id>/delete/", views.journal_delete, name="journal_delete"),
]
