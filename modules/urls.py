"""URLs of the modules app. Each has a row in tests/test_permission_matrix.py."""

from django.urls import path

from modules.assignments import views as assignments
from modules.certificates import views as certificate_views
from modules.cpd import views as cpd_views
from modules.esr import views as esr
from modules.h5p import views as h5p
from modules.pages import views as catalogue
from modules.progress import views as learn
from modules.scorm import views as scorm

urlpatterns = [
    # --- catalogue, modules, lessons and progress ---------------------------------------
    path("modules/", catalogue.catalogue_view, name="module_catalogue"),
    path("modules/<slug:module_slug>/", learn.module_view, name="module_detail"),
    path("modules/<slug:module_slug>/<slug:lesson_slug>/", learn.lesson_view, name="lesson_detail"),
    path("learning/", learn.my_learning, name="my_learning"),
    path("learning/modules/<id:module_id>/start/", learn.module_start, name="module_start"),
    path(
        "learning/modules/<id:module_id>/confidence/<str:phase>/",
        learn.module_confidence,
        name="module_confidence",
    ),
    path("learning/modules/<id:module_id>/check/", learn.module_check, name="module_check"),
    path(
        "learning/modules/<id:module_id>/complete/",
        learn.module_complete,
        name="module_complete",
    ),
    path(
        "learning/modules/<id:module_id>/check/<id:attempt_id>/review/",
        learn.module_check_review,
        name="module_check_review",
    ),
    path(
        "learning/lessons/<id:lesson_id>/checks/<str:block_id>/",
        learn.lesson_check_answer,
        name="lesson_check_answer",
    ),
    path(
        "learning/lessons/<id:lesson_id>/complete/", learn.lesson_complete, name="lesson_complete"
    ),
    # --- SCORM packages: their files for the sandboxed frame, a learner's commits ----------
    path(
        "scorm/<id:package_id>/<str:token>/<path:path>",
        scorm.package_file,
        name="scorm_package_file",
    ),
    path(
        "learning/lessons/<id:lesson_id>/scorm/<id:package_id>/commit/",
        scorm.scorm_commit,
        name="scorm_commit",
    ),
    path("h5p/<id:content_id>/<str:token>/<path:path>", h5p.h5p_file, name="h5p_file"),
    path(
        "learning/lessons/<id:lesson_id>/h5p/<id:content_id>/result/",
        h5p.h5p_result,
        name="h5p_result",
    ),
    # --- certificates and CPD ----------------------------------------------------------------
    path(
        "certificates/<str:code>/",
        certificate_views.certificate_verify,
        name="certificate_verify",
    ),
    path(
        "learning/certificates/<str:code>/download/",
        certificate_views.certificate_download,
        name="certificate_download",
    ),
    path("learning/cpd/", cpd_views.cpd_record, name="cpd_record"),
    # --- assignments (an organisation's, managed by its admins) -----------------------------
    path(
        "organisations/<slug:slug>/assignments/",
        assignments.organisation_assignments_view,
        name="organisation_assignments",
    ),
    path(
        "organisations/<slug:slug>/assignments/<id:assignment_id>/cancel/",
        assignments.organisation_assignment_cancel_view,
        name="organisation_assignment_cancel",
    ),
    # --- completions for ESR (an organisation's, for its admins) ----------------------------
    path("organisations/<slug:slug>/esr/", esr.esr_export_view, name="esr_export"),
    path(
        "organisations/<slug:slug>/esr/<id:export_id>/",
        esr.esr_export_detail,
        name="esr_export_detail",
    ),
    path(
        "organisations/<slug:slug>/esr/<id:export_id>/status.json",
        esr.esr_export_status,
        name="esr_export_status",
    ),
    path(
        "organisations/<slug:slug>/esr/<id:export_id>/download/",
        esr.esr_export_download,
        name="esr_export_download",
    ),
]
