from django.urls import path

from reflection.shares import views, views_public

urlpatterns = [
    path("portfolio/shares/", views.share_list, name="share_list"),
    path("portfolio/shares/new/", views.share_new, name="share_new"),
    path("portfolio/shares/<id:share_id>/", views.share_detail, name="share_detail"),
    path("portfolio/shares/<id:share_id>/revoke/", views.share_revoke, name="share_revoke"),
    path("shared/<str:token>/", views_public.shared_portfolio, name="shared_portfolio"),
    path(
        "shared/<str:token>/evidence/<id:item_id>/",
        views_public.shared_evidence,
        name="shared_evidence",
    ),
]
