"""URLs of the reports. Each has a row in tests/matrix_rows/reports.py."""

from django.urls import path

from learning.reports import views

urlpatterns = [
    path("", views.reports_index, name="reports_index"),
    path("national/", views.report_national, name="report_national"),
    path("national/exports/", views.report_national_export, name="report_national_export"),
    path("exports/<id:export_id>/", views.report_export_detail, name="report_export_detail"),
    path(
        "exports/<id:export_id>/status.json",
        views.report_export_status,
        name="report_export_status",
    ),
    path(
        "exports/<id:export_id>/download/",
        views.report_export_download,
        name="report_export_download",
    ),
    path("<slug:slug>/", views.report_organisation, name="report_organisation"),
    path(
        "<slug:slug>/exports/", views.report_organisation_export, name="report_organisation_export"
    ),
]
