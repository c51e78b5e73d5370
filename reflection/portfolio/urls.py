from django.urls import path

from reflection.portfolio import views

urlpatterns = [
    path("portfolio/cpd/", views.portfolio_cpd, name="portfolio_cpd"),
    path("portfolio/cpd/new/", views.external_cpd_new, name="external_cpd_new"),
    path("portfolio/cpd/<int:item_id>/edit/", views.external_cpd_edit, name="external_cpd_edit"),
    path(
        "portfolio/cpd/<int:item_id>/delete/",
        views.external_cpd_delete,
        name="external_cpd_delete",
    ),
    path(
        "portfolio/cpd/<int:item_id>/evidence/",
        views.external_cpd_evidence,
        name="external_cpd_evidence",
    ),
]
