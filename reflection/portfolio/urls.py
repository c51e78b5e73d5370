from django.urls import path

from reflection.portfolio import views, views_discussion, views_pack, views_revalidation

urlpatterns = [
    path("portfolio/", views_revalidation.portfolio_home, name="portfolio_home"),
    path(
        "portfolio/declaration/",
        views_revalidation.revalidation_declaration,
        name="revalidation_declaration",
    ),
    path("portfolio/feedback/", views_revalidation.feedback_list, name="feedback_list"),
    path("portfolio/feedback/new/", views_revalidation.feedback_new, name="feedback_new"),
    path(
        "portfolio/feedback/<id:item_id>/edit/",
        views_revalidation.feedback_edit,
        name="feedback_edit",
    ),
    path(
        "portfolio/feedback/<id:item_id>/delete/",
        views_revalidation.feedback_delete,
        name="feedback_delete",
    ),
    path("portfolio/pack.pdf", views_pack.revalidation_pack, name="revalidation_pack"),
    path("portfolio/discussion/", views_discussion.discussion_home, name="discussion_home"),
    path("portfolio/discussion/new/", views_discussion.discussion_new, name="discussion_new"),
    path(
        "portfolio/discussion/<id:item_id>/confirm/",
        views_discussion.discussion_confirm,
        name="discussion_confirm",
    ),
    path(
        "portfolio/discussion/<id:item_id>/delete/",
        views_discussion.discussion_delete,
        name="discussion_delete",
    ),
    path("portfolio/cpd/", views.portfolio_cpd, name="portfolio_cpd"),
    path("portfolio/cpd/new/", views.external_cpd_new, name="external_cpd_new"),
    path("portfolio/cpd/<id:item_id>/edit/", views.external_cpd_edit, name="external_cpd_edit"),
    path(
        "portfolio/cpd/<id:item_id>/delete/",
        views.external_cpd_delete,
        name="external_cpd_delete",
    ),
    path(
        "portfolio/cpd/<id:item_id>/evidence/",
        views.external_cpd_evidence,
        name="external_cpd_evidence",
    ),
]
