"""URLs of "your data" (download it, delete the account).

Each has a row in tests/matrix_rows/privacy.py."""

from django.urls import path

from learning import views_privacy as views

urlpatterns = [
    path("", views.data_home, name="data_home"),
    path("download/", views.data_export_request, name="data_export_request"),
    path("download/<id:export_id>/", views.data_export_detail, name="data_export_detail"),
    path("download/<id:export_id>/status/", views.data_export_status, name="data_export_status"),
    path("download/<id:export_id>/file/", views.data_export_file, name="data_export_file"),
    path("delete/", views.account_delete, name="account_delete"),
    path("deleted/", views.account_deleted, name="account_deleted"),
]
