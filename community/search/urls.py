"""The search page. Each URL has a row in tests/matrix_rows/community.py."""

from django.urls import path

from community.search import views

urlpatterns = [
    path("community/search/", views.community_search, name="community_search"),
]
