"""URLs of supervisor sign-off and the reflective accounts made from it. Each has a row in
tests/test_permission_matrix.py."""

from django.urls import path

from reflection.signoff import account_views, views

urlpatterns = [
    path("journal/<id:entry_id>/share/", views.journal_share, name="journal_share"),
    path("sign-off/", views.signoff_queue, name="signoff_queue"),
    path("sign-off/<id:request_id>/", views.signoff_detail, name="signoff_detail"),
    path(
        "sign-off/<id:request_id>/reflective-account/",
        account_views.reflective_account,
        name="reflective_account",
    ),
]
