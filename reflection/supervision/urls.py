"""URLs of supervision. Each has a row in tests/matrix_rows/supervision.py."""

from django.urls import path

from reflection.supervision import views, views_sessions

urlpatterns = [
    path("supervision/", views.supervision_home, name="supervision_home"),
    path("supervision/new/", views_sessions.session_new, name="supervision_new"),
    path("supervision/<id:session_id>/", views_sessions.session_detail, name="supervision_detail"),
    path("supervision/<id:session_id>/edit/", views_sessions.session_edit, name="supervision_edit"),
    path(
        "supervision/<id:session_id>/confirm/",
        views_sessions.session_confirm,
        name="supervision_confirm",
    ),
    path(
        "supervision/<id:session_id>/check-in/",
        views_sessions.session_checkin,
        name="supervision_checkin",
    ),
    path(
        "supervision/<id:session_id>/addendum/",
        views_sessions.session_addendum,
        name="supervision_addendum",
    ),
    path(
        "supervision/actions/<id:action_id>/done/",
        views_sessions.action_done,
        name="supervision_action_done",
    ),
    path(
        "supervision/relationships/new/",
        views.relationship_propose,
        name="supervision_relationship_new",
    ),
    path(
        "supervision/relationships/<id:relationship_id>/",
        views.relationship_detail,
        name="supervision_relationship",
    ),
    path("supervision/calendar.ics", views.calendar_feed, name="supervision_calendar"),
    path(
        "supervision/calendar/",
        views.calendar_settings,
        name="supervision_calendar_settings",
    ),
    path("supervision/export/", views.log_export, name="supervision_export"),
    path(
        "supervision/organisation/<slug:slug>/",
        views.organisation_supervision,
        name="supervision_organisation",
    ),
]
