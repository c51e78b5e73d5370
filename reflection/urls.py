"""URLs of the reflection app. Each has a row in tests/test_permission_matrix.py."""

from django.urls import include, path

from . import views, views_extras

urlpatterns = [
    path("journal/", views.journal_list, name="journal_list"),
    path(
        "journal/new/",
        views_extras.keep_text_when_signed_out(views.journal_new),
        name="journal_new",
    ),
    path("journal/<int:entry_id>/", views.journal_detail, name="journal_detail"),
    path(
        "journal/<int:entry_id>/edit/",
        views_extras.keep_text_when_signed_out(views.journal_edit),
        name="journal_edit",
    ),
    path("journal/<int:entry_id>/delete/", views.journal_delete, name="journal_delete"),
    # journal extras
    path("journal/export/", views_extras.journal_export, name="journal_export"),
    path("journal/autosave/", views_extras.journal_autosave, name="journal_autosave"),
]

from . import signoff_views  # noqa: E402

urlpatterns += [
    path("journal/<int:entry_id>/share/", signoff_views.journal_share, name="journal_share"),
    path("sign-off/", signoff_views.signoff_queue, name="signoff_queue"),
    path("sign-off/<int:request_id>/", signoff_views.signoff_detail, name="signoff_detail"),
]

from . import account_views  # noqa: E402

urlpatterns += [
    path(
        "sign-off/<int:request_id>/reflective-account/",
        account_views.reflective_account,
        name="reflective_account",
    ),
]

urlpatterns += [path("", include("reflection.supervision.urls"))]
